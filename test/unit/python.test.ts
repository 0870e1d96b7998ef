// The Python extractor on inline snippets: every Dagster spelling the samples and the wild use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { extractPython, type PyAssetDef, type PyExtract } from '../../src/core/python/pyExtract';
import { pythonPending, translateKey } from '../../src/core/python/pyPending';
import type { PendingAsset } from '../../src/core/dbt/dbtProject';

async function extract(src: string): Promise<PyExtract> {
  const parse = await loadPythonParser();
  return extractPython(parse(src)!);
}

/** Key → deps (as `a/b` keys, `#symbol` names or `ref:model`), the shape most tests compare. */
async function graph(src: string): Promise<Record<string, string[]>> {
  const x = await extract(src);
  assert.deepEqual(x.problems, []);
  return Object.fromEntries(x.assets.map((a) => [a.key.join('/'), a.deps.map((d) => ('key' in d.dep ? d.dep.key.join('/') : 'ref' in d.dep ? `ref:${d.dep.ref}` : `#${d.dep.symbol}`))]));
}

async function one(src: string, key: string): Promise<PyAssetDef> {
  const a = (await extract(src)).assets.find((x) => x.key.join('/') === key);
  assert.ok(a, `asset ${key}`);
  return a;
}

test('@asset with and without a call, through dagster / dg / dagster. spellings', async () => {
  assert.deepEqual(await graph([
    'import dagster as dg', 'import dagster', 'from dagster import asset',
    '@asset', 'def a(): ...',
    '@asset()', 'def b(a): ...',
    '@dg.asset', 'def c(b): ...',
    '@dagster.asset(group_name="g")', 'def d(c): ...',
  ].join('\n')), { a: [], b: ['a'], c: ['b'], d: ['c'] });
});

test('name=, key= (list, string, AssetKey) and key_prefix= (string, list) shape the key; parameters inherit the prefix', async () => {
  assert.deepEqual(await graph([
    'from dagster import asset, AssetKey',
    '@asset(name="renamed")', 'def f(): ...',
    '@asset(key=["target", "main", "raw"])', 'def g(): ...',
    '@asset(key=AssetKey(["x", "y"]))', 'def h(): ...',
    '@asset(key="plain")', 'def i(): ...',
    '@asset(key_prefix="raw")', 'def j(): ...',
    '@asset(key_prefix=["a", "b"])', 'def k(j): ...',
  ].join('\n')), { renamed: [], 'target/main/raw': [], 'x/y': [], plain: [], 'raw/j': [], 'a/b/k': ['a/b/j'] });
});

test('deps= as strings, AssetKeys, AssetSpecs, function names, and get_asset_key_for_model', async () => {
  assert.deepEqual(await graph([
    'from dagster import asset, AssetKey, AssetSpec',
    'from dagster_dbt import get_asset_key_for_model',
    '@asset', 'def up(): ...',
    '@asset(deps=["s", AssetKey(["k", "l"]), AssetSpec("spec"), up, get_asset_key_for_model([my_dbt], "orders")])', 'def down(): ...',
  ].join('\n')), { up: [], down: ['s', 'k/l', 'spec', '#up', 'ref:orders'] });
});

test('ins=AssetIn(key=…, key_prefix=…) maps parameters, and inputs reached through **kwargs are deps too', async () => {
  assert.deepEqual(await graph([
    'from dagster import asset, AssetIn, AssetKey',
    '@asset(ins={"x": AssetIn(key=AssetKey("source_x")), "y": AssetIn(key_prefix=["raw"])})', 'def a(x, y): ...',
    '@asset(ins={"source_z": AssetIn("source_z")})', 'def b(context, **kwargs): ...',
  ].join('\n')), { a: ['source_x', 'raw/y'], b: ['source_z'] });
});

test('context, config and resources are parameters but not deps', async () => {
  assert.deepEqual(await graph([
    'from dagster import asset, AssetExecutionContext',
    'from dagster_duckdb import DuckDBResource',
    '@asset', 'def up(): ...',
    '@asset', 'def a(context: AssetExecutionContext, duckdb: DuckDBResource, config: MyConfig, up): ...',
    '@asset', 'def b(context, up: str) -> str: ...',
  ].join('\n')), { up: [], a: ['up'], b: ['up'] });
});

test('@multi_asset outs= and specs=, module-level AssetSpec and SourceAsset, @observable_source_asset', async () => {
  const src = [
    'from dagster import AssetOut, AssetSpec, SourceAsset, multi_asset, observable_source_asset',
    '@multi_asset(outs={"o1": AssetOut(), "o2": AssetOut(key=["x", "o2"])}, deps=["up"])', 'def m(): ...',
    '@multi_asset(specs=[AssetSpec("s1"), AssetSpec(["p", "s2"], deps=["s1"])])', 'def n(): ...',
    'ext = AssetSpec(key=["lake", "events"], kinds={"s3"})',
    'src = SourceAsset(key="legacy")',
    '@observable_source_asset', 'def watched(): ...',
  ].join('\n');
  assert.deepEqual(await graph(src), { o1: ['up'], 'x/o2': ['up'], s1: [], 'p/s2': ['s1'], 'lake/events': [], legacy: [], watched: [] });
  const x = await extract(src);
  const kind = (k: string) => x.assets.find((a) => a.key.join('/') === k)!.kind;
  assert.deepEqual([kind('o1'), kind('lake/events'), kind('legacy'), kind('watched')], ['python', 'python', 'external', 'external']);
  assert.deepEqual(x.assets.find((a) => a.key.join('/') === 'lake/events')!.kinds, ['s3']);
});

test('@asset_check attaches to its asset by name or key', async () => {
  const x = await extract([
    'import dagster as dg',
    '@dg.asset', 'def orders(): ...',
    '@dg.asset_check(asset=orders)', 'def orders_have_ids(): ...',
    '@dg.asset_check(asset=dg.AssetKey(["raw", "x"]), name="custom")', 'def check_x(): ...',
  ].join('\n'));
  assert.deepEqual(x.checks.map((c) => ({ name: c.name, asset: c.asset })), [{ name: 'orders_have_ids', asset: { symbol: 'orders' } }, { name: 'custom', asset: { key: ['raw', 'x'] } }]);
});

test('partitions through a module-level name, freshness (arithmetic lag), automation and code version', async () => {
  const src = [
    'from dagster import *',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01", end_offset=1)',
    'regions = StaticPartitionsDefinition(["eu", "us"])',
    '@asset(partitions_def=daily, freshness_policy=FreshnessPolicy(maximum_lag_minutes=6 * 60, cron_schedule="0 9 * * *"), code_version="2")', 'def a(): ...',
    '@asset(partitions_def=regions, automation_condition=AutomationCondition.eager())', 'def b(): ...',
    '@asset(auto_materialize_policy=AutoMaterializePolicy.lazy())', 'def c(): ...',
  ].join('\n');
  const a = await one(src, 'a');
  assert.deepEqual(a.partitions, { kind: 'daily', start: '2024-01-01', endOffset: 1 });
  assert.deepEqual(a.freshness, { maximumLagMinutes: 360, cronSchedule: '0 9 * * *' });
  assert.equal(a.codeVersion, '2');
  const b = await one(src, 'b');
  assert.deepEqual(b.partitions, { kind: 'static', keys: ['eu', 'us'] });
  assert.equal(b.automation, 'eager');
  assert.equal((await one(src, 'c')).automation, 'lazy');
});

test('a factory over a literal list expands: SourceAssets bound in its body, decorated loaders, no duplicates', async () => {
  const src = [
    'from dagster import AssetKey, AutoMaterializePolicy, SourceAsset, asset',
    'SOURCES = ["orders", "customers"]',
    'def build(name):',
    '    source = SourceAsset(key=AssetKey(f"source_{name}"))',
    '    @asset(name=name, key_prefix=["raw"], deps=[source], auto_materialize_policy=AutoMaterializePolicy.eager())',
    '    def loader() -> str:',
    '        return f"select * from read_csv_auto(\'{name}.csv\')"',
    '    return [source, loader]',
    'assets = [build(n) for n in SOURCES]',
  ].join('\n');
  assert.deepEqual(await graph(src), { source_orders: [], 'raw/orders': ['source_orders'], source_customers: [], 'raw/customers': ['source_customers'] });
  const loader = await one(src, 'raw/orders');
  assert.equal(loader.kind, 'sql_python');
  assert.equal(loader.sql?.template, "select * from read_csv_auto('orders.csv')");
  assert.equal(loader.automation, 'eager');
});

test('a factory called with arguments that are not literals gives one dynamic asset with a hint', async () => {
  const x = await extract([
    'from dagster import asset',
    'def build(name):',
    '    @asset(name=name)', '    def a(): ...',
    '    return a',
    'assets = [build(n) for n in load_names()]',
  ].join('\n'));
  assert.equal(x.assets.length, 1);
  assert.deepEqual(x.assets[0]!.key, ['dynamic:assets']);
  assert.match(x.assets[0]!.hint!, /factory whose arguments are not literals/);
  assert.equal(pythonPending('m.py', x).pending[0]!.symbol, undefined, 'a dynamic placeholder is never a dependency target');
});

test('SQL-returning assets: a literal, a name bound to one; other returns are plain Python', async () => {
  const src = [
    'from dagster import asset',
    '@asset', 'def lit() -> str:', '    return "select 1 as x"',
    '@asset', 'def bound(lit: str) -> str:', '    jinja_query = """', '    select * from {{ lit }}', '    """', '    return jinja_query',
    '@asset', 'def frame(lit):', '    return pd.DataFrame({"a": [1]})',
    '@asset', 'def message() -> str:', '    return "hello"',
  ].join('\n');
  assert.equal((await one(src, 'lit')).kind, 'sql_python');
  const bound = await one(src, 'bound');
  assert.equal(bound.kind, 'sql_python');
  assert.match(bound.sql!.template, /select \* from \{\{ lit \}\}/);
  assert.equal(bound.sql!.line, 6, 'the line the string starts on, 0-based');
  assert.equal((await one(src, 'frame')).kind, 'python');
  assert.equal((await one(src, 'message')).kind, 'python');
});

test('dbt loaders: literal paths, file_relative_path(__file__, …), key_prefix and source_key_prefix; @dbt_assets', async () => {
  const x = await extract([
    'from dagster import file_relative_path',
    'from dagster_dbt import dbt_assets, load_assets_from_dbt_project',
    'a = load_assets_from_dbt_project(project_dir=file_relative_path(__file__, "../dbt"), key_prefix=["analytics"], source_key_prefix="raw")',
    'b = load_assets_from_dbt_project("dbt2")',
    '@dbt_assets(manifest=MANIFEST)', 'def c(context, dbt): ...',
  ].join('\n'));
  assert.deepEqual(x.dbtLoads.map((l) => ({ dir: l.projectDir, prefix: l.keyPrefix, src: l.sourceKeyPrefix, hint: !!l.hint })), [
    { dir: '../dbt', prefix: ['analytics'], src: ['raw'], hint: false },
    { dir: 'dbt2', prefix: [], src: undefined, hint: false },
    { dir: undefined, prefix: [], src: undefined, hint: true },
  ]);
});

test('key_prefix applies to dbt models, never to sources (those take source_key_prefix)', () => {
  const node = (key: string, resourceType: 'model' | 'source'): PendingAsset => ({
    asset: { key: key as never, kind: resourceType, file: 'f', line: 1, tags: [], columns: [], tests: [], dbt: { uniqueId: `${resourceType}.p.${key}`, resourceType, packageName: 'p', name: key.split('/').pop()!, projectDir: 'dbt', config: {} } },
    deps: [],
  });
  assert.equal(translateKey(node('orders', 'model'), { projectDir: 'dbt', keyPrefix: ['analytics'] }), 'analytics/orders');
  assert.equal(translateKey(node('raw/orders', 'source'), { projectDir: 'dbt', keyPrefix: ['analytics'] }), 'raw/orders');
  assert.equal(translateKey(node('raw/orders', 'source'), { projectDir: 'dbt', keyPrefix: [], sourceKeyPrefix: ['lake'] }), 'lake/raw/orders');
  assert.equal(translateKey(node('raw/orders', 'source'), { projectDir: 'dbt', keyPrefix: [], keyTemplate: 'target/main/{{ node.name }}' }), 'target/main/orders');
});

test('a syntax error is a problem with its line; the assets before it are still read', async () => {
  const x = await extract(['from dagster import asset', '@asset', 'def ok(): ...', '', '@asset', 'def broken(:', '    return 1'].join('\n'));
  assert.ok(x.problems.length >= 1);
  assert.equal(x.problems[0]!.line, 5);
  assert.match(x.problems[0]!.message, /^Python syntax error/);
  assert.ok(x.assets.some((a) => a.key.join('/') === 'ok'));
});

test("deps positions come from the decorator's own keyword: non_argument_deps, and not an AssetSpec's deps inside specs=", async () => {
  const legacy = await one('from dagster import asset\n@asset(non_argument_deps=["up"])\ndef down(): ...\n', 'down');
  assert.deepEqual(legacy.deps.map((d) => [d.line, d.startCol, d.endCol]), [[1, 27, 29]]);
  const src = 'from dagster import multi_asset, AssetOut, AssetSpec\n@multi_asset(specs=[AssetSpec("b", deps=["x"])], outs={"a": AssetOut()}, deps=["shared"])\ndef both(): ...\n';
  const a = await one(src, 'a');
  const shared = a.deps.find((d) => 'key' in d.dep && d.dep.key.join('/') === 'shared')!;
  assert.equal(src.split('\n')[shared.line]!.slice(shared.startCol, shared.endCol), 'shared');
});

test('metadata={"dagster/column_schema": TableSchema(…)}: documented columns, and their constraints become not_null and unique checks', async () => {
  const x = await extract([
    'import dagster as dg',
    'from dagster import TableColumn, TableColumnConstraints, TableSchema',
    'KEY = TableSchema(columns=[TableColumn("order_id", "int", description="One per order", constraints=TableColumnConstraints(nullable=False, unique=True))])',
    '@dg.asset(metadata={"dagster/column_schema": KEY})',
    'def orders() -> str: return "select 1 as order_id"',
    'spec = dg.AssetSpec("events", metadata={"dagster/column_schema": dg.TableSchema([',
    '  dg.TableColumn("id", constraints=dg.TableColumnConstraints(nullable=False)),',
    '  dg.TableColumn(name="kind", type="string"),',
    '])})',
    '@dg.asset(metadata={"dagster/column_schema": {"not": "a schema"}})',
    'def plain(): ...',
  ].join('\n'));
  const { pending } = pythonPending('defs.py', x);
  const asset = (key: string) => pending.find((p) => p.asset.key === key)!.asset;
  assert.deepEqual(asset('orders').columns, [{ name: 'order_id', description: 'One per order', tests: ['not_null', 'unique'] }]);
  assert.deepEqual(asset('orders').tests.map((t) => [t.name, t.column, t.severity]), [['not_null', 'order_id', 'error'], ['unique', 'order_id', 'error']]);
  assert.deepEqual(asset('events').columns, [{ name: 'id', tests: ['not_null'] }, { name: 'kind', tests: [] }]);
  assert.deepEqual(asset('events').tests.map((t) => `${t.name}:${t.column}`), ['not_null:id']);
  assert.deepEqual([asset('plain').columns, asset('plain').tests], [[], []]);
});
