// The lineage panel in a real VS Code (code-server + Chromium) on jaffle_shop: the selection-syntax
// search and filter, Materialize Upstream from a node's context menu with the statuses changing
// live (running, then materialized) with no refresh, Copy Key, shift-click multi-select and
// Materialize, the keyboard (arrows, Enter opens), and the side bar view following the editor.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { closeSession, openSession, type Session } from './support/session';
import { stepTimeout, type Workbench } from './support/workbench';
import { expectLineage, step } from './support/userPath';

/** The lineage webview's document for a placement, found by the meta tag the host writes. */
async function lineageFrame(w: Workbench, placement: 'editor' | 'sidebar'): Promise<Frame> {
  const deadline = Date.now() + stepTimeout;
  for (;;) {
    for (const f of w.page.frames()) {
      if (await f.locator(`meta[name="asset-lens-placement"][content="${placement}"]`).count().catch(() => 0)) return f;
    }
    if (Date.now() > deadline) throw new Error(`no lineage webview shown in the ${placement}`);
    await w.page.waitForEvent('framenavigated', { timeout: 2_000 }).catch(() => undefined);
  }
}

const node = (f: Frame, key: string) => f.locator(`g.node[data-key="${key}"]`);
const statusText = async (f: Frame, key: string): Promise<string> => ((await node(f, key).locator('.node-status').textContent()) ?? '').trim();

describe('the lineage panel in VS Code on jaffle_shop', { timeout: 15 * 60_000 }, () => {
  let session: Session | undefined;
  const wb = (): Workbench => {
    if (!session) throw new Error('no session: code-server or Chromium did not start');
    return session.workbench;
  };

  before(async () => {
    session = await openSession({ name: 'panel', shotPrefix: 'panel-', seed: 'jaffle_shop', extension: { kind: 'development' } });
    await session.workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));

  test('the lineage tab opens beside a model and its search takes the selection syntax', () => step(wb(), 'search', async (w) => {
    await w.waitForWorkbench();
    await w.openFileFromExplorer('models/customers.sql');
    await w.runCommand('Asset Lens: Open Lineage in Editor');
    await expectLineage(w);
    const f = await lineageFrame(w, 'editor');
    await f.locator('#search').fill('+customers');
    await f.locator('#match-count', { hasText: '7 matches' }).waitFor();
    const matched = await f.locator('g.node.match').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')).sort());
    assert.deepEqual(matched, ['customers', 'raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders', 'stg_payments']);
    await f.locator('#filter').click();
    await f.locator('#summary', { hasText: '7 of 8 assets' }).waitFor();
    assert.equal(await node(f, 'orders').count(), 0, 'Filter hides what does not match');
    await w.screenshot('search-filter');
    await f.locator('#show-all').click();
    await f.locator('#summary', { hasText: /^8 assets/ }).waitFor();
  }));

  test('Materialize Upstream from a node\'s context menu: statuses go running, then materialized, live', () => step(wb(), 'menu-materialize', async (w) => {
    const f = await lineageFrame(w, 'editor');
    // Record every status each node shows, as the user would see them change, with no refresh.
    await f.locator('body').evaluate(`(() => {
      window.__seen = {};
      const grab = () => document.querySelectorAll('g.node[data-key]').forEach((g) => {
        const k = g.getAttribute('data-key'); const s = (g.querySelector('.node-status') || {}).textContent || '';
        const list = (window.__seen[k] = window.__seen[k] || []);
        if (list[list.length - 1] !== s) list.push(s);
      });
      new MutationObserver(grab).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      grab();
    })()`);
    assert.equal(await statusText(f, 'customers'), 'never materialized');
    await node(f, 'customers').click({ button: 'right' });
    assert.equal(await f.locator('#context-menu .menu-title').textContent(), 'customers');
    await w.screenshot('context-menu');
    await f.locator('#context-menu button[data-action="materialize-upstream"]').click();
    await node(f, 'customers').locator('.node-status', { hasText: /^checks failing$|^materialized$/ }).waitFor({ timeout: 3 * stepTimeout });
    for (const key of ['raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders', 'stg_payments']) {
      await node(f, key).locator('.node-status', { hasText: /^materialized$/ }).waitFor();
    }
    assert.equal(await statusText(f, 'orders'), 'never materialized', 'orders is not upstream of customers');
    const seen = await f.locator('body').evaluate(() => (window as unknown as { __seen: Record<string, string[]> }).__seen);
    const customers = seen['customers'] ?? [];
    const ran = customers.findIndex((s) => s === 'running' || s === 'queued');
    assert.ok(ran >= 0 && ran < customers.length - 1, `customers showed running (or queued) before its outcome: ${JSON.stringify(customers)}`);
    assert.match(await node(f, 'customers').locator('.node-meta').textContent() ?? '', /\d+ rows/);
    await w.screenshot('after-run');
  }));

  test('Copy Key puts the asset key on the clipboard', () => step(wb(), 'copy-key', async (w) => {
    const f = await lineageFrame(w, 'editor');
    await node(f, 'stg_orders').click({ button: 'right' });
    await f.locator('#context-menu button[data-action="copy-key"]').click();
    await w.page.locator('.part.statusbar', { hasText: 'Copied stg_orders' }).waitFor();
    assert.equal(await w.page.evaluate(() => navigator.clipboard.readText()), 'stg_orders');
  }));

  test('shift-click selects two nodes and Materialize runs just those', () => step(wb(), 'multi-select', async (w) => {
    const f = await lineageFrame(w, 'editor');
    await node(f, 'orders').click();
    await node(f, 'stg_orders').click({ modifiers: ['Shift'] });
    assert.equal(await f.locator('g.node.selected').count(), 2);
    const run = f.locator('#materialize-selection');
    assert.equal((await run.textContent())?.trim(), 'Materialize 2');
    await w.screenshot('multi-select');
    await run.click();
    await node(f, 'orders').locator('.node-status', { hasText: /^materialized$|^checks failing$/ }).waitFor({ timeout: 3 * stepTimeout });
  }));

  test('arrow keys move between neighbours and Enter opens the asset\'s file', () => step(wb(), 'keyboard', async (w) => {
    const f = await lineageFrame(w, 'editor');
    await node(f, 'raw_orders').focus();
    await w.page.keyboard.press('ArrowRight');
    const focused = await f.evaluate(() => document.activeElement?.getAttribute('data-key'));
    assert.equal(focused, 'stg_orders', 'right goes downstream to the neighbour');
    await w.page.keyboard.press('ArrowDown');
    assert.equal(await f.evaluate(() => document.activeElement?.getAttribute('data-key')), 'stg_payments', 'down goes to the next node of the layer');
    await w.page.keyboard.press('Enter');
    await w.page.locator('.tab.active', { hasText: 'stg_payments.sql' }).waitFor({ timeout: stepTimeout });
  }));

  test('the side bar view starts in focus mode and follows the active editor', () => step(wb(), 'sidebar', async (w) => {
    await w.runCommand('Asset Lens: Show Lineage');
    const f = await lineageFrame(w, 'sidebar');
    await f.locator('#focus[aria-pressed="true"]').waitFor();
    await f.locator('g.node.active[data-key="stg_payments"]').waitFor({ timeout: stepTimeout });
    const keys = async (): Promise<string[]> => (await f.locator('g.node[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''))).sort();
    assert.deepEqual(await keys(), ['customers', 'orders', 'raw_payments', 'stg_payments']);
    // The headless webview test (test/webview/lineageLayout.test.ts) checks the side bar's top-to-bottom layout.
    await w.screenshot('sidebar');
    await w.page.locator('.tabs-container .tab[data-resource-name="customers.sql"]').click();
    await f.locator('g.node.active[data-key="customers"]').waitFor({ timeout: stepTimeout });
    assert.deepEqual(await keys(), ['customers', 'stg_customers', 'stg_orders', 'stg_payments']);
    await w.screenshot('sidebar-follows');
  }));
});
