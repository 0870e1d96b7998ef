// Seed 002 (event_driven) in a real VS Code: a user turns automation on, edits the orders CSV and
// watches the lineage recolour: the source is observed, the eager loader raw/orders runs at once,
// the lazy summaries show stale ("upstream `raw/orders` has newer data") until their 5-minute
// freshness lag pulls them, and the output channel says why each automated run happened.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { suiteSession } from './support/session';
import { stepTimeout } from './support/workbench';
import { step } from './support/userPath';
import { nodeLook, recordNodeWords, recordedWords, waitForNodeWord, openLineageTab } from './support/lineage';

const summaries = ['orders_summary', 'customers_summary'];

describe('event_driven in VS Code: automation keeps the lineage fresh', { timeout: 20 * 60_000 }, () => {
  const { wb } = suiteSession({ name: 'automation', shotPrefix: 'automation-', seed: 'event_driven', extension: { kind: 'development' } });

  test('the CSV beside the lineage, nothing materialized yet', () => step(wb(), 'open', async (w) => {
    await w.waitForWorkbench();
    const view = await openLineageTab(w, 6, 5);
    // The CSV opens in its own group, so the CSV and the graph are both in view while editing.
    await w.openFileFromExplorer('source_data/orders.csv', { toSide: true });
    // The side bar is not needed from here on: the graph gets its room.
    await w.runCommand('View: Toggle Primary Side Bar Visibility');
    for (const key of ['raw/orders', ...summaries]) assert.equal((await nodeLook(view, key)).word, 'never materialized', key);
    await w.screenshot('before');
  }));

  test('Toggle Automation: the status bar shows the bolt and every asset gets materialized', () => step(wb(), 'toggle', async (w) => {
    const item = w.page.locator('.part.statusbar .statusbar-item', { has: w.page.locator('.codicon-type-hierarchy') }).first();
    assert.equal(await item.locator('.codicon-zap').count(), 0, 'no bolt while automation is off');
    await w.runCommand('Asset Lens: Toggle Automation');
    await item.locator('.codicon-zap').waitFor({ timeout: stepTimeout });
    assert.match(await item.innerText(), /6 assets/);
    for (const key of ['raw/orders', 'raw/customers', ...summaries]) await waitForNodeWord(w, key, /^materialized$/, 2 * stepTimeout);
    // Sources are looked at, not run: each shows its observation and data version.
    assert.match((await waitForNodeWord(w, 'source_orders', /^observed$/)).tooltip, /data version \S+/);
    await w.screenshot('automation-on');
  }));

  test('saving an edited orders.csv: raw/orders runs at once, the summaries go stale', () => step(wb(), 'edit-csv', async (w) => {
    const view = w.lineage();
    await recordNodeWords(view);
    const before = await nodeLook(view, 'orders_summary');
    const oldVersion = (await nodeLook(view, 'source_orders')).tooltip;
    const csv = w.page.locator('.editor-group-container', { has: w.page.locator('.tab.active[data-resource-name="orders.csv"]') }).locator('.monaco-editor .view-lines').first();
    await csv.click();
    await w.page.keyboard.press('Control+End');
    await w.page.keyboard.type('9999,1,2024-01-09,42.0,completed\n');
    await w.page.keyboard.press('Control+S');
    await w.page.locator('.tab.active[data-resource-name="orders.csv"]:not(.dirty)').waitFor({ timeout: stepTimeout });

    const stale = await waitForNodeWord(w, 'orders_summary', /^stale$/, 2 * stepTimeout);
    const observed = await nodeLook(view, 'source_orders');
    assert.equal(observed.word, 'observed');
    assert.notEqual(observed.tooltip, oldVersion, 'the source has a new data version');
    // The node shows as much of the reason as fits; its tooltip has all of it.
    assert.match(stale.reason, /^upstream/);
    assert.match(stale.tooltip, /upstream `raw\/orders` has newer data/);
    assert.notEqual(stale.colour, before.colour, 'the stale summary is drawn in another colour than a fresh one');
    assert.match((await waitForNodeWord(w, 'customers_summary', /^stale$/)).tooltip, /upstream `raw\/orders` has newer data/);
    const loader = await recordedWords(view, 'raw/orders');
    assert.deepEqual(loader.slice(-2), ['running', 'materialized'], `raw/orders showed ${loader.join(' → ')}`);
    assert.equal((await nodeLook(view, 'raw/customers')).word, 'materialized', 'the customers loader had no new data');
    await w.screenshot('stale');

    const log = await w.readOutputChannel('Asset Lens');
    assert.match(log, /Automation: raw\/orders \(eager: upstream source_orders has new data\) success/, log);
    assert.match(log, /✓ raw\/orders\s+\d[\d,]* rows/, log);
  }));

  test('within their 5-minute freshness lag the summaries are pulled and fresh again', () => step(wb(), 'freshness', async (w) => {
    // Real time: the server ticks every minute and runs a lazy asset just before it would be late.
    for (const key of summaries) await waitForNodeWord(w, key, /^materialized$/, 7 * 60_000);
    const log = await w.readOutputChannel('Asset Lens');
    assert.match(log, /Automation: .*orders_summary.*\(freshness: .*\) success/, log);
    await w.screenshot('fresh-again');
  }));
});
