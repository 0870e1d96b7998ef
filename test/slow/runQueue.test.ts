// The run queue with real DuckDB and a fake clock for automation: the same asset never runs twice
// at once across the editor's runs (the server's Runs) and automated runs (the loop `asset-lens
// daemon` and the server share), and one run at a time writes a warehouse file. An automated
// request whose asset a user's run holds is deferred and the log says so; a user's run that
// overlaps another waits for it, says what it waits for, and can be cancelled while it waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { StepEvent } from '../../src/shared/dto';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { MetadataStore } from '../../src/adapters/metadataStore';
import { daemonLoop } from '../../src/cli/daemon';
import { metadataFile } from '../../src/core/warehouse';
import { Runs } from '../../src/server/runs';
import { StatusCache } from '../../src/server/status';
import { Folder } from '../../src/server/workspace';
import type { ServerConfig } from '../../src/server/config';
import { workspace } from './runnerFixture';

const minute = 60_000;
const t0 = Date.UTC(2024, 0, 10, 12, 0);
const config: ServerConfig = { trusted: true, warehouse: '.assetlens/warehouse.duckdb', threads: 1, automation: false };

/** A copy of event_driven with the server's Runs and the daemon's loop on it, sharing the folder's run queue. */
async function harness(extra: Record<string, string> = {}) {
  const root = workspace(extra, 'event_driven');
  const folder = new Folder('event_driven', root, await openWorkspace(root));
  const events: StepEvent[] = [];
  const waits: { runToken: string; message: string }[] = [];
  const on = { event: (_e: StepEvent) => {}, waiting: (_token: string) => {} };
  const runs = new Runs(new StatusCache(), {
    onEvent: (e) => { events.push(e); on.event(e); }, onStatusChanged: () => {}, showFailures: () => {},
    onWaiting: (runToken, message) => { waits.push({ runToken, message }); on.waiting(runToken); },
  });
  let now = t0;
  const log: string[] = [];
  const loop = daemonLoop(root, () => folder.graph(), () => now, (m) => log.push(m));
  const step = async (at: number) => { now = at; const r = await loop.tick(); await loop.idle(); return r; };
  const materialize = (selection: string, runToken: string) => runs.materialize([folder], config, { selection, runToken });
  return { root, runs, events, waits, on, log, loop, step, materialize };
}

const summaryOf = <T>(r: { ok: true; value: T } | { ok: false; message: string }): T => { assert.ok(r.ok, r.ok ? '' : r.message); return r.value; };

test('an automation tick during a user run defers the overlapping request, says so, and a later tick runs it', async () => {
  // A schedule fires whatever the records say, so the tick's decision depends only on the claim.
  const h = await harness({ 'event_driven/schedules.py': [
    'from dagster import ScheduleDefinition, define_asset_job',
    'orders_job = define_asset_job("orders_job", selection=["raw/orders"])',
    'lunch = ScheduleDefinition(job=orders_job, cron_schedule="1 12 * * *", name="lunch")',
  ].join('\n') });
  await h.step(t0);
  let ticked: ReturnType<typeof h.step> | undefined;
  h.on.event = (e) => { if (e.key === 'raw/orders' && e.status === 'running') ticked ??= h.step(t0 + minute); };
  const user = summaryOf(await h.materialize('raw/orders', 'user'));
  assert.equal(user.status, 'success');
  assert.ok(ticked, 'the tick started while the user run held raw/orders');
  assert.deepEqual((await ticked).runRequests, []);
  assert.ok(h.log.includes("deferred schedule lunch (1 12 * * *): waiting for raw/orders, held by run of 'raw/orders'; a later tick asks again"), h.log.join('\n'));
  const later = await h.step(t0 + 2 * minute);
  assert.deepEqual(later.runRequests.map((r) => [r.keys, r.reason]), [[['raw/orders'], 'schedule lunch 1 12 * * *']], 'the 12:01 tick was deferred, not dropped');
  assert.ok(h.log.includes('automation run success: raw/orders'), h.log.join('\n'));
});

test('a user run that overlaps an automated run waits for it and says what it waits for', async () => {
  const h = await harness();
  const first = await h.loop.tick();
  assert.equal(first.runRequests.length, 1);
  const user = h.materialize('raw/orders', 'user');
  // The first tick's one run holds the eager loaders and the lazy summaries, and says why for both.
  assert.deepEqual(h.waits, [{ runToken: 'user', message: 'waiting for automation run of raw/customers, raw/orders, customers_summary, orders_summary ' +
    '(eager: never materialized; freshness: customers_summary was never materialized; freshness: orders_summary was never materialized) to finish' }]);
  await h.loop.idle();
  assert.equal(summaryOf(await user).status, 'success');
  const automated = h.log.findIndex((l) => l.startsWith('automation run success'));
  assert.ok(automated >= 0, h.log.join('\n'));
});

test('overlapping user runs: the second waits for the first and says so; one into the same warehouse waits its turn too', async () => {
  const h = await harness();
  const a = h.materialize('+orders_summary', 'a');
  const b = h.materialize('raw/orders', 'b');
  const c = h.materialize('raw/customers', 'c');
  const [ra, rb, rc] = [summaryOf(await a), summaryOf(await b), summaryOf(await c)];
  assert.deepEqual([ra.status, rb.status, rc.status], ['success', 'success', 'success'], JSON.stringify([ra, rb, rc].map((r) => [r.error, r.steps.map((x) => x.error)])));
  assert.deepEqual(h.waits, [
    { runToken: 'b', message: "waiting for run of '+orders_summary' to finish" },
    { runToken: 'c', message: "waiting for run of '+orders_summary' to finish (it writes the same warehouse)" },
    { runToken: 'c', message: "waiting for run of 'raw/orders' to finish (it writes the same warehouse)" },
  ]);
  // The runs' step events never interleave: each started after the one before it ended.
  const order = h.events.map((e) => e.runId).filter((id, i, all) => id !== all[i - 1]);
  assert.deepEqual(order, [ra.runId, rb.runId, rc.runId]);
});

test('cancelling a run while it waits: it answers cancelled, nothing of it runs, the other run is untouched', async () => {
  const h = await harness();
  h.on.waiting = (token) => h.runs.cancel(token);
  const a = h.materialize('+orders_summary', 'a');
  const b = summaryOf(await h.materialize('raw/orders', 'b'));
  assert.equal(b.status, 'cancelled');
  assert.deepEqual(b.steps, []);
  assert.equal(b.error, "Cancelled while waiting for run of '+orders_summary'; nothing ran.");
  assert.equal(summaryOf(await a).status, 'success');
  const store = await MetadataStore.open(join(h.root, metadataFile));
  try {
    assert.deepEqual((await store.runs()).map((r) => r.selection), ['+orders_summary'], 'the cancelled run is not in the history');
  } finally { store.close(); }
});
