// The automation loop headless (`asset-lens daemon`'s loop), driven by a fake clock: seed 002
// (an edited CSV is observed, the eager loader runs, the summary goes stale and then runs within
// its freshness lag) and seed 004 (a downstream's freshness pulls its upstreams).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { assetState } from '../../src/adapters/assetState';
import { automationStateFile } from '../../src/adapters/automationLoop';
import { daemonLoop } from '../../src/cli/daemon';
import { metadataFile } from '../../src/core/warehouse';
import type { Graph } from '../../src/core/graph';
import type { AssetKey } from '../../src/core/model';
import { cli, workspace } from './runnerFixture';

const minute = 60_000;
const t0 = Date.UTC(2024, 0, 10, 12, 0);

async function harness(sample: string) {
  const root = workspace({}, sample);
  let graph: Graph = (await openWorkspace(root)).graph();
  let now = t0;
  const log: string[] = [];
  const loop = daemonLoop(root, () => graph, () => now, (m) => log.push(m));
  const step = async (at: number) => { now = at; const r = await loop.tick(); await loop.idle(); return r; };
  const state = async () => (await assetState(root, graph, join(root, metadataFile), now, false)).report.assets;
  const reindex = async () => { graph = (await openWorkspace(root)).graph(); };
  return { root, step, state, log, reindex };
}

test('seed 002: an edited orders.csv is observed, raw/orders runs eagerly, orders_summary goes stale and runs within its lag', async () => {
  const h = await harness('event_driven');
  const first = await h.step(t0);
  assert.deepEqual([...new Set(first.runRequests.flatMap((r) => r.keys))].sort(), ['customers_summary', 'orders_summary', 'raw/customers', 'raw/orders']);
  const s0 = (await h.state()).get('orders_summary' as AssetKey)!; assert.equal(s0.status, 'fresh', JSON.stringify(s0.reasons) + h.log.join('\n') + JSON.stringify(first.runRequests));

  appendFileSync(join(h.root, 'source_data/orders.csv'), '9999,1,2024-01-09,42.0,completed\n');
  const second = await h.step(t0 + minute);
  assert.ok(h.log.some((l) => /observed source_orders: new data version/.test(l)), h.log.join('\n'));
  assert.deepEqual(second.runRequests.map((r) => [r.keys.join(' '), r.reason]), [['raw/orders', 'eager: upstream source_orders has new data']]);
  const stale = (await h.state()).get('orders_summary' as AssetKey)!;
  assert.equal(stale.status, 'stale');
  assert.deepEqual(stale.reasons.map((r) => r.message), ['upstream `raw/orders` has newer data']);
  assert.equal((await h.state()).get('customers_summary' as AssetKey)!.reasons[0]?.message, 'upstream `raw/orders` has newer data', h.log.join('\n'));

  const quiet = await h.step(t0 + 2 * minute);
  assert.deepEqual(quiet.runRequests, [], 'lazy: nothing runs while the summary is within its 5 minute lag');
  let ranAt: number | undefined;
  for (let m = 3; m <= 6 && ranAt === undefined; m++) {
    const r = await h.step(t0 + m * minute);
    if (r.runRequests.some((q) => q.keys.includes('orders_summary' as AssetKey))) ranAt = t0 + m * minute;
  }
  assert.ok(ranAt !== undefined && ranAt <= t0 + 6 * minute, 'orders_summary ran before it was 5 minutes behind the new data');
  const after = (await h.state()).get('orders_summary' as AssetKey)!;
  assert.equal(after.status, 'fresh');
  assert.equal(after.freshness!.state, 'fresh');
  const history = JSON.parse(cli('status', h.root, '--json').stdout) as { assets: { key: string; stale: { reasons: string[] } }[] };
  assert.deepEqual(history.assets.find((a) => a.key === 'orders_summary')!.stale.reasons, []);
  const state = JSON.parse(readFileSync(join(h.root, automationStateFile), 'utf8')) as { lastTickAt: number };
  assert.equal(state.lastTickAt, ranAt, 'the state is persisted after every tick');
});

test('seed 004: the freshness of a downstream pulls its upstreams', async () => {
  const h = await harness('stargazer');
  const first = await h.step(t0);
  assert.equal(first.runRequests.flatMap((r) => r.keys).length, 7, first.runRequests.map((r) => r.reason).join('\n'));
  let pulled: readonly string[] = [];
  for (let m = 1; m <= 5 && !pulled.length; m++) {
    const r = await h.step(t0 + m * minute);
    const req = r.runRequests.find((q) => q.keys.includes('mart/mart_gh_cumulative' as AssetKey));
    if (req) pulled = req.keys;
  }
  assert.ok(pulled.includes('postgres/stargazers') && pulled.includes('postgres/stargazers_user'), pulled.join(', '));
  assert.equal((await h.state()).get('mart/mart_gh_cumulative' as AssetKey)!.freshness!.state, 'fresh');
});
