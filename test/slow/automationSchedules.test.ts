// Schedules and sensors read from Dagster code drive the headless loop (`asset-lens daemon`'s),
// with a fake clock: the weather_course sample's incoming_weather_sensor, found statically in
// phase5_automation.py, requests a partition run when a new file lands in data/incoming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { daemonLoop } from '../../src/cli/daemon';
import type { Graph } from '../../src/core/graph';
import { workspace } from './runnerFixture';

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
