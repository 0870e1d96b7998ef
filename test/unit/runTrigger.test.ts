// What started a run, as the Runs view and `asset-lens runs` name it, from what the store keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backfillPartition, runTrigger } from '../../src/core/runTrigger';

test('a run with no reason is a user run, or a backfill when its selection names a partition', () => {
  assert.equal(runTrigger({ selection: '+customers' }), 'user');
  assert.equal(runTrigger({ selection: 'tag:nightly,group:marts' }), 'user');
  assert.equal(runTrigger({ selection: 'daily_weather_raw [2024-01-03]' }), 'backfill');
  assert.equal(backfillPartition('daily_weather_raw+ [2024-01-03]'), '2024-01-03');
  assert.equal(backfillPartition('+customers'), undefined);
});

test('automation reasons name schedules, sensors and the rest as automation', () => {
  assert.equal(runTrigger({ selection: 'a b', reason: 'schedule nightly 0 6 * * *' }), 'schedule');
  assert.equal(runTrigger({ selection: 'a', reason: 'sensor new_files: data/incoming/x.csv' }), 'sensor');
  assert.equal(runTrigger({ selection: 'a', reason: 'asset sensor orders_sensor: raw/orders has a new materialization' }), 'sensor');
  assert.equal(runTrigger({ selection: 'a', reason: 'eager: upstream raw/orders has new data' }), 'automation');
  assert.equal(runTrigger({ selection: 'a', reason: 'freshness: a is 3 min late (max lag 5 min)' }), 'automation');
  // A reason wins over the selection's shape: an eager partition run is automation, not a backfill.
  assert.equal(runTrigger({ selection: 'a [2024-01-03]', reason: 'eager: partition 2024-01-03 never materialized' }), 'automation');
});

test('check runs of asset-lens test are checks', () => {
  assert.equal(runTrigger({ selection: 'customers', kind: 'check' }), 'check');
});
