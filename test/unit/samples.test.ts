// Every sample workspace under seeds/ indexes to its reviewed expected_graph.json exactly, and the
// facts each seed document is about (keys joined across Python and dbt, partitions, freshness,
// automation, factories) reach the assets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { toGraphDto } from '../../src/core/present';
import { keyFromString, type Asset } from '../../src/core/model';
import type { Graph } from '../../src/core/graph';

const seeds = 'seeds';
const samples = readdirSync(seeds).filter((d) => existsSync(join(seeds, d, 'expected_graph.json'))).sort();

/** The compared projection: the fields of expected_graph.json, absent ones left out (as JSON does). */
function projection(g: Graph): unknown {
  const dto = toGraphDto(g);
  return JSON.parse(JSON.stringify({
    assets: dto.assets.map((a) => ({ key: a.key, kind: a.kind, file: a.file, line: a.line, deps: a.deps, ...(a.dbt ? { dbt: a.dbt } : {}), materialized: a.materialized, relation: a.relation })),
    diagnostics: dto.diagnostics,
  }));
}

const graphs = new Map<string, Promise<Graph>>();
const graphOf = (sample: string): Promise<Graph> => {
  let g = graphs.get(sample);
  if (!g) graphs.set(sample, (g = openWorkspace(join(seeds, sample)).then((ix) => ix.graph())));
  return g;
};

const asset = (g: Graph, key: string): Asset => {
  const a = g.assets.get(keyFromString(key));
  assert.ok(a, `asset ${key} exists`);
  return a;
};
const edgeCount = (g: Graph): number => [...g.assets.values()].reduce((n, a) => n + a.deps.length, 0);

test('every seed document has a sample with an expected graph', () => {
  for (const s of ['jaffle_shop', 'dagster_jaffle', 'etl_tutorial', 'event_driven', 'weather_course', 'stargazer']) assert.ok(samples.includes(s), s);
});

for (const sample of samples) {
  test(`${sample}: indexes to expected_graph.json exactly`, async () => {
    const file = join(seeds, sample, 'expected_graph.json');
    // UPDATE_EXPECTED=1 rewrites the files after an intended change; review the diff before committing.
    if (process.env.UPDATE_EXPECTED) writeFileSync(file, JSON.stringify(projection(await graphOf(sample)), null, 2) + '\n');
    const expected: unknown = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(projection(await graphOf(sample)), expected);
  });
}

test('dagster_jaffle (000): every model is a SQL-returning @asset, deps by parameter', async () => {
  const g = await graphOf('dagster_jaffle');
  assert.equal(g.assets.size, 8);
  assert.equal(edgeCount(g), 8);
  for (const a of g.assets.values()) assert.equal(a.kind, 'sql_python', a.key);
  assert.match(asset(g, 'stg_orders').sql!, /select \* from \{\{ raw_orders \}\}/);
  assert.match(asset(g, 'raw_orders').sql!, /read_csv_auto\('data\/raw_orders\.csv'\)/);
  assert.deepEqual(asset(g, 'customers').deps, ['stg_customers', 'stg_orders', 'stg_payments']);
});

test('etl_tutorial (001): dbt sources are the loaders keyed target/main/raw_*, through the component translation', async () => {
  const g = await graphOf('etl_tutorial');
  assert.equal(g.assets.size, 8);
  assert.equal(edgeCount(g), 8);
  const loader = asset(g, 'target/main/raw_orders');
  assert.equal(loader.kind, 'python');
  assert.deepEqual(loader.kinds, ['duckdb']);
  assert.deepEqual(asset(g, 'target/main/stg_orders').deps, ['target/main/raw_orders']);
  assert.equal([...g.assets.values()].filter((a) => a.kind === 'source').length, 0, 'sources joined the loaders');
  assert.equal(g.projects[0]!.name, 'jdbt');
});

test('event_driven (002): a factory over a literal list makes source assets and eager loaders', async () => {
  const g = await graphOf('event_driven');
  assert.equal(g.assets.size, 6);
  assert.equal(edgeCount(g), 5);
  for (const n of ['orders', 'customers']) {
    assert.equal(asset(g, `source_${n}`).kind, 'external');
    const raw = asset(g, `raw/${n}`);
    assert.deepEqual(raw.deps, [`source_${n}`]);
    assert.equal(raw.automation, 'eager');
    assert.equal(raw.sql, `select * from read_csv_auto('source_data/${n}.csv')`);
  }
  assert.deepEqual(asset(g, 'customers_summary').deps, ['raw/customers', 'raw/orders']);
  assert.deepEqual(asset(g, 'orders_summary').dbt!.config.dagster_freshness_policy, { maximum_lag_minutes: 5 });
  assert.ok(![...g.assets.keys()].some((k) => k.startsWith('dynamic:')));
});

test('weather_course (003): partitions by module-level name, incremental staging, @dbt_assets between Python assets', async () => {
  const g = await graphOf('weather_course');
  assert.equal(g.assets.size, 12);
  assert.equal(edgeCount(g), 10);
  for (const k of ['daily_weather_raw', 'daily_city_stats']) assert.deepEqual(asset(g, k).partitions, { kind: 'daily', start: '2024-01-01' });
  assert.match(asset(g, 'daily_weather_raw').sql!, /data\/weather\/\{\{ partition_key \}\}\.csv/);
  const stg = asset(g, 'stg_weather_readings');
  assert.equal(stg.materialized, 'incremental');
  assert.deepEqual(stg.dbt!.config.unique_key, ['city', 'reading_time']);
  assert.deepEqual(stg.deps, ['daily_weather_raw'], 'the dbt source carries meta.dagster.asset_key');
  assert.deepEqual(asset(g, 'weather_alerts').deps, ['daily_weather_summary'], 'get_asset_key_for_model');
  const report = asset(g, 'weekly_weather_report');
  assert.deepEqual(report.freshness, { maximumLagMinutes: 360 });
  assert.equal(report.automation, 'lazy');
});

test('stargazer (004): two dbt projects are one lineage; freshness set in config()', async () => {
  const g = await graphOf('stargazer');
  assert.equal(g.assets.size, 7);
  assert.equal(edgeCount(g), 8);
  assert.equal(g.projects.length, 2);
  const join_ = asset(g, 'mart/mart_gh_join');
  assert.deepEqual(join_.deps, ['mart/mart_gh_cumulative', 'mart/mart_gh_stargazer']);
  assert.equal(asset(g, 'mart/mart_gh_stargazer').dbt!.projectDir, 'dbt_project_1');
  assert.equal(join_.dbt!.projectDir, 'dbt_project_2');
  assert.deepEqual(asset(g, 'mart/mart_gh_cumulative').deps, ['postgres/stargazers', 'postgres/stargazers_user']);
  assert.deepEqual(asset(g, 'mart/mart_gh_cumulative').dbt!.config.dagster_freshness_policy, { maximum_lag_minutes: 5 });
  assert.deepEqual(join_.dbt!.config.dagster_freshness_policy, { maximum_lag_minutes: 10 });
  assert.deepEqual(g.projects.map((p) => posix.normalize(p.warehouse!)), ['warehouse.duckdb', 'warehouse.duckdb'], 'one warehouse for both projects');
});
