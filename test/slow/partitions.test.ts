// Seed 003 (weather_course) from the command line: one partition, a week's backfill with one
// failing day, status per partition, and a resumed backfill that runs only the failed day.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, run, sql, workspace } from './runnerFixture';

interface StatusAsset { key: string; partitions?: { materialized: number; failed: number; missing: number; total: number }; stale: { reasons: string[] }; lastMaterialization: unknown }
const status = (root: string): Map<string, StatusAsset> =>
  new Map((JSON.parse(cli('status', root, '--json').stdout) as { assets: StatusAsset[] }).assets.map((a) => [a.key, a]));

test('a partitioned asset without --partition fails clearly; with one it writes that partition only', async () => {
  const root = workspace({}, 'weather_course');
  const bare = cli('materialize', root, '--select', 'daily_weather_raw');
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /daily_weather_raw is partitioned \(daily from 2024-01-01\): pass --partition \d{4}-\d{2}-\d{2} or use backfill/);
  assert.equal(cli('materialize', root, '--select', 'daily_weather_raw', '--partition', '2024-01-03').code, 0);
  assert.equal(cli('materialize', root, '--select', 'daily_weather_raw', '--partition', '2024-01-03').code, 0, 'a second run replaces the partition');
  const rows = await sql(root, "SELECT reading_date, _partition, count(*)::INTEGER AS n FROM main.daily_weather_raw GROUP BY ALL", 'weather.duckdb');
  assert.deepEqual(rows, [{ reading_date: '2024-01-03', _partition: '2024-01-03', n: 48 }]);
  const bad = cli('materialize', root, '--select', 'daily_weather_raw', '--partition', '2024-13-01');
  assert.match(bad.stderr, /2024-13-01 is not a partition of daily_weather_raw/);
});

test('backfill a week: one day fails, status shows it, re-running fixes only that day', async () => {
  const root = workspace({}, 'weather_course');
  renameSync(join(root, 'data/weather/2024-01-04.csv'), join(root, 'data/weather/hidden.csv'));
  const first = cli('backfill', root, '--select', 'daily_weather_raw daily_city_stats', '--from', '2024-01-01', '--to', '2024-01-07');
  assert.equal(first.code, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /\[4\/7\] 2024-01-04 {2}failed/);
  assert.match(first.stdout, /backfill failed: 6\/7 partitions materialized, 1 failed: 2024-01-04/);
  const raw = status(root).get('daily_weather_raw')!;
  assert.equal(raw.partitions!.materialized, 6);
  assert.equal(raw.partitions!.failed, 1);
  assert.ok(raw.stale.reasons.includes(`partitions failed: 1 of ${raw.partitions!.total}`), raw.stale.reasons.join('; '));

  renameSync(join(root, 'data/weather/hidden.csv'), join(root, 'data/weather/2024-01-04.csv'));
  const again = cli('backfill', root, '--select', 'daily_weather_raw daily_city_stats', '--from', '2024-01-01', '--to', '2024-01-07', '--json');
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const parts = (JSON.parse(again.stdout) as { partitions: { key: string; status: string }[] }).partitions;
  assert.deepEqual(parts.filter((p) => p.status !== 'skipped').map((p) => p.key), ['2024-01-04']);
  const fixed = status(root);
  assert.deepEqual({ ...fixed.get('daily_weather_raw')!.partitions, total: 0 }, { materialized: 7, failed: 0, missing: fixed.get('daily_weather_raw')!.partitions!.total - 7, total: 0 });
  const days = await sql(root, 'SELECT count(DISTINCT reading_date)::INTEGER AS n FROM main.daily_city_stats', 'weather.duckdb');
  assert.equal(days[0]!.n, 7);
});

test('the stale reason names the upstream once it has newer data', async () => {
  const root = workspace({}, 'jaffle_shop');
  assert.equal(cli('materialize', root, '--select', '+stg_orders').code, 0);
  assert.deepEqual(status(root).get('stg_orders')!.stale.reasons, []);
  assert.equal(cli('materialize', root, '--select', 'raw_orders').code, 0);
  const s = status(root);
  assert.deepEqual(s.get('stg_orders')!.stale.reasons, [], 'a seed re-run over the same CSV writes the same data version');
  const text = cli('status', root).stdout;
  assert.doesNotMatch(text, /stg_orders .*stale/);
});

test('partition_expr metadata: two partitions written by CAST(ts AS DATE), a re-run replaces only its day, a wrong expression fails clearly', async () => {
  const csv = (rows: string[]) => ['ts,n', ...rows].join('\n') + '\n';
  const root = workspace({
    'data/events.csv': csv(['2024-01-02 08:00:00,1', '2024-01-02 23:59:00,2', '2024-01-03 00:00:00,3', '2024-01-04 09:00:00,4']),
    'dagster_project/events.py': [
      'from dagster import DailyPartitionsDefinition, asset',
      'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
      '@asset(partitions_def=daily, metadata={"partition_expr": "CAST(ts AS DATE)"})',
      'def events() -> str:',
      '    return "select ts, n from read_csv(\'data/events.csv\', timestampformat = \'%Y-%m-%d %H:%M:%S\') where CAST(ts AS DATE) = \'{{ partition_key }}\'"',
      '@asset(partitions_def=daily, metadata={"partition_expr": "day"})',
      'def wrong() -> str:',
      '    return "select 1 as n"',
    ].join('\n'),
  }, 'weather_course');
  const rowsByDay = async () => sql(root, 'SELECT CAST(CAST(ts AS DATE) AS VARCHAR) AS day, list(n::INTEGER ORDER BY n) AS n FROM main.events GROUP BY ALL ORDER BY day', 'weather.duckdb');
  assert.equal((await run(root, 'events', { partition: '2024-01-02' })).summary.status, 'success');
  assert.equal((await run(root, 'events', { partition: '2024-01-03' })).summary.status, 'success');
  assert.deepEqual(await rowsByDay(), [{ day: '2024-01-02', n: [1, 2] }, { day: '2024-01-03', n: [3] }]);
  const columns = await sql(root, "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position", 'weather.duckdb');
  assert.deepEqual(columns.map((c) => c.column_name), ['ts', 'n'], 'no _partition column: the expression tells the partitions apart');

  writeFileSync(join(root, 'data/events.csv'), csv(['2024-01-02 10:00:00,20', '2024-01-03 00:00:00,30']));
  assert.equal((await run(root, 'events', { partition: '2024-01-02' })).summary.status, 'success');
  assert.deepEqual(await rowsByDay(), [{ day: '2024-01-02', n: [20] }, { day: '2024-01-03', n: [3] }], 'only 2024-01-02 was replaced');

  const bad = await run(root, 'wrong', { partition: '2024-01-02' });
  assert.equal(bad.summary.status, 'failed');
  assert.match(bad.events.find((e) => e.status === 'failed')!.error!, /The partition_expr metadata `day` does not apply to the rows this asset returns: .*day/);
});
