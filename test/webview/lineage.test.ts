// The lineage webview in headless Chromium with a fake VS Code host (see lineagePage.ts). Every
// assertion is about what a user sees or what a click sends. Screenshots land in test-results/webview/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AssetDto, GraphDto, StepEvent } from '../../src/shared/dto';
import type { HostToWebview } from '../../src/shared/webviewProtocol';
import type { LineageHost } from '../../src/extension/lineageView';
import {
  JAFFLE, LIGHT, STATUS, asset, assertNoOverlaps, cspViolations, lineageModule, minutesAgo, openPage, posted, running,
  send, shots, showJaffle, startHarness, statusOf, stopHarness,
} from './lineagePage';

before(() => startHarness());
after(stopHarness);

test('renders the jaffle shop graph: 8 named nodes, 8 edges, the summary, no inline code needed', async () => {
  const { page, errors } = await openPage();
  assert.deepEqual(await posted(page), [{ type: 'ready' }], 'the page says ready and nothing else before it has a graph');
  await showJaffle(page, false);
  const names = await page.locator('g.node .node-name').allTextContents();
  assert.deepEqual([...names].sort(), JAFFLE.assets.map((a) => a.key).sort());
  assert.equal(await page.locator('path.edge[data-from][data-to]').count(), 8);
  assert.equal(await page.locator('path.edge[data-from="stg_orders"][data-to="customers"]').count(), 1);
  assert.equal(await page.locator('#summary').textContent(), '8 assets · 8 edges');
  assert.equal(await statusOf(page, 'customers'), 'never materialized');
  const x = async (key: string): Promise<number> => (await page.locator(`g.node[data-key="${key}"]`).boundingBox())?.x ?? NaN;
  assert.ok((await x('raw_orders')) < (await x('stg_orders')) && (await x('stg_orders')) < (await x('orders')), 'layers run left to right');
  await assertNoOverlaps(page);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});


test('shows status words, rows and times, and animates a running step', async () => {
  const { page } = await openPage();
  await showJaffle(page);
  assert.equal(await statusOf(page, 'raw_customers'), 'materialized');
  assert.equal(await statusOf(page, 'customers'), 'checks failing');
  assert.equal(await statusOf(page, 'orders'), 'failed');
  assert.equal(await statusOf(page, 'stg_payments'), 'never materialized');
  assert.equal(await page.locator('g.node[data-key="raw_payments"] .node-meta').textContent(), '113 rows · 12 min ago');
  await send(page, { type: 'runEvent', event: running });
  const node = page.locator('g.node[data-key="stg_payments"]');
  await page.waitForSelector('g.node[data-key="stg_payments"].status-running');
  assert.equal(await statusOf(page, 'stg_payments'), 'running');
  const animation = await node.locator('.status-dot').evaluate((e) => getComputedStyle(e).animationName);
  assert.match(animation, /pulse/);
  await page.screenshot({ path: join(shots, 'lineage-dark.png') });
  await send(page, { type: 'runEvent', event: { ...running, status: 'success', rows: 113 } });
  await page.waitForSelector('g.node[data-key="stg_payments"].status-materialized');
  assert.equal(await page.locator('g.node[data-key="stg_payments"] .node-meta').textContent(), '113 rows · just now');
  await page.close();
});

test('double-click opens, the context menu materializes with the right scope, shows the last run and copies the key', async () => {
  const { page } = await openPage();
  await showJaffle(page);
  const node = page.locator('g.node[data-key="stg_orders"]');
  await node.dblclick();
  await node.click({ button: 'right' });
  assert.equal(await page.locator('#context-menu .menu-title').textContent(), 'stg_orders');
  assert.ok(await page.locator('#context-menu button[data-action="show-partitions"]').isHidden(), 'no Show Partitions on an unpartitioned asset');
  await page.screenshot({ path: join(shots, 'lineage-context-menu.png') });
  for (const action of ['materialize', 'materialize-upstream', 'materialize-downstream', 'open', 'show-run', 'show-compiled-sql', 'copy-key']) {
    await node.click({ button: 'right' });
    await page.click(`#context-menu button[data-action="${action}"]`);
    assert.ok(await page.locator('#context-menu').isHidden(), 'the menu closes after a choice');
  }
  assert.deepEqual((await posted(page)).slice(1), [
    { type: 'open', key: 'stg_orders' },
    { type: 'materialize', keys: ['stg_orders'], scope: 'this' },
    { type: 'materialize', keys: ['stg_orders'], scope: 'upstream' },
    { type: 'materialize', keys: ['stg_orders'], scope: 'downstream' },
    { type: 'open', key: 'stg_orders' },
    { type: 'showRun', key: 'stg_orders' },
    { type: 'showCompiledSql', key: 'stg_orders' },
    { type: 'copyKey', key: 'stg_orders' },
  ]);
  assert.ok(await node.evaluate((e) => e.classList.contains('selected')), 'the clicked node is selected');
  assert.equal(await page.locator('path.edge.highlight').count(), 3, 'its edges are highlighted');
  // An asset that never ran has no run to show.
  await page.locator('g.node[data-key="stg_payments"]').click({ button: 'right' });
  assert.ok(await page.locator('#context-menu button[data-action="show-run"]').isHidden(), 'no Show Last Run before a run');
  await page.keyboard.press('Escape');
  assert.ok(await page.locator('#context-menu button[data-action="materialize-full-refresh"]').isHidden(), 'no Full Refresh on a view');
  await page.close();
});

test('an incremental model offers Materialize (Full Refresh) in its menu', async () => {
  const { page } = await openPage();
  const graph = { ...JAFFLE, assets: JAFFLE.assets.map((a) => (a.key === 'orders' ? { ...a, materialized: 'incremental' as const } : a)) };
  await send(page, { type: 'graph', graph });
  const node = page.locator('g.node[data-key="orders"]');
  await node.click({ button: 'right' });
  await page.click('#context-menu button[data-action="materialize-full-refresh"]');
  assert.deepEqual((await posted(page)).slice(1), [{ type: 'materialize', keys: ['orders'], scope: 'this', fullRefresh: true }]);
  await page.close();
});

test('search highlights matching names and Fit restores the whole graph', async () => {
  const { page } = await openPage({ theme: LIGHT });
  await showJaffle(page);
  await page.fill('#search', 'stg');
  await page.waitForSelector('g.node.match');
  assert.deepEqual((await page.locator('g.node.match').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).sort(), ['stg_customers', 'stg_orders', 'stg_payments']);
  assert.equal(await page.locator('g.node.dimmed').count(), 5);
  assert.equal(await page.locator('#match-count').textContent(), '3 matches');
  await page.screenshot({ path: join(shots, 'lineage-light-search.png') });
  await page.mouse.move(600, 300);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(() => (window as unknown as { __state?: { transform?: unknown } }).__state?.transform !== undefined);
  await page.click('#fit');
  await page.waitForFunction(() => (window as unknown as { __state?: { transform?: unknown } }).__state?.transform === undefined);
  await assertNoOverlaps(page);
  await page.close();
});

test('restores the saved zoom, marks the active editor\'s asset, opens from the keyboard', async () => {
  const { page } = await openPage({ savedState: { transform: { k: 0.5, x: 10, y: 20 } } });
  await showJaffle(page, false);
  assert.equal(await page.locator('g.viewport').getAttribute('transform'), 'translate(10,20) scale(0.5)');
  await send(page, { type: 'activeAsset', key: 'orders' });
  await page.waitForSelector('g.node.active[data-key="orders"]');
  await page.locator('g.node[data-key="customers"]').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'open', key: 'customers' }, 'Enter on a focused node opens it');
  await page.close();
});

test('hostile names and errors render as literal text', async () => {
  const { page, dialogs, errors } = await openPage();
  const img = 'evil/<img src=x onerror=alert(1)>';
  const drop = '"; DROP TABLE x; --';
  const graph: GraphDto = {
    assets: [asset(img, 'source'), asset(drop, 'python', [img])],
    diagnostics: [{ file: '<b>x</b>.sql', line: 1, severity: 'error', message: '<script>alert(2)</script>' }],
  };
  await send(page, { type: 'graph', graph });
  await send(page, { type: 'status', materializations: [{ key: drop, runId: 'r', status: 'failed', startedAt: minutesAgo(1), durationMs: 1, error: '<img src=y onerror=alert(3)>' }] });
  await page.waitForFunction(() => document.querySelectorAll('g.node.status-failed').length === 1);
  const shown = await page.locator('g.node .node-name').allTextContents();
  for (const name of ['<img src=x onerror=alert(1)>', drop]) {
    assert.ok(shown.some((s) => s === name || (s.endsWith('…') && name.startsWith(s.slice(0, -1)))), `${name} shown as text in ${JSON.stringify(shown)}`);
  }
  assert.ok((await page.locator('g.node title').allTextContents()).some((t) => t.includes(img) && !t.includes('…')));
  assert.match((await page.locator('#problems').getAttribute('title')) ?? '', /<script>alert\(2\)<\/script>/);
  await page.locator(`g.node[data-key="${drop.replace(/"/g, '\\"')}"]`).click({ button: 'right' });
  assert.equal(await page.locator('#context-menu .menu-title').textContent(), drop);
  assert.equal(await page.locator('img, script:not([src]), b').count(), 0, 'no element was made from workspace text');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), []);
  await page.screenshot({ path: join(shots, 'lineage-hostile.png') });
  await page.close();
});

test('the host relay posts nothing before ready, then the graph, status and active asset, then changes and run events', async () => {
  const fromPage: Array<(m: unknown) => void> = [];
  const toPage: HostToWebview[] = [];
  const calls: string[] = [];
  const emitters = { graph: [] as Array<() => void>, status: [] as Array<() => void>, run: [] as Array<(e: StepEvent) => void>, userRuns: [] as Array<(n: number) => void> };
  const on = <T>(list: T[]) => (fn: T) => { list.push(fn); return { dispose: () => list.splice(list.indexOf(fn), 1) }; };
  const host: LineageHost = {
    getGraph: async () => JAFFLE,
    getStatus: async () => STATUS,
    materialize: (keys, scope, partition, fullRefresh) => calls.push(`materialize ${keys.join(',')} ${scope}${fullRefresh ? ' full-refresh' : ''}`),
    open: (key) => calls.push(`open ${key}`),
    showRun: (key) => calls.push(`showRun ${key}`),
    cancelRuns: () => calls.push('cancelRuns'),
    // A run of this window is going when the view opens.
    userRuns: () => 1,
    onDidChangeUserRuns: on(emitters.userRuns) as never,
    onDidChangeGraph: on(emitters.graph) as never,
    onDidChangeStatus: on(emitters.status) as never,
    onRunEvent: on(emitters.run) as never,
    // The editor showed `orders` before this view opened: the view hears of it after the graph.
    activeAsset: () => 'orders',
  };
  let relay: { dispose(): void } | undefined;
  const { page } = await openPage({
    toHost: (m) => [...fromPage].forEach((fn) => fn(m)),
    beforeLoad: (p) => {
      const webview = { postMessage: async (m: HostToWebview) => { toPage.push(m); await send(p, m); return true; }, onDidReceiveMessage: on(fromPage) };
      relay = lineageModule().connectLineage(webview as never, host);
      emitters.run.forEach((fn) => fn(running));
      emitters.graph.forEach((fn) => fn());
      assert.deepEqual(toPage, [], 'nothing is posted before ready');
    },
  });
  // The page's own `ready` went through the relay, which answered with the graph and statuses.
  await page.waitForFunction(() => document.querySelector('g.node[data-key="orders"] .node-status')?.textContent === 'failed');
  await page.waitForSelector('g.node.active[data-key="orders"]');
  assert.deepEqual(toPage.map((m) => m.type), ['graph', 'status', 'activeAsset', 'userRuns']);
  await page.locator('#cancel-runs').waitFor({ state: 'visible' });
  emitters.userRuns.forEach((fn) => fn(0));
  await page.locator('#cancel-runs').waitFor({ state: 'hidden' });
  emitters.run.forEach((fn) => fn(running));
  await page.waitForSelector('g.node[data-key="stg_payments"].status-running');
  fromPage.forEach((fn) => fn({ type: 'materialize', keys: ['orders'], scope: 'upstream' }));
  fromPage.forEach((fn) => fn({ type: 'open', key: 'orders' }));
  fromPage.forEach((fn) => fn({ type: 'materialize', keys: 'orders', scope: 'everything' }));
  fromPage.forEach((fn) => fn({ type: 'materialize', keys: ['orders'], scope: 'this', fullRefresh: true }));
  fromPage.forEach((fn) => fn({ type: 'materialize', keys: ['orders'], scope: 'this', fullRefresh: 'yes' }));
  fromPage.forEach((fn) => fn({ type: 'showRun', key: 'orders' }));
  fromPage.forEach((fn) => fn({ type: 'showRun' }));
  fromPage.forEach((fn) => fn({ type: 'cancelRuns' }));
  assert.deepEqual(calls, ['materialize orders upstream', 'open orders', 'materialize orders this full-refresh', 'showRun orders', 'cancelRuns'], 'malformed messages are ignored');
  relay?.dispose();
  assert.equal(emitters.run.length + emitters.graph.length + emitters.status.length + emitters.userRuns.length + fromPage.length, 0, 'dispose unsubscribes');
  await page.close();
});

test('lays out a wider project with long edges and no overlapping nodes', async () => {
  const { page } = await openPage({ viewport: { width: 1400, height: 900 } });
  const assets: AssetDto[] = [
    ...['stripe/charges', 'stripe/refunds', 'app/users', 'app/events'].map((k) => asset(k, 'source')),
    asset('country_codes', 'seed'),
    asset('stg_charges', 'model', ['stripe/charges']), asset('stg_refunds', 'model', ['stripe/refunds']),
    asset('stg_users', 'model', ['app/users', 'country_codes']), asset('stg_events', 'model', ['app/events']),
    asset('int_payments', 'model', ['stg_charges', 'stg_refunds']), asset('int_sessions', 'model', ['stg_events']),
    asset('users_snapshot', 'snapshot', ['stg_users']),
    asset('fct_revenue', 'model', ['int_payments', 'stg_users']), asset('fct_engagement', 'model', ['int_sessions', 'stg_users', 'app/events']),
    asset('dim_users', 'model', ['users_snapshot', 'country_codes']),
    asset('ml/churn_features', 'python', ['fct_engagement', 'fct_revenue', 'dim_users']),
    asset('ml/churn_model', 'python', ['ml/churn_features']), asset('reports/weekly_kpis', 'sql_python', ['fct_revenue', 'fct_engagement']),
  ];
  await send(page, { type: 'graph', graph: { assets, diagnostics: [] } });
  await page.waitForSelector('g.node[data-key="ml/churn_model"]');
  assert.equal(await page.locator('g.node').count(), assets.length);
  assert.equal(await page.locator('path.edge').count(), assets.reduce((n, a) => n + a.deps.length, 0));
  assert.equal(await page.locator('g.node[data-key="ml/churn_model"] .node-name').textContent(), 'churn_model', 'a node shows the last key segment');
  await assertNoOverlaps(page);
  await page.screenshot({ path: join(shots, 'lineage-wide.png') });
  await page.close();
});
