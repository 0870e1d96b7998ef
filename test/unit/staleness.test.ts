// Staleness reasons, partition status and freshness on the seed workspaces, with a fake store
// that records what the runner would (lineageFor + materializationDataVersion) at fake times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import type { Graph } from '../../src/core/graph';
import { keyFromString, type AssetKey } from '../../src/core/model';
import { keysBetween } from '../../src/core/partitions';
import { RecordIndex, lineageFor, type AssetRecords, type AttemptRecord, type MaterializationRecord, type ObservationRecord } from '../../src/core/records';
import { evaluateStaleness, stalenessSummary } from '../../src/core/staleness';
import { freshnessOf } from '../../src/core/freshness';
import { codeVersion, materializationDataVersion, sourceDataVersion } from '../../src/core/versions';

const k = keyFromString;
const t = (iso: string): number => Date.parse(iso);
const min = 60_000;

/** What the metadata store would hold; `run` records steps as the runner would. */
class FakeStore {
  mats: MaterializationRecord[] = [];
  obs: ObservationRecord[] = [];
  failures: AttemptRecord[] = [];
  readonly codeVersions = new Map<AssetKey, string>();
  constructor(readonly graph: Graph) { for (const a of graph.assets.values()) this.codeVersions.set(a.key, codeVersion(a)); }
  records(now: number): AssetRecords {
    return { graph: this.graph, now, materializations: this.mats, failures: this.failures, codeVersions: this.codeVersions, observations: this.obs };
  }
  observe(key: string, dataVersion: string, now: number): void {
    const prev = this.obs.filter((o) => o.key === key).at(-1);
    this.obs.push({ key: k(key), dataVersion, observedAt: now, since: prev?.dataVersion === dataVersion ? prev.since : now });
  }
  run(keys: readonly string[], now: number, partition?: string, fail: readonly string[] = []): void {
    for (const key of keys) {
      if (fail.includes(key)) { this.failures.push({ key: k(key), partition, at: now }); return; }
      const { inputs, roots } = lineageFor(new RecordIndex(this.records(now)), k(key), partition);
      const code = this.codeVersions.get(k(key))!;
      // A root's data is new on every run (Dagster's default data version for unversioned assets).
      const dv = materializationDataVersion(code, Object.keys(inputs).length ? inputs : { '@run': String(now) });
      this.mats.push({ key: k(key), partition, at: now, codeVersion: code, dataVersion: dv, inputs, roots });
    }
  }
}

const reasons = (store: FakeStore, now: number, key: string): string[] =>
  evaluateStaleness(store.records(now)).assets.get(k(key))!.reasons.map((r) => r.message);

test('seed 002: a new observation of orders.csv marks raw/orders, then orders_summary, with named reasons', async () => {
  const store = new FakeStore((await openWorkspace('seeds/event_driven')).graph());
  const t0 = t('2024-01-01T00:00:00Z');
  assert.deepEqual(reasons(store, t0, 'orders_summary'), ['never materialized']);
  store.observe('source_orders', sourceDataVersion({ size: 100, mtimeMs: 1 })!, t0);
  store.observe('source_customers', sourceDataVersion({ size: 50, mtimeMs: 1 })!, t0);
  store.run(['raw/orders', 'raw/customers', 'orders_summary', 'customers_summary'], t0);
  const fresh = evaluateStaleness(store.records(t0 + min));
  assert.deepEqual(Object.fromEntries([...fresh.assets].map(([key, s]) => [key, stalenessSummary(s)])), {
    source_customers: 'source', source_orders: 'source', 'raw/customers': 'fresh', 'raw/orders': 'fresh', customers_summary: 'fresh', orders_summary: 'fresh',
  });
  assert.equal(fresh.assets.get(k('orders_summary'))!.freshness!.state, 'fresh');

  const t1 = t0 + 30 * min;
  store.observe('source_orders', sourceDataVersion({ size: 120, mtimeMs: 2 })!, t1);
  assert.deepEqual(reasons(store, t1, 'raw/orders'), ['upstream `source_orders` has newer data']);
  assert.deepEqual(reasons(store, t1, 'orders_summary'), ['upstream `raw/orders` is stale']);
  assert.deepEqual(reasons(store, t1, 'raw/customers'), []);
  store.run(['raw/orders'], t1);
  assert.deepEqual(reasons(store, t1 + min, 'orders_summary'), ['upstream `raw/orders` has newer data']);
  assert.deepEqual(reasons(store, t1 + min, 'customers_summary'), ['upstream `raw/orders` has newer data']);
  // Its data time is when the new orders were first observed: fresh for 5 minutes, then late.
  const f = (now: number) => evaluateStaleness(store.records(now)).assets.get(k('orders_summary'))!.freshness!;
  assert.equal(f(t1 + 4 * min).state, 'fresh');
  assert.equal(f(t1 + 4 * min).deadline, t1 + 5 * min);
  assert.equal(f(t1 + 7 * min).state, 'late');
  assert.equal(f(t1 + 7 * min).message, 'late by 2 min (max lag 5 min)');
});

test('code changed since last materialization, and an unchanged edit of layout keeps the version', async () => {
  const graph = (await openWorkspace('seeds/event_driven')).graph();
  const store = new FakeStore(graph);
  const t0 = t('2024-01-01T00:00:00Z');
  store.observe('source_orders', 'v1', t0);
  store.run(['raw/orders', 'orders_summary'], t0);
  const summary = graph.assets.get(k('orders_summary'))!;
  assert.equal(codeVersion({ ...summary, sql: `${summary.sql}\n\n   ` }), store.codeVersions.get(summary.key));
  store.codeVersions.set(summary.key, codeVersion({ ...summary, sql: `${summary.sql} limit 10` }));
  assert.deepEqual(reasons(store, t0 + min, 'orders_summary'), ['code changed since last materialization']);
  assert.equal(codeVersion({ ...summary, codeVersion: 'v7' }), 'v7', "the user's code_version wins");
});

test('seed 003: a week of daily partitions, one fails, the status shows it, re-running fixes it', async () => {
  const store = new FakeStore((await openWorkspace('seeds/weather_course')).graph());
  const def = store.graph.assets.get(k('daily_weather_raw'))!.partitions!;
  const now = t('2024-01-08T06:00:00Z');
  const week = keysBetween(def, '2024-01-01', '2024-01-07', now)!;
  assert.equal(week.length, 7);
  for (const p of week) store.run(['daily_weather_raw', 'daily_city_stats'], now, p, p === '2024-01-04' ? ['daily_weather_raw'] : []);
  let report = evaluateStaleness(store.records(now + min));
  const raw = report.assets.get(k('daily_weather_raw'))!;
  assert.deepEqual(raw.reasons.map((r) => r.message), ['partitions missing: 1 of 7', 'partitions failed: 1 of 7']);
  assert.deepEqual(raw.partitions!.counts(), { materialized: 6, stale: 0, missing: 0, failed: 1, running: 0 });
  assert.deepEqual(raw.partitions!.keysIn('failed').keys(), ['2024-01-04']);
  assert.deepEqual(report.assets.get(k('daily_city_stats'))!.partitions!.keysIn('missing').keys(), ['2024-01-04']);
  assert.deepEqual(raw.partitions!.aggregate('week').map((b) => [b.label, b.state]), [['2023-12-31', 'failed'], ['2024-01-07', 'materialized']]);

  store.run(['daily_weather_raw', 'daily_city_stats'], now + 2 * min, '2024-01-04');
  report = evaluateStaleness(store.records(now + 3 * min));
  assert.equal(report.assets.get(k('daily_weather_raw'))!.status, 'fresh');
  assert.equal(report.assets.get(k('daily_city_stats'))!.partitions!.counts().materialized, 7);

  // An unpartitioned downstream reads every partition; re-running one makes it stale by name.
  store.run(['stg_weather_readings'], now + 4 * min);
  assert.deepEqual(reasons(store, now + 5 * min, 'stg_weather_readings'), []);
  store.run(['daily_weather_raw'], now + 6 * min, '2024-01-02');
  assert.deepEqual(reasons(store, now + 7 * min, 'stg_weather_readings'), ['upstream `daily_weather_raw` has newer data']);
  assert.deepEqual(reasons(store, now + 7 * min, 'daily_city_stats'), ['upstream `daily_weather_raw` has newer data']);
  // A new day adds a partition nobody has run yet.
  assert.deepEqual(reasons(store, t('2024-01-09T01:00:00Z'), 'daily_weather_raw'), ['partitions missing: 1 of 8']);
});

test('freshness with a cron schedule: data must be at most lag old at each tick', () => {
  const policy = { maximumLagMinutes: 60, cronSchedule: '0 9 * * *' };
  const at = (s: string) => t(`2024-01-02T${s}:00Z`);
  assert.equal(freshnessOf(policy, at('08:30'), at('12:00')).state, 'fresh');
  assert.equal(freshnessOf(policy, at('07:30'), at('12:00')).state, 'late');
  assert.equal(freshnessOf(policy, at('07:30'), at('12:00')).minutesLate, 30);
  assert.equal(freshnessOf(policy, at('07:30'), at('08:59')).state, 'fresh', 'late only once the tick has passed');
  assert.equal(freshnessOf(policy, at('08:30'), at('12:00')).deadline, t('2024-01-03T09:00:00Z'));
  assert.equal(freshnessOf(policy, undefined, at('12:00')).state, 'never');
  assert.equal(freshnessOf({ maximumLagMinutes: 5 }, Infinity, at('12:00')).message, 'fresh: has all known data (max lag 5 min)');
});
