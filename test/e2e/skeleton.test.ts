// The walking skeleton in a real VS Code (code-server + Chromium): a user opens the jaffle_shop
// dbt project, looks at the lineage, materializes a model with its upstream, and hovers a ref.
// The extension is loaded from the repository folder (dist/ built by scripts/test.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeSession, openSession, type Session } from './support/session';
import { stepTimeout, type Workbench } from './support/workbench';
import { expectActivated, expectLineage, step } from './support/userPath';

describe('jaffle_shop in VS Code: lineage, materialize, hover', { timeout: 15 * 60_000 }, () => {
  let session: Session | undefined;
  const wb = (): Workbench => {
    if (!session) throw new Error('no session: code-server or Chromium did not start');
    return session.workbench;
  };

  before(async () => {
    // Cold code-server installs take minutes (once per machine); starting one takes seconds.
    session = await openSession({ name: 'skeleton', seed: 'jaffle_shop', extension: { kind: 'development' } });
  }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));

  test('the workbench opens the dbt folder and Asset Lens activates', () => step(wb(), 'activate', async (w) => {
    await w.waitForWorkbench();
    await expectActivated(w);
  }));

  test('Show Lineage draws the 8 assets and 8 edges', () => step(wb(), 'lineage', async (w) => {
    await w.runCommand('Asset Lens: Show Lineage');
    const names = await expectLineage(w);
    for (const n of ['raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders', 'stg_payments', 'customers', 'orders']) {
      assert.ok(names.includes(n), `lineage shows ${n} (it shows: ${names.join(', ')})`);
    }
    await w.screenshot('panel');
  }));

  test('Materialize Upstream from the editor context menu runs the 7 steps', (t) => step(wb(), 'materialize', async (w) => {
    await w.openFileFromExplorer('models/customers.sql');
    await w.recordNotifications();
    await w.editorContextMenu(/Materialize Upstream/);
    const progress = await w.waitForNotification(/materializ/);
    t.diagnostic(`notification: ${progress}`);
    await w.showOutputChannel('Asset Lens');
    // The run is done when the target model (the last step) has logged its row count.
    await w.waitForOutput(/\bcustomers\b.*\brows?\b/, 3 * stepTimeout);
    const log = await w.readOutputChannel('Asset Lens');
    for (const asset of ['raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders', 'stg_payments', 'customers']) {
      const line = log.split('\n').find((l) => new RegExp(`\\b${asset}\\b`).test(l) && /\d+\s*rows?/.test(l) && /\d+(\.\d+)?\s*ms/.test(l));
      assert.ok(line, `the output logs ${asset} with rows and ms; the channel says:\n${log}`);
    }
    assert.doesNotMatch(log, /\b(error|failed)\b/i, `no step failed:\n${log}`);
    await w.screenshot('materialized');
  }));

  test('hovering a ref shows key, kind, last materialized, rows and a column profile', () => step(wb(), 'hover', async (w) => {
    await w.openFileFromExplorer('models/customers.sql');
    // The code lens above the model shows the run's summary once the store has it, as a user sees it.
    await w.page.locator('.codelens-decoration', { hasText: /✓ .*200 rows · 2\/2 checks/ }).first().waitFor({ timeout: stepTimeout });
    const hover = await w.hoverOverText("ref('stg_customers')", /Checks: 2\/2 passed/);
    // The hover may render in parts; wait for the profile table before reading.
    await hover.locator('table').first().waitFor({ timeout: stepTimeout });
    const text = await hover.innerText();
    assert.match(text, /stg_customers/, 'the asset key');
    assert.match(text, /\b(model|view|table|dbt)\b/i, `the kind in: ${text}`);
    assert.match(text, /materiali[sz]ed/i, `last materialized in: ${text}`);
    assert.match(text, /\d[\d,]*\s*rows? · [\d.]+ kB/i, `a row count and the data's size in: ${text}`);
    assert.match(text, /Checks: 2\/2 passed/, `the checks in: ${text}`);
    const header = (await hover.locator('table tr').first().innerText()).toLowerCase();
    assert.match(header, /column/, `a per-column profile table (header: ${header})`);
    for (const column of ['customer_id', 'first_name', 'last_name']) {
      assert.match(text, new RegExp(column), `the profile lists ${column}: ${text}`);
    }
    await w.screenshot('hover');
  }));

  test('the lineage in an editor tab paints the run: materialized upstream, never materialized elsewhere', () => step(wb(), 'lineage-status', async (w) => {
    await w.runCommand('Asset Lens: Open Lineage in Editor');
    const view = w.lineage();
    const status = (key: string) => view.locator(`g.node[data-key="${key}"] .node-status`);
    await status('customers').filter({ hasText: /^materialized$/ }).waitFor({ timeout: stepTimeout });
    for (const key of ['raw_customers', 'stg_customers', 'stg_orders', 'stg_payments']) assert.equal((await status(key).textContent())?.trim(), 'materialized', key);
    assert.equal((await status('orders').textContent())?.trim(), 'never materialized');
    await w.screenshot('lineage-after-run');
  }));

  test('double-clicking a node opens its file', () => step(wb(), 'open-from-lineage', async (w) => {
    await w.lineage().locator('g.node[data-key="stg_orders"]').dblclick();
    await w.page.locator('.tab.active', { hasText: 'stg_orders.sql' }).waitFor({ timeout: stepTimeout });
  }));
});
