// The automation tick driven by a fake clock (no sleeping): every request it makes is "run" at
// once by a fake store that records what the runner would, and the next tick sees the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import type { Graph } from '../../src/core/graph';
import { keyFromString, type AssetKey } from '../../src/core/model';
import { RecordIndex, lineageFor, type AssetRecords, type MaterializationRecord, type ObservationRecord } from '../../src/core/records';
import { initialAutomationState, restoreAutomationState, tick, type AutomationInputs, type AutomationState, type RunRequest } from '../../src/core/automation';
import { codeVersion, materializationDataVersion } from '../../src/core/versions';

const k = keyFromString;
const t0 = Date.parse('2024-01-01T00:00:00Z');
const min = 60_000;

class FakeStore {
  mats: MaterializationRecord[] = [];
  obs: ObservationRecord[] = [];
  readonly codeVersions = new Map<AssetKey, string>();
  constructor(readonly graph: Graph) { for (const a of graph.assets.values()) this.codeVersions.set(a.key, codeVersion(a)); }
  records(now: number): AssetRecords {
    return { graph: this.graph, now, materializations: this.mats, codeVersions: this.codeVersions, observations: this.obs };
  }
  observe(key: string, dataVersion: string, now: number): void {
    const prev = this.obs.filter((o) => o.key === key).at(-1);
    this.obs.push({ key: k(key), dataVersion, observedAt: now, since: prev?.dataVersion === dataVersion ? prev.since : now });
  }
  run(r: RunRequest, now: number): void {
    for (const key of r.keys) {
      const { inputs, roots } = lineageFor(new RecordIndex(this.records(now)), key, r.partition);
      const code = this.codeVersions.get(key)!;
      const dv = materializationDataVersion(code, Object.keys(inputs).length ? inputs : { '@run': String(now) });
      this.mats.push({ key, partition: r.partition, at: now, codeVersion: code, dataVersion: dv, inputs, roots });
    }
  }
}

/** Ticks every minute from `from` to `to` (inclusive), running each request at once; returns what ran when. */
function drive(store: FakeStore, state: AutomationState, from: number, to: number, extra: Partial<AutomationInputs> = {}) {
  const log: { at: number; request: RunRequest }[] = [];
  for (let now = from; now <= to; now += min) {
    // The state goes through JSON every tick, as it does across a window reload.
    const r = tick(restoreAutomationState(JSON.parse(JSON.stringify(state))), { records: store.records(now), ...extra }, now);
    for (const request of r.runRequests) { log.push({ at: now, request }); store.run(request, now); }
    state = r.nextState;
  }
  return { log, state };
}

const ranKey = <T extends { request: RunRequest }>(log: T[], key: string): T[] => log.filter((e) => e.request.keys.includes(k(key)));

test('a schedule and a freshness need in the same tick run as one request that gives both reasons', async () => {
  const store = new FakeStore((await openWorkspace('seeds/stargazer')).graph());
  const schedules = [{ name: 'my_job_schedule', cron: '*/30 * * * *', selection: [k('postgres/stargazers'), k('postgres/stargazers_user')] }];
  const { state } = drive(store, initialAutomationState(), t0 + 25 * min, t0 + 25 * min, { schedules });
  // 00:30: the schedule fires just as mart_gh_cumulative (5 min lag, built at 00:25) falls due.
  const r = tick(state, { records: store.records(t0 + 30 * min), schedules }, t0 + 30 * min);
  const withCumulative = r.runRequests.find((q) => q.keys.includes(k('mart/mart_gh_cumulative')))!;
  assert.ok(withCumulative.keys.includes(k('postgres/stargazers')), 'one run: the schedule took in the freshness need');
  assert.equal(withCumulative.trigger, 'schedule');
  assert.match(withCumulative.reason, /^schedule my_job_schedule \*\/30 \* \* \* \*; freshness: mart\/mart_gh_cumulative would be \d+ min late \(max lag 5 min\)/);
});

test('seed 002: edit orders.csv → eager raw/orders runs → orders_summary stale → freshness runs it within 5 minutes', async () => {
  const store = new FakeStore((await openWorkspace('seeds/event_driven')).graph());
  store.observe('source_orders', 'v1', t0);
  store.observe('source_customers', 'c1', t0);
  // First tick: everything is missing; eager loaders and lazy summaries run in one request.
  let { log, state } = drive(store, initialAutomationState(), t0, t0);
  assert.deepEqual(log.map((e) => e.request.keys), [['raw/customers', 'raw/orders', 'customers_summary', 'orders_summary']]);
  assert.equal(log[0]!.request.reasons['raw/orders'], 'eager: never materialized');
  // Quiet for half an hour: nothing is new, nothing runs.
  ({ log, state } = drive(store, state, t0 + min, t0 + 30 * min));
  assert.deepEqual(log, []);

  const t1 = t0 + 31 * min;
  store.observe('source_orders', 'v2', t1);
  ({ log, state } = drive(store, state, t1, t1));
  assert.deepEqual(log.map((e) => [e.request.keys, e.request.reason]), [[['raw/orders'], 'eager: upstream source_orders has new data']]);
  const report = tick(state, { records: store.records(t1 + 30_000) }, t1 + 30_000).report;
  assert.deepEqual(report.assets.get(k('orders_summary'))!.reasons.map((r) => r.message), ['upstream `raw/orders` has newer data']);

  ({ log, state } = drive(store, state, t1 + min, t1 + 20 * min));
  const summary = ranKey(log, 'orders_summary');
  assert.equal(summary.length, 1, 'runs once, not every tick');
  assert.ok(summary[0]!.at > t1 + 2 * min && summary[0]!.at <= t1 + 5 * min, 'as late as its policy allows, within 5 minutes');
  assert.match(summary[0]!.request.reason, /^freshness: (orders|customers)_summary would be \d+ min late \(max lag 5 min\)$/);
  assert.deepEqual(ranKey(log, 'raw/orders'), [], 'the loader is current and does not run again');
  assert.equal(ranKey(log, 'customers_summary').length, 1);
});

test('seed 004: mart_gh_cumulative (5 min) pulls the ingestion assets; mart_gh_join (10 min) pulls mart_gh_stargazer', async () => {
  const store = new FakeStore((await openWorkspace('seeds/stargazer')).graph());
  let { log, state } = drive(store, initialAutomationState(), t0, t0);
  assert.equal(log.length, 1);
  assert.equal(log[0]!.request.keys.length, 7, 'the first tick fills every asset the two policies need');
  ({ log, state } = drive(store, state, t0 + min, t0 + 60 * min));
  const cumulative = ranKey(log, 'mart/mart_gh_cumulative');
  const join = ranKey(log, 'mart/mart_gh_join');
  assert.ok(cumulative.length >= 12 && cumulative.length <= 15, `about every 5 minutes, ran ${cumulative.length} times`);
  for (const e of cumulative) assert.ok(e.request.keys.includes(k('postgres/stargazers')) && e.request.keys.includes(k('postgres/stargazers_user')));
  assert.ok(join.length >= 6 && join.length <= 8, `about every 10 minutes, ran ${join.length} times`);
  for (const e of join) assert.ok(e.request.keys.includes(k('mart/mart_gh_stargazer')));
  assert.deepEqual(ranKey(log, 'mart/mart_gh_stargazer').map((e) => e.at), join.map((e) => e.at), 'only to keep the join fresh');
  const gaps = cumulative.slice(1).map((e, i) => (e.at - cumulative[i]!.at) / min);
  assert.ok(gaps.every((g) => g <= 5), `never more than 5 minutes apart: ${gaps.join(',')}`);
  assert.match(cumulative[0]!.request.reasons['postgres/stargazers']!, /^freshness: needed by mart\/mart_gh_(cumulative|join)$/);
});

test('schedules fire once per crossing, never retroactively, and wait whole while a run holds one of their assets', async () => {
  const store = new FakeStore((await openWorkspace('seeds/stargazer')).graph());
  for (const a of store.graph.assets.values()) store.run({ keys: [a.key], trigger: 'schedule', reason: '', reasons: {} }, t0 - 60 * min);
  const schedules = [{ name: 'my_job_schedule', cron: '*/30 * * * *', selection: [k('postgres/stargazers'), k('postgres/stargazers_user')] }];
  const noFreshness = new FakeStore(store.graph);
  noFreshness.mats = store.mats;
  const records = (now: number) => ({ ...store.records(now), graph: { ...store.graph, assets: new Map([...store.graph.assets].map(([key, a]) => [key, { ...a, freshness: undefined }])) } });
  let state = tick(initialAutomationState(), { records: records(t0 + 5 * min), schedules }, t0 + 5 * min).nextState;
  assert.equal(state.schedules.my_job_schedule, t0 + 5 * min, 'armed, did not fire for 00:00');
  let r = tick(state, { records: records(t0 + 29 * min), schedules }, t0 + 29 * min);
  assert.deepEqual(r.runRequests, []);
  const claims = { 'postgres/stargazers_user': "run of 'postgres/stargazers_user'" };
  r = tick(r.nextState, { records: records(t0 + 31 * min), schedules, claims }, t0 + 31 * min);
  assert.deepEqual(r.runRequests, [], 'deferred: a user run holds one of its assets');
  assert.deepEqual(r.notes, ["deferred schedule my_job_schedule (*/30 * * * *): waiting for postgres/stargazers_user, held by run of 'postgres/stargazers_user'; a later tick asks again"]);
  r = tick(r.nextState, { records: records(t0 + 32 * min), schedules }, t0 + 32 * min);
  assert.deepEqual(r.runRequests.map((q) => [q.keys, q.reason]), [[['postgres/stargazers', 'postgres/stargazers_user'], 'schedule my_job_schedule */30 * * * *']], 'the deferred tick runs once the run has ended');
  r = tick(r.nextState, { records: records(t0 + 33 * min), schedules }, t0 + 33 * min);
  assert.deepEqual(r.runRequests, []);
  state = r.nextState;
  // Closed for two hours: one run when it comes back, not four.
  r = tick(state, { records: records(t0 + 152 * min), schedules }, t0 + 152 * min);
  assert.equal(r.runRequests.length, 1);
});

test('seed 003 sensor: a new file in data/incoming runs that partition once, and the cursor survives a reload', async () => {
  const store = new FakeStore((await openWorkspace('seeds/weather_course')).graph());
  const sensors = [{ name: 'incoming_weather_sensor', folder: 'data/incoming', suffix: '.csv', partitionFromFileName: true, selection: [k('daily_weather_raw'), k('daily_city_stats')] }];
  const now = Date.parse('2024-01-09T08:00:00Z');
  const listings = { 'data/incoming': ['README.md', '2024-01-08.csv'] };
  let r = tick(initialAutomationState(), { records: store.records(now), sensors, listings }, now);
  const sensed = r.runRequests.filter((q) => q.trigger === 'sensor');
  assert.deepEqual(sensed.map((q) => [q.keys, q.partition, q.reason]), [[['daily_weather_raw', 'daily_city_stats'], '2024-01-08', 'sensor incoming_weather_sensor: data/incoming/2024-01-08.csv']]);
  const state = restoreAutomationState(JSON.parse(JSON.stringify(r.nextState)));
  assert.deepEqual(state.sensors.incoming_weather_sensor, ['2024-01-08.csv']);
  r = tick(state, { records: store.records(now + min), sensors, listings }, now + min);
  assert.deepEqual(r.runRequests.filter((q) => q.trigger === 'sensor'), []);
  r = tick(state, { records: store.records(now + min), sensors, listings: { 'data/incoming': [...listings['data/incoming'], '2024-01-09.csv', '2024-02-30.csv'] } }, now + 2 * min);
  assert.deepEqual(r.runRequests.filter((q) => q.trigger === 'sensor'), [], '2024-01-09 is not a partition yet, 2024-02-30 never');
  assert.equal(r.notes.length, 2);
});

test('never the same asset twice at once: an in-flight eager asset is not requested again', async () => {
  const store = new FakeStore((await openWorkspace('seeds/event_driven')).graph());
  store.observe('source_orders', 'v1', t0);
  const r = tick(initialAutomationState(), { records: store.records(t0), inFlight: ['raw/orders'] }, t0);
  const keys = r.runRequests.flatMap((q) => q.keys);
  assert.ok(!keys.includes(k('raw/orders')));
  assert.equal(new Set(keys).size, keys.length, 'each key once');
  assert.ok(r.notes.some((n) => n.includes('waiting for raw/orders')));
});

test('a request whose asset another run holds is deferred, the note names that run, and the next tick runs it', async () => {
  const store = new FakeStore((await openWorkspace('seeds/event_driven')).graph());
  store.observe('source_orders', 'v1', t0);
  store.observe('source_customers', 'c1', t0);
  drive(store, initialAutomationState(), t0, t0);
  store.observe('source_orders', 'v2', t0 + min);
  const claims = { 'raw/orders': "run of '+orders_summary'" };
  const held = tick(initialAutomationState(), { records: store.records(t0 + min), claims }, t0 + min);
  assert.deepEqual(held.runRequests, []);
  assert.deepEqual(held.notes, ["deferred eager run of raw/orders (upstream source_orders has new data): waiting for raw/orders, held by run of '+orders_summary'; a later tick asks again"]);
  const free = tick(held.nextState, { records: store.records(t0 + 2 * min) }, t0 + 2 * min);
  assert.deepEqual(free.runRequests.map((q) => [q.keys, q.reason]), [[['raw/orders'], 'eager: upstream source_orders has new data']]);
});

test('a failed eager run is not retried until something changes', async () => {
  const store = new FakeStore((await openWorkspace('seeds/event_driven')).graph());
  store.observe('source_orders', 'v1', t0);
  const failures = [{ key: k('raw/orders'), at: t0 }];
  let r = tick(initialAutomationState(), { records: { ...store.records(t0 + min), failures } }, t0 + min);
  assert.ok(!r.runRequests.some((q) => q.keys.includes(k('raw/orders'))));
  store.observe('source_orders', 'v2', t0 + 2 * min);
  r = tick(initialAutomationState(), { records: { ...store.records(t0 + 3 * min), failures } }, t0 + 3 * min);
  assert.ok(r.runRequests.some((q) => q.keys.includes(k('raw/orders'))));
});

test('an asset sensor acts once per new materialization, in its partition, and waits while its target is held', async () => {
  const store = new FakeStore((await openWorkspace('seeds/weather_course')).graph());
  const assetSensors = [{ name: 'stats_after_raw', asset: k('daily_weather_raw'), selection: [k('daily_city_stats')] }];
  const sensed = (r: ReturnType<typeof tick>) => r.runRequests.filter((q) => q.trigger === 'sensor').map((q) => [q.keys.join(' '), q.partition, q.reason]);
  const now = Date.parse('2024-01-09T08:00:00Z');
  let r = tick(initialAutomationState(), { records: store.records(now), assetSensors }, now);
  assert.deepEqual(sensed(r), [], 'never materialized: nothing to act on');
  store.run({ keys: [k('daily_weather_raw')], partition: '2024-01-05', trigger: 'sensor', reason: '', reasons: {} }, now + min);
  const claims = { daily_city_stats: "backfill of 'daily_city_stats' [2024-01-01…2024-01-07]" };
  r = tick(r.nextState, { records: store.records(now + 2 * min), assetSensors, claims }, now + 2 * min);
  assert.deepEqual(sensed(r), []);
  assert.deepEqual(r.notes, ["deferred asset sensor stats_after_raw run for the new materialization of daily_weather_raw [2024-01-05]: waiting for daily_city_stats, held by backfill of 'daily_city_stats' [2024-01-01…2024-01-07]; a later tick asks again"]);
  r = tick(restoreAutomationState(JSON.parse(JSON.stringify(r.nextState))), { records: store.records(now + 3 * min), assetSensors }, now + 3 * min);
  assert.deepEqual(sensed(r), [['daily_city_stats', '2024-01-05', 'asset sensor stats_after_raw: daily_weather_raw [2024-01-05] has a new materialization']]);
  const state = restoreAutomationState(JSON.parse(JSON.stringify(r.nextState)));
  assert.equal(state.assetSensors?.stats_after_raw, now + min, 'the cursor survives a reload');
  assert.deepEqual(sensed(tick(state, { records: store.records(now + 4 * min), assetSensors }, now + 4 * min)), []);
});
