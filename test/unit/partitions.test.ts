import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionsDef } from '../../src/core/model';
import { keysBetween, latestPartitionKey, partitionKeys, partitionWindow, upstreamPartitionKeys } from '../../src/core/partitions';
import { PartitionSet, PartitionStatus } from '../../src/core/partitionStatus';
import { keyFromString } from '../../src/core/model';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { partitionContext } from '../../src/adapters/partitionRun';
import { partitionExprWhere } from '../../src/adapters/partitionWrite';

const t = (iso: string): number => Date.parse(iso);

const keyCases: { name: string; def: PartitionsDef; now: string; first?: string; last?: string; count: number }[] = [
  { name: 'daily: a partition exists once its day has ended', def: { kind: 'daily', start: '2024-01-01' }, now: '2024-01-08T00:00:00Z', first: '2024-01-01', last: '2024-01-07', count: 7 },
  { name: 'daily mid-day: today is not a partition yet', def: { kind: 'daily', start: '2024-01-01' }, now: '2024-01-08T13:00:00Z', last: '2024-01-07', count: 7 },
  { name: 'daily end_offset=1 includes today', def: { kind: 'daily', start: '2024-01-01', endOffset: 1 }, now: '2024-01-08T13:00:00Z', last: '2024-01-08', count: 8 },
  { name: 'daily end_offset=-1 leaves yesterday out', def: { kind: 'daily', start: '2024-01-01', endOffset: -1 }, now: '2024-01-08T13:00:00Z', last: '2024-01-06', count: 6 },
  { name: 'daily in a zone ahead of UTC: the local day has ended', def: { kind: 'daily', start: '2024-01-01', timezone: 'Asia/Tokyo' }, now: '2024-01-07T15:30:00Z', last: '2024-01-07', count: 7 },
  { name: 'daily in a zone behind UTC: the local day has not', def: { kind: 'daily', start: '2024-01-01', timezone: 'America/Los_Angeles' }, now: '2024-01-08T07:00:00Z', last: '2024-01-06', count: 6 },
  { name: 'hourly keys YYYY-MM-DD-HH:MM', def: { kind: 'hourly', start: '2024-01-01' }, now: '2024-01-01T03:10:00Z', first: '2024-01-01-00:00', last: '2024-01-01-02:00', count: 3 },
  { name: 'weekly: weeks start on Sunday, keyed by their start', def: { kind: 'weekly', start: '2024-01-01' }, now: '2024-01-21T00:00:00Z', first: '2024-01-07', last: '2024-01-14', count: 2 },
  { name: 'monthly: first of the month; a mid-month start waits for the next month', def: { kind: 'monthly', start: '2023-11-15' }, now: '2024-03-02T00:00:00Z', first: '2023-12-01', last: '2024-02-01', count: 3 },
  { name: 'month end: Feb 29 of a leap year is a day', def: { kind: 'daily', start: '2024-02-27' }, now: '2024-03-02T00:00:00Z', first: '2024-02-27', last: '2024-03-01', count: 4 },
  { name: 'static: the listed keys in order', def: { kind: 'static', keys: ['eu', 'us', 'apac'] }, now: '2024-01-01T00:00:00Z', first: 'eu', last: 'apac', count: 3 },
  { name: 'start after now: none', def: { kind: 'daily', start: '2030-01-01' }, now: '2024-01-01T00:00:00Z', count: 0 },
  { name: 'other: unknown statically, none', def: { kind: 'other' }, now: '2024-01-01T00:00:00Z', count: 0 },
];

for (const c of keyCases) {
  test(`partition keys — ${c.name}`, () => {
    const keys = partitionKeys(c.def, t(c.now));
    assert.equal(keys.length, c.count);
    if (c.first) assert.equal(keys[0], c.first);
    if (c.last) assert.equal(keys[keys.length - 1], c.last);
    assert.equal(latestPartitionKey(c.def, t(c.now)), c.last);
  });
}

test('windows render as Python isoformat with the zone offset', () => {
  assert.deepEqual(partitionWindow({ kind: 'daily', start: '2024-01-01' }, '2024-01-03'), { start: '2024-01-03T00:00:00+00:00', end: '2024-01-04T00:00:00+00:00' });
  assert.deepEqual(partitionWindow({ kind: 'hourly', start: '2024-01-01' }, '2024-01-03-23:00'), { start: '2024-01-03T23:00:00+00:00', end: '2024-01-04T00:00:00+00:00' });
  assert.deepEqual(partitionWindow({ kind: 'monthly', start: '2024-01-01' }, '2024-12-01'), { start: '2024-12-01T00:00:00+00:00', end: '2025-01-01T00:00:00+00:00' });
  // The day DST starts in New York is 23 hours long, and its end carries the summer offset.
  assert.deepEqual(partitionWindow({ kind: 'daily', start: '2024-01-01', timezone: 'America/New_York' }, '2024-03-10'), { start: '2024-03-10T00:00:00-05:00', end: '2024-03-11T00:00:00-04:00' });
  assert.equal(partitionWindow({ kind: 'weekly', start: '2024-01-01' }, '2024-01-08'), undefined, 'a Monday is no weekly key');
  assert.equal(partitionWindow({ kind: 'static', keys: ['a'] }, 'a'), undefined);
});

test('ranges: a backfill of a week, clamped to existing partitions, unknown keys undefined', () => {
  const def: PartitionsDef = { kind: 'daily', start: '2024-01-01' };
  assert.deepEqual(keysBetween(def, '2024-01-02', '2024-01-04'), ['2024-01-02', '2024-01-03', '2024-01-04']);
  assert.deepEqual(keysBetween(def, '2023-12-30', '2024-01-02'), ['2024-01-01', '2024-01-02']);
  assert.deepEqual(keysBetween(def, '2024-01-05', '2024-01-20', t('2024-01-08T00:00:00Z')), ['2024-01-05', '2024-01-06', '2024-01-07']);
  assert.deepEqual(keysBetween(def, '2024-01-04', '2024-01-02'), []);
  assert.equal(keysBetween(def, '2024-01-32', '2024-02-02'), undefined);
  assert.deepEqual(keysBetween({ kind: 'static', keys: ['a', 'b', 'c'] }, 'b', 'c'), ['b', 'c']);
});

test('partition-aware deps: same definition same key, unpartitioned reads all, windows overlap', () => {
  const now = t('2024-01-08T00:00:00Z');
  const daily: PartitionsDef = { kind: 'daily', start: '2024-01-01' };
  assert.deepEqual(upstreamPartitionKeys(daily, '2024-01-03', { ...daily }, now), ['2024-01-03']);
  assert.equal(upstreamPartitionKeys(undefined, undefined, daily, now)!.length, 7);
  assert.equal(upstreamPartitionKeys(daily, '2024-01-03', undefined, now), undefined);
  assert.deepEqual(upstreamPartitionKeys({ kind: 'weekly', start: '2024-01-01' }, '2024-01-07', daily, t('2024-01-15T00:00:00Z')),
    ['2024-01-07', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-13']);
  assert.deepEqual(upstreamPartitionKeys(daily, '2024-01-03', { kind: 'hourly', start: '2024-01-01' }, now)!.length, 24);
});

test('partition sets: union, intersection, difference, complement', () => {
  const u = ['a', 'b', 'c', 'd'];
  const x = PartitionSet.of(u, ['a', 'b']), y = PartitionSet.of(u, ['b', 'c', 'zzz']);
  assert.deepEqual(x.union(y).keys(), ['a', 'b', 'c']);
  assert.deepEqual(x.intersection(y).keys(), ['b']);
  assert.deepEqual(x.difference(y).keys(), ['a']);
  assert.deepEqual(x.complement().keys(), ['c', 'd']);
  assert.equal(y.size, 2);
  assert.ok(PartitionSet.of(u).isEmpty);
  assert.deepEqual(x.union(PartitionSet.of(['d', 'q'], ['d', 'q'])).keys(), ['a', 'b', 'd'], 'keys outside the universe are dropped');
});

test('partition status is an immutable value with counts', () => {
  const u = ['d1', 'd2', 'd3'];
  const s = PartitionStatus.from(u, [['d1', 'materialized'], ['d2', 'failed'], ['nope', 'materialized']]);
  const s2 = s.with(['d2'], 'materialized');
  assert.equal(s.get('d2'), 'failed');
  assert.equal(s2.get('d2'), 'materialized');
  assert.equal(s.get('nope'), undefined);
  assert.deepEqual(s.counts(), { materialized: 1, stale: 0, missing: 1, failed: 1, running: 0 });
  assert.deepEqual(s.keysIn('missing', 'failed').keys(), ['d2', 'd3']);
});

test('100,000 hourly partitions aggregate into months and weeks correctly', () => {
  const def: PartitionsDef = { kind: 'hourly', start: '2010-01-01' };
  const now = t('2010-01-01T00:00:00Z') + 100_000 * 3_600_000;
  const keys = partitionKeys(def, now);
  assert.equal(keys.length, 100_000);
  assert.equal(keys[99_999], '2021-05-29-15:00');
  // Every fourth hour materialized, 2015 failed, the rest missing.
  let status = PartitionStatus.from(keys, keys.filter((_, i) => i % 4 === 0).map((k) => [k, 'materialized'] as const));
  status = status.with(keys.filter((k) => k.startsWith('2015-')), 'failed');
  const months = status.aggregate('month');
  assert.equal(months.length, 12 * 11 + 5);
  assert.deepEqual(months[0], { label: '2010-01', firstKey: '2010-01-01-00:00', lastKey: '2010-01-31-23:00', counts: { materialized: 186, stale: 0, missing: 558, failed: 0, running: 0 }, state: 'missing' });
  assert.equal(months.find((m) => m.label === '2015-02')!.counts.failed, 28 * 24);
  assert.equal(months.find((m) => m.label === '2015-02')!.state, 'failed');
  const total = months.reduce((n, m) => n + m.counts.materialized + m.counts.missing + m.counts.failed, 0);
  assert.equal(total, 100_000);
  const weeks = status.aggregate('week');
  assert.equal(weeks[0]!.label, '2009-12-27', 'the week of Friday 2010-01-01 starts on Sunday 2009-12-27');
  assert.equal(weeks[1]!.counts.materialized + weeks[1]!.counts.missing, 7 * 24);
  assert.equal(status.aggregate(1000).length, 100);
});

test('partition_expr metadata is read from @asset, AssetOut, AssetSpec and dbt meta, and reaches the asset', async () => {
  const ix = new WorkspaceIndex({ parsePython: await loadPythonParser() });
  ix.setFile('defs.py', [
    'from dagster import AssetOut, AssetSpec, DailyPartitionsDefinition, StaticPartitionsDefinition, asset, multi_asset',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    '@asset(partitions_def=daily, metadata={"partition_expr": "CAST(ts AS DATE)", "owner": "data"})',
    'def events() -> str:', '    return "select 1"',
    '@asset(partitions_def=daily, metadata={"owner": "data"})', 'def plain(): ...',
    '@multi_asset(partitions_def=StaticPartitionsDefinition(["eu", "us"]), outs={"a": AssetOut(metadata={"partition_expr": "region"}), "b": AssetOut()})',
    'def both(): ...',
    'spec = AssetSpec("landed", partitions_def=daily, metadata={"partition_expr": " day "})',
  ].join('\n'));
  ix.setFile('dbt_project.yml', 'name: p\nversion: "1"\nprofile: p\nmodels:\n  p:\n    daily_model:\n      +meta:\n        dagster:\n          metadata:\n            partition_expr: "order_date"\n');
  ix.setFile('models/daily_model.sql', 'select 1 as order_date');
  ix.setFile('models/other.sql', "{{ config(meta={'partition_expr': 'd'}) }}\nselect 1 as d");
  const g = ix.graph();
  const expr = (k: string) => g.assets.get(keyFromString(k))?.partitionExpr;
  assert.deepEqual(['events', 'plain', 'a', 'b', 'landed', 'daily_model', 'other'].map(expr), ['CAST(ts AS DATE)', undefined, 'region', undefined, 'day', 'order_date', 'd']);
  assert.deepEqual(g.assets.get(keyFromString('a'))?.partitions, { kind: 'static', keys: ['eu', 'us'] }, 'a multi_asset\'s partitions_def applies to its outs');
});

test('partition_expr becomes the IO manager\'s condition: a bare column is quoted, an expression used as given', () => {
  const day = partitionContext({ kind: 'daily', start: '2024-01-01', timezone: 'Europe/Paris' }, '2024-01-03');
  assert.equal(partitionExprWhere('ts', day), `"ts" >= '2024-01-03 00:00:00' AND "ts" < '2024-01-04 00:00:00'`);
  assert.equal(partitionExprWhere('CAST(ts AS DATE)', day), `(CAST(ts AS DATE)) >= '2024-01-03 00:00:00' AND (CAST(ts AS DATE)) < '2024-01-04 00:00:00'`);
  assert.equal(partitionExprWhere('region', partitionContext({ kind: 'static', keys: ["o'hare", 'us'] }, "o'hare")), `"region" IN ('o''hare')`);
});
