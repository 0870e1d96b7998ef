// Schedules and sensors read from Dagster code drive the headless loop (`asset-lens daemon`'s),
// with a fake clock: the weather_course sample's incoming_weather_sensor, found statically in
// phase5_automation.py, requests a partition run when a new file lands in data/incoming, and its
// asset sensor reruns weather_alerts after each new daily_weather_summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { daemonLoop } from '../../src/cli/daemon';
import type { Graph } from '../../src/core/graph';
import { cli, run, workspace } from './runnerFixture';
import type { AssetKey } from '../../src/core/model';
import { hover } from '../../src/server/features';
import { Folder, Workspace } from '../../src/server/workspace';
import { pathToFileURL } from 'node:url';

const minute = 60_000;
const t0 = Date.UTC(2024, 0, 10, 12, 0);

test('weather_course: a new data/incoming/<day>.csv makes the sensor request that day\'s partition', async () => {
  const root = workspace({}, 'weather_course');
  const graph: Graph = (await openWorkspace(root)).graph();
  const sensor = graph.automations?.sensors.find((s) => s.name === 'incoming_weather_sensor');
  assert.ok(sensor, JSON.stringify(graph.automations));
  assert.deepEqual([sensor.folder, sensor.suffix, sensor.partitionFromFileName, [...sensor.selection]], ['data/incoming', '.csv', true, ['daily_weather_raw', 'daily_city_stats']]);

  let now = t0;
  const log: string[] = [];
  const loop = daemonLoop(root, () => graph, () => now, (m) => log.push(m));
  const step = async (at: number) => { now = at; const r = await loop.tick(); await loop.idle(); return r; };

  const first = await step(t0);
  assert.deepEqual(first.runRequests.filter((r) => r.trigger === 'sensor'), [], 'only the README is there: nothing for the sensor');

  copyFileSync(join(root, 'data/weather/2024-01-03.csv'), join(root, 'data/incoming/2024-01-03.csv'));
  const second = await step(t0 + minute);
  const fired = second.runRequests.filter((r) => r.trigger === 'sensor');
  assert.deepEqual(fired.map((r) => [r.keys.join(' '), r.partition, r.reason]), [
    ['daily_weather_raw daily_city_stats', '2024-01-03', 'sensor incoming_weather_sensor: data/incoming/2024-01-03.csv'],
  ], log.join('\n'));

  assert.ok(log.some((l) => /^automation run \w+: daily_weather_raw, daily_city_stats/.test(l)), log.join('\n'));
  const third = await step(t0 + 2 * minute);
  assert.deepEqual(third.runRequests.filter((r) => r.trigger === 'sensor'), [], 'the cursor keeps the file: it does not fire twice');
});

test('weather_course: the asset sensor reruns weather_alerts once per new materialization of daily_weather_summary', async () => {
  // The sample's staging model ends its config() call with a trailing comma, which Jinja accepts and
  // the runner's nunjucks does not yet ("unexpected token: )"); without it the model is the same.
  const staging = 'dbt_project/models/staging/stg_weather_readings.sql';
  const root = workspace({ [staging]: readFileSync(join('seeds/weather_course', staging), 'utf8').replace("unique_key=['city', 'reading_time'],", "unique_key=['city', 'reading_time']") }, 'weather_course');
  const graph: Graph = (await openWorkspace(root)).graph();
  assert.deepEqual(graph.automations?.assetSensors?.map((s) => [s.name, s.asset, [...s.selection], s.line]), [['alerts_on_new_summary', 'daily_weather_summary', ['weather_alerts'], 44]]);
  let now = t0;
  const log: string[] = [];
  const loop = daemonLoop(root, () => graph, () => now, (m) => log.push(m));
  const step = async (at: number) => { now = at; const r = await loop.tick(); await loop.idle(); return r.runRequests.filter((q) => q.trigger === 'sensor').map((q) => [q.keys.join(' '), q.reason]); };
  const fired = [['weather_alerts', 'asset sensor alerts_on_new_summary: daily_weather_summary has a new materialization']];

  assert.deepEqual(await step(t0), [], 'daily_weather_summary was never materialized: nothing to act on');
  const ok = async (selection: string, partition?: string) => {
    const r = await run(root, selection, partition ? { partition } : {});
    assert.equal(r.summary.status, 'success', JSON.stringify(r.summary.steps.map((e) => [e.key, e.status, e.error])));
  };
  await ok('daily_weather_raw', '2024-01-03');
  await ok('stg_weather_readings daily_weather_summary');
  assert.deepEqual(await step(t0 + minute), fired, log.join('\n'));
  assert.ok(log.includes('automation run success: weather_alerts'), log.join('\n'));
  assert.deepEqual(await step(t0 + 2 * minute), [], 'the cursor keeps the materialization it acted on');
  await ok('daily_weather_summary');
  assert.deepEqual(await step(t0 + 3 * minute), fired, 'a rebuilt summary fires it again');

  // Shown where the other schedules and sensors show: `asset-lens status` and the hover of the assets.
  const status = JSON.parse(cli('status', root, '--json').stdout) as { assets: { key: string; automations?: string[] }[] };
  const autos = (key: string) => status.assets.find((a) => a.key === key)?.automations;
  assert.deepEqual(autos('weather_alerts'), ['asset sensor alerts_on_new_summary: runs when daily_weather_summary gets a new materialization']);
  assert.deepEqual(autos('daily_weather_summary'), ['asset sensor alerts_on_new_summary watches it: a new materialization runs weather_alerts']);
  assert.deepEqual(autos('daily_city_stats'), ['sensor incoming_weather_sensor: new files in data/incoming/*.csv (one partition per file)']);
  const index = await openWorkspace(root);
  const alerts = index.graph().assets.get('weather_alerts' as AssetKey)!;
  const at = Workspace.of([new Folder('weather_course', root, index)]).locate(pathToFileURL(join(root, alerts.file)).href)!;
  const card = hover(at, alerts.line - 1, 4, new Map(), new Date());
  assert.match(String((card?.contents as { value: string }).value), /\*\*Automation\*\*\n- asset sensor alerts\\_on\\_new\\_summary: runs when daily\\_weather\\_summary gets a new materialization/);
});
