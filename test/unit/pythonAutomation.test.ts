// Schedules, sensors and asset jobs read from inline Dagster snippets, then joined into a graph by
// the workspace index (selections resolved, crons derived, the unreadable reported as warnings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { extractPython } from '../../src/core/python/pyExtract';
import type { PyAutomation } from '../../src/core/python/pyAutomation';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import type { Graph } from '../../src/core/graph';

async function automation(src: string): Promise<PyAutomation> {
  const parse = await loadPythonParser();
  return extractPython(parse(src)!).automation!;
}

const assets = [
  'from dagster import asset, DailyPartitionsDefinition',
  'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
  '@asset(group_name="raw", partitions_def=daily)', 'def orders(): ...',
  '@asset(group_name="raw", partitions_def=daily)', 'def customers(): ...',
  '@asset(group_name="marts", key_prefix="mart", deps=[orders, customers])', 'def summary(): ...',
].join('\n');

async function graphOf(files: Record<string, string>): Promise<Graph> {
  const parse = await loadPythonParser();
  const ix = new WorkspaceIndex({ parsePython: parse });
  for (const [p, t] of Object.entries(files)) ix.setFile(p, t);
  return ix.graph();
}

const warnings = (g: Graph) => g.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.file}:${d.line} ${d.message}`);

test('ScheduleDefinition on define_asset_job: keys, groups, all, a list of functions or strings', async () => {
  const g = await graphOf({ 'defs.py': [assets,
    'from dagster import AssetSelection, ScheduleDefinition, define_asset_job',
    'by_keys = define_asset_job("by_keys", selection=AssetSelection.keys("orders", AssetKey(["mart", "summary"])))',
    'by_group = define_asset_job(name="by_group", selection=AssetSelection.groups("raw"))',
    'everything = define_asset_job("everything", selection=AssetSelection.all())',
    'by_fn = define_asset_job("by_fn", selection=[orders, "customers"])',
    's1 = ScheduleDefinition(job=by_keys, cron_schedule="0 6 * * *", execution_timezone="Europe/Paris", name="morning")',
    's2 = ScheduleDefinition(job=by_group, cron_schedule="*/15 * * * *")',
    's3 = ScheduleDefinition(job=everything, cron_schedule="@daily")',
    'Definitions(schedules=[s1, s2, s3, ScheduleDefinition(job=by_fn, cron_schedule="0 * * * *")])',
  ].join('\n') });
  assert.deepEqual(warnings(g), []);
  assert.deepEqual(g.automations!.schedules.map((s) => [s.name, s.cron, s.timezone ?? '', s.query, s.selection.join(' '), s.line]), [
    ['morning', '0 6 * * *', 'Europe/Paris', 'key:orders key:mart/summary', 'orders mart/summary', 14],
    ['by_group_schedule', '*/15 * * * *', '', 'group:raw', 'customers orders', 15],
    ['everything_schedule', '@daily', '', '*', 'customers orders mart/summary', 16],
    ['by_fn_schedule', '0 * * * *', '', 'key:orders key:customers', 'customers orders', 17],
  ]);
});

test('build_schedule_from_partitioned_job: the cron comes from the partitions, across modules', async () => {
  const g = await graphOf({
    'assets.py': assets,
    'jobs.py': 'from dagster import define_asset_job, AssetSelection\nfrom .assets import daily\nraw_job = define_asset_job("raw_job", selection=AssetSelection.groups("raw"), partitions_def=daily)',
    'schedules.py': [
      'from dagster import build_schedule_from_partitioned_job, define_asset_job',
      'from .jobs import raw_job',
      'nightly = build_schedule_from_partitioned_job(raw_job)',
      'late = build_schedule_from_partitioned_job(define_asset_job("mart_job", selection=["orders"]), hour_of_day=3, minute_of_hour=30, name="late")',
    ].join('\n'),
  });
  assert.deepEqual(warnings(g), []);
  assert.deepEqual(g.automations!.schedules.map((s) => [s.name, s.cron, s.file]), [
    ['raw_job_schedule', '0 0 * * *', 'schedules.py'],
    ['late', '30 3 * * *', 'schedules.py'],
  ]);
});

test('@schedule and @sensor decorators; a sensor folder from a literal, a constant, Path or glob', async () => {
  const g = await graphOf({ 'defs.py': [assets,
    'import os, glob',
    'from pathlib import Path',
    'from dagster import schedule, sensor, asset_sensor, define_asset_job, RunRequest',
    'INCOMING = "data/incoming"',
    'raw_job = define_asset_job("raw_job", selection=AssetSelection.groups("raw"))',
    '@schedule(cron_schedule="0 1 * * *", job=raw_job, execution_timezone="UTC")',
    'def nightly(context): ...',
    '@sensor(job=raw_job, minimum_interval_seconds=30)',
    'def by_constant(context):',
    '    for f in os.listdir(INCOMING):',
    '        if f.endswith(".csv"):',
    '            yield RunRequest(run_key=f, partition_key=f.removesuffix(".csv"))',
    '@sensor(job=raw_job)',
    'def by_literal(context):',
    '    return [RunRequest(run_key=f) for f in os.listdir("./data/drop/")]',
    '@sensor(job=raw_job)',
    'def by_path(context):',
    '    files = Path("data/landing").glob("*.json")',
    '@sensor(job=raw_job)',
    'def by_glob(context):',
    '    files = glob.glob("data/globbed/*.parquet")',
    '@asset_sensor(asset_key=AssetKey("orders"), job=raw_job)',
    'def on_orders(context, event):',
    '    os.listdir("data/after_orders")',
  ].join('\n') });
  assert.deepEqual(warnings(g), []);
  assert.deepEqual(g.automations!.schedules.map((s) => [s.name, s.cron, s.timezone, s.query]), [['nightly', '0 1 * * *', 'UTC', 'group:raw']]);
  assert.deepEqual(g.automations!.sensors.map((s) => [s.name, s.folder, s.suffix ?? '', s.partitionFromFileName ?? false, s.selection.join(' ')]), [
    ['by_constant', 'data/incoming', '.csv', true, 'customers orders'],
    ['by_literal', 'data/drop', '', false, 'customers orders'],
    ['by_path', 'data/landing', '.json', false, 'customers orders'],
    ['by_glob', 'data/globbed', '.parquet', false, 'customers orders'],
  ]);
  assert.deepEqual(g.automations!.assetSensors!.map((s) => [s.name, s.asset, s.selection.join(' '), s.line]), [['on_orders', 'orders', 'customers orders', 30]]);
});

test('sensor folders: relative to the Dagster project root, or to the module through __file__; what cannot be followed is a warning with its line', async () => {
  const g = await graphOf({
    'projects/shop/pyproject.toml': '[project]\nname = "shop"\n',
    'projects/shop/shop/assets.py': 'from dagster import asset\n@asset\ndef orders(): ...',
    'projects/shop/shop/sensors.py': [
      'import glob, os',
      'from pathlib import Path',
      'from dagster import RunRequest, define_asset_job, file_relative_path, sensor',
      'HERE = os.path.dirname(os.path.abspath(__file__))',
      'LANDING = Path(__file__).parent / "landing"',
      'job = define_asset_job("j", selection=["orders"])',
      '@sensor(job=job)', 'def from_cwd(context):', '    return os.listdir("data/inbox")',
      '@sensor(job=job)', 'def from_here(context):', '    return os.listdir(os.path.join(HERE, "drop"))',
      '@sensor(job=job)', 'def from_path(context):', '    return [RunRequest(run_key=p.name) for p in LANDING.glob("*.csv")]',
      '@sensor(job=job)', 'def from_parents(context):', '    return list((Path(__file__).resolve().parents[1] / "shared").iterdir())',
      '@sensor(job=job)', 'def from_relative(context):', '    return glob.glob(file_relative_path(__file__, "../incoming/*.json"))',
      '@sensor(job=job)', 'def from_env(context):', '    inbox = os.environ["INBOX"]', '    return os.listdir(inbox)',
      '@sensor(job=job)', 'def outside(context):', '    return os.listdir("../../../elsewhere")',
    ].join('\n'),
    'loose/sensors.py': 'import os\nfrom dagster import sensor, define_asset_job\n@sensor(job=define_asset_job("k", selection=["orders"]))\ndef loose(context):\n    return os.listdir("drop")',
  });
  assert.deepEqual(g.automations!.sensors.map((s) => [s.name, s.folder, s.suffix ?? '']), [
    ['loose', 'drop', ''],
    ['from_cwd', 'projects/shop/data/inbox', ''],
    ['from_here', 'projects/shop/shop/drop', ''],
    ['from_path', 'projects/shop/shop/landing', '.csv'],
    ['from_parents', 'projects/shop/shared', ''],
    ['from_relative', 'projects/shop/incoming', '.json'],
  ]);
  assert.deepEqual(warnings(g), [
    'projects/shop/shop/sensors.py:25 Sensor from_env: the folder `os.environ["INBOX"]` comes from the environment, which Asset Lens does not read; Asset Lens cannot run it.',
    'projects/shop/shop/sensors.py:26 Sensor outside: the folder it lists, ../../../elsewhere relative to projects/shop, resolves outside the workspace folder; Asset Lens cannot run it.',
  ]);
});

test('what cannot be read statically is a warning on its line, never dropped', async () => {
  const g = await graphOf({ 'defs.py': [assets,
    'from dagster import ScheduleDefinition, define_asset_job, sensor, job, op',
    'CRON = compute_cron()',
    'raw_job = define_asset_job("raw_job", selection=AssetSelection.groups("raw") | AssetSelection.keys("x"))',
    'ok_job = define_asset_job("ok_job", selection=["orders"])',
    'a = ScheduleDefinition(job=raw_job, cron_schedule="0 0 * * *")',
    'b = ScheduleDefinition(job=ok_job, cron_schedule=CRON)',
    'c = ScheduleDefinition(job=imported_job, cron_schedule="0 0 * * *")',
    'd = ScheduleDefinition(job=define_asset_job("typo", selection=["ordrs"]), cron_schedule="0 0 * * *")',
    '@sensor(job=ok_job)',
    'def no_folder(context):',
    '    return folder_from_config()',
    '@job',
    'def op_job(): ...',
    'e = ScheduleDefinition(job=op_job, cron_schedule="* * * * *")',
  ].join('\n') });
  assert.deepEqual(warnings(g), [
    'defs.py:13 Schedule raw_job_schedule: asset job raw_job: selection expression is not a literal Asset Lens reads (use AssetSelection.keys/groups/all or a list of keys)',
    'defs.py:14 Schedule: cron_schedule is not a string literal; Asset Lens cannot run it.',
    'defs.py:15 Schedule schedule_line_15: job imported_job is not defined by define_asset_job or @job in this workspace',
    "defs.py:16 Schedule typo_schedule: selection key:ordrs: No asset matches 'ordrs'. Did you mean 'orders'?",
    'defs.py:17 Sensor no_folder: no folder listing found in its body (os.listdir(…), Path(…).glob, glob.glob); Asset Lens cannot run it.',
  ]);
  assert.deepEqual(g.automations!.schedules, [], 'an op job schedule runs no assets; the others are unusable');
});

test('extraction alone keeps jobs and targets by symbol for the cross-module pass', async () => {
  const a = await automation('from dagster import ScheduleDefinition\nfrom .jobs import my_job\ns = ScheduleDefinition(job=my_job, cron_schedule="0 0 * * *", name="s")');
  assert.deepEqual(a.schedules, [{ name: 's', line: 2, target: { symbol: 'my_job' }, cron: '0 0 * * *' }]);
  assert.deepEqual(a.warnings, []);
});
