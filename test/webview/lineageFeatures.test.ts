// The lineage panel's newer features in headless Chromium with the fake host: layout in the worker,
// multi-select and materialize selection, selection-syntax search, focus, clusters, stale status,
// keyboard navigation, refresh, the partition matrix, and a big graph drawn on canvas.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AssetDto, GraphDto } from '../../src/shared/dto';
import { JAFFLE, LIGHT, STATUS, asset, cspViolations, openPage, posted, send, shots, showJaffle, startHarness, statusOf, stopHarness } from './lineagePage';

before(() => startHarness());
after(stopHarness);

const dbt = (a: AssetDto, project: string): AssetDto => ({ ...a, dbt: { unique_id: `${a.kind}.${project}.${a.key}` } });
const CLUSTERED: GraphDto = {
  assets: [
    ...JAFFLE.assets.map((a) => dbt(a, 'jaffle_shop')),
    { ...asset('ml/churn_features', 'python', ['customers', 'orders']), group: 'ml' },
    { ...asset('ml/churn_model', 'python', ['ml/churn_features']), group: 'ml', tags: ['nightly'] },
  ],
  diagnostics: [],
};

test('the layout runs in the worker, and shift/ctrl-click selects several assets to materialize at once', async () => {
  const { page, errors } = await openPage();
  await showJaffle(page);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/dist/layoutWorker.js'))), true, 'the worker script was fetched');
  assert.ok(await page.locator('#materialize-selection').isDisabled(), 'nothing selected: nothing to materialize');
  await page.locator('g.node[data-key="stg_orders"]').click();
  await page.locator('g.node[data-key="stg_payments"]').click({ modifiers: ['Shift'] });
  await page.locator('g.node[data-key="orders"]').click({ modifiers: ['Control'] });
  assert.equal(await page.locator('g.node.selected').count(), 3);
  assert.equal(await page.locator('#materialize-selection').textContent(), 'Materialize 3');
  await page.click('#materialize-selection');
  await page.locator('g.node[data-key="orders"]').click({ button: 'right' });
  assert.equal(await page.locator('#context-menu .menu-title').textContent(), '3 selected assets');
  await page.click('#context-menu button[data-action="materialize-upstream"]');
  await page.click('#refresh');
  assert.deepEqual((await posted(page)).slice(1), [
    { type: 'materialize', keys: ['orders', 'stg_orders', 'stg_payments'], scope: 'this' },
    { type: 'materialize', keys: ['orders', 'stg_orders', 'stg_payments'], scope: 'upstream' },
    { type: 'refresh' },
  ]);
  await page.screenshot({ path: join(shots, 'lineage-multiselect.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), []);
  await page.close();
});

test('while runs of this window go on, the toolbar offers Cancel; it asks the host to cancel them and goes when they end', async () => {
  const { page, errors } = await openPage();
  await showJaffle(page);
  const cancel = page.locator('#cancel-runs');
  assert.equal(await cancel.isVisible(), false, 'no run: no Cancel button');
  await send(page, { type: 'userRuns', running: 1 });
  await cancel.waitFor({ state: 'visible' });
  assert.equal(await cancel.innerText(), 'Cancel run');
  await send(page, { type: 'userRuns', running: 2 });
  assert.equal(await cancel.innerText(), 'Cancel 2 runs');
  await page.screenshot({ path: join(shots, 'lineage-cancel-runs.png') });
  await cancel.click();
  assert.deepEqual((await posted(page)).slice(1), [{ type: 'cancelRuns' }]);
  await send(page, { type: 'userRuns', running: 0 });
  await cancel.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('search takes the selection syntax; Filter draws only the matches', async () => {
  const { page } = await openPage();
  await send(page, { type: 'graph', graph: CLUSTERED });
  await page.waitForSelector('g.node[data-key="ml/churn_model"]');
  const matched = async (): Promise<string[]> => (await page.locator('g.node.match').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''))).sort();
  const cases: [string, string[]][] = [
    ['+orders', ['orders', 'raw_orders', 'raw_payments', 'stg_orders', 'stg_payments']],
    ['stg_orders+', ['customers', 'ml/churn_features', 'ml/churn_model', 'orders', 'stg_orders']],
    ['1+customers', ['customers', 'stg_customers', 'stg_orders', 'stg_payments']],
    ['tag:nightly', ['ml/churn_model']],
    ['group:ml', ['ml/churn_features', 'ml/churn_model']],
    ['kind:seed,raw_o', ['raw_orders']],
    ['kind:python customers', ['customers', 'ml/churn_features', 'ml/churn_model', 'raw_customers', 'stg_customers']],
  ];
  for (const [query, keys] of cases) {
    await page.fill('#search', query);
    assert.deepEqual(await matched(), keys, query);
  }
  await page.fill('#search', '+orders');
  await page.click('#filter');
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 5);
  assert.equal(await page.locator('#summary').textContent(), '5 of 10 assets · 4 edges');
  await page.click('#show-all');
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 10);
  assert.equal(await page.locator('#search').inputValue(), '');
  await page.close();
});

test('dbt projects and groups are clusters that collapse to one node and expand again', async () => {
  const { page } = await openPage({ viewport: { width: 1400, height: 700 } });
  await send(page, { type: 'graph', graph: CLUSTERED });
  await page.waitForSelector('g.node[data-key="ml/churn_model"]');
  assert.deepEqual((await page.locator('g.cluster[data-cluster]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-cluster')))])).sort(), ['jaffle_shop', 'ml']);
  await send(page, { type: 'status', materializations: STATUS });
  await page.screenshot({ path: join(shots, 'lineage-clusters.png') });
  await page.click('#collapse');
  await page.waitForSelector('g.node.cluster-node[data-key="group:jaffle_shop"]');
  assert.equal(await page.locator('g.node').count(), 2);
  assert.equal(await page.locator('path.edge[data-from="group:jaffle_shop"][data-to="group:ml"]').count(), 1);
  assert.equal(await statusOf(page, 'group:jaffle_shop'), '1 failed', 'a cluster shows its most urgent status');
  await page.screenshot({ path: join(shots, 'lineage-collapsed.png') });
  await page.locator('g.node[data-key="group:ml"]').dblclick();
  await page.waitForSelector('g.node[data-key="ml/churn_model"]');
  assert.equal(await page.locator('g.node').count(), 3);
  await page.locator('g.node[data-key="group:jaffle_shop"]').click({ button: 'right' });
  await page.click('#context-menu button[data-action="materialize"]');
  assert.deepEqual((await posted(page)).at(-1), { type: 'materialize', keys: JAFFLE.assets.map((a) => a.key).sort(), scope: 'this' });
  await page.close();
});

test('focus follows the active editor to the chosen depth', async () => {
  const { page } = await openPage();
  await send(page, { type: 'graph', graph: CLUSTERED });
  await page.waitForSelector('g.node[data-key="ml/churn_model"]');
  await send(page, { type: 'activeAsset', key: 'stg_orders' });
  await page.click('#focus');
  await page.selectOption('#focus-depth', '1');
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 4);
  assert.deepEqual((await page.locator('g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''))).sort(), ['customers', 'orders', 'raw_orders', 'stg_orders']);
  await send(page, { type: 'activeAsset', key: 'ml/churn_model' });
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 2);
  assert.ok(await page.locator('g.node.active[data-key="ml/churn_model"]').count());
  await page.close();
});

test('stale assets say why; nodes show checks and partition health; arrows move between neighbours', async () => {
  const { page } = await openPage({ theme: LIGHT });
  await showJaffle(page);
  await send(page, { type: 'status', materializations: STATUS, stale: [{ key: 'stg_customers', reason: 'code changed' }, { key: 'orders', reason: 'upstream newer' }] });
  await page.waitForFunction(() => document.querySelector('g.node[data-key="stg_customers"] .node-status')?.textContent === 'stale');
  assert.equal(await page.locator('g.node[data-key="stg_customers"] .node-reason').textContent(), '· code changed');
  assert.equal(await statusOf(page, 'orders'), 'failed', 'a failure outranks staleness');
  assert.match((await page.locator('g.node[data-key="customers"] .node-meta').textContent()) ?? '', /1 of 1 check failing|1 of 1 ch…/);
  await page.screenshot({ path: join(shots, 'lineage-light-stale.png') });
  await page.locator('g.node[data-key="raw_orders"]').focus();
  const focused = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'stg_orders');
  await page.keyboard.press('ArrowRight');
  assert.ok(['customers', 'orders'].includes((await focused()) ?? ''));
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'stg_payments');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ContextMenu');
  assert.ok(await page.locator('#context-menu').isVisible());
  assert.deepEqual((await posted(page)).at(-1), { type: 'open', key: 'stg_payments' });
  await page.close();
});

test('the partition matrix asks for states, draws them, materializes a cell and backfills a dragged range', async () => {
  const { page, errors } = await openPage({ viewport: { width: 1200, height: 700 } });
  const start = Date.UTC(2024, 0, 1);
  const days = Array.from({ length: 60 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  const graph: GraphDto = { assets: [
    { ...asset('events', 'python'), partitions: { kind: 'daily', start: '2024-01-01' } },
    { ...asset('daily_kpis', 'python', ['events']), partitions: { kind: 'daily', start: '2024-01-01' } },
  ], diagnostics: [] };
  await send(page, { type: 'graph', graph });
  await page.waitForSelector('g.node[data-key="daily_kpis"]');
  await page.locator('g.node[data-key="events"]').click();
  await page.locator('g.node[data-key="daily_kpis"]').click({ modifiers: ['Shift'] });
  await page.locator('g.node[data-key="events"]').click({ button: 'right' });
  await page.click('#context-menu button[data-action="show-partitions"]');
  assert.deepEqual((await posted(page)).at(-1), { type: 'partitions', keys: ['daily_kpis', 'events'] });
  const states = (f: (i: number) => string): string => days.map((_, i) => f(i)).join('');
  await send(page, { type: 'partitionStatus', partitionKeys: days, rows: [
    { key: 'events', states: states((i) => (i < 40 ? 'M' : i < 50 ? 'S' : i === 55 ? 'F' : '.')) },
    { key: 'daily_kpis', states: states((i) => (i < 30 ? 'M' : i === 31 ? 'R' : '.')) },
  ] });
  await page.waitForFunction(() => document.getElementById('partitions')?.dataset['unit'] === 'partition');
  const box = (await page.locator('#partition-canvas').boundingBox())!;
  const cellX = (i: number): number => box.x + 170 + (i + 0.5) * ((box.width - 170 - 12) / days.length);
  const rowY = (r: number): number => box.y + 26 + (r + 0.5) * 24;
  await page.mouse.click(cellX(45), rowY(0));
  await page.mouse.move(cellX(50), rowY(0));
  await page.mouse.down();
  await page.mouse.move(cellX(52), rowY(1), { steps: 4 });
  await page.mouse.up();
  assert.deepEqual((await posted(page)).slice(-2), [
    { type: 'materialize', keys: ['events'], scope: 'this', partition: days[45] },
    { type: 'backfill', keys: ['events', 'daily_kpis'], from: days[50], to: days[52] },
  ]);
  assert.equal(await page.locator('g.node[data-key="events"] g.partition-bar rect').count(), 4, 'the node shows its partition health');
  await page.screenshot({ path: join(shots, 'lineage-partitions.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('100,000 partitions aggregate into years when zoomed out and into months when zoomed in', async () => {
  const { page } = await openPage({ viewport: { width: 1200, height: 700 } });
  await send(page, { type: 'graph', graph: { assets: [{ ...asset('ticks', 'python'), partitions: { kind: 'daily', start: '1800-01-01' } }], diagnostics: [] } });
  await page.waitForSelector('g.node[data-key="ticks"]');
  await page.locator('g.node[data-key="ticks"]').click({ button: 'right' });
  await page.click('#context-menu button[data-action="show-partitions"]');
  await page.evaluate(() => {
    const keys: string[] = [];
    const start = Date.UTC(1800, 0, 1);
    for (let i = 0; i < 100_000; i++) keys.push(new Date(start + i * 86_400_000).toISOString().slice(0, 10));
    const states = keys.map((_, i) => (i % 97 === 0 ? 'F' : i % 13 === 0 ? '.' : 'M')).join('');
    window.postMessage({ type: 'partitionStatus', partitionKeys: keys, rows: [{ key: 'ticks', states }] }, '*');
  });
  await page.waitForFunction(() => document.getElementById('partitions')?.dataset['unit'] === 'year').catch(async (e: Error) => { throw new Error(`${e.message}: ${await page.evaluate(() => `${document.getElementById('partitions')?.dataset['unit']} ${document.getElementById('partition-unit')?.textContent}`)}`); });
  const box = (await page.locator('#partition-canvas').boundingBox())!;
  await page.mouse.move(box.x + 600, box.y + 30);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => ['month', 'week', 'partition'].includes(document.getElementById('partitions')?.dataset['unit'] ?? ''));
  await page.screenshot({ path: join(shots, 'lineage-partitions-100k.png') });
  await page.close();
});

test('a 3,000-asset graph draws on canvas with a minimap, and clicks on the canvas still select', async () => {
  const { page, errors } = await openPage({ viewport: { width: 1280, height: 720 } });
  const assets: AssetDto[] = Array.from({ length: 3000 }, (_, i) => dbt(asset(`m${i}`, i < 300 ? 'source' : 'model', i < 300 ? [] : [`m${Math.floor(i / 2) - (i % 7)}`]), `p${i % 3}`));
  await send(page, { type: 'graph', graph: { assets, diagnostics: [] } });
  await page.waitForFunction(() => document.getElementById('graph')?.hasAttribute('data-rendered'));
  assert.equal(await page.locator('#summary').textContent(), '3,000 assets · 2,700 edges');
  assert.ok(await page.locator('#minimap').isVisible());
  assert.equal(await page.locator('g.node').count(), 0, 'zoomed out, the canvas draws every node');
  await page.screenshot({ path: join(shots, 'lineage-big-overview.png') });
  await page.fill('#search', 'm1234');
  await page.press('#search', 'Enter');
  await page.waitForSelector('g.node[data-key="m1234"]');
  await page.screenshot({ path: join(shots, 'lineage-big-zoomed.png') });
  assert.ok((await page.locator('g.node').count()) < 200, 'zoomed in, only the nodes in view are SVG');
  assert.deepEqual(errors, []);
  await page.close();
});
