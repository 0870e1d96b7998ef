// The lineage view's data over LSP: the partition matrix after a backfill and a one-partition run
// on seed 003 (weather_course), and stale reasons on seed 002 (event_driven) after an upstream
// re-ran over new data. Each asserts what the panel would draw.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AssetStatesResult, BackfillParams, BackfillResult, MaterializeParams, PartitionStatusParams, PartitionStatusResult } from '../../src/shared/protocol';
import type { RunSummary } from '../../src/shared/dto';
import { AssetStatesRequest, BackfillRequest, MaterializeRequest, PartitionStatusRequest, StatusChangedNotification } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

/** The cell of `asset` at partition `key` as the matrix draws it ('.' when the row is shorter). */
function cell(m: PartitionStatusResult, asset: string, key: string): string {
  const i = m.partitionKeys.indexOf(key);
  assert.ok(i >= 0, `${key} is no column of the matrix`);
  const row = m.rows.find((r) => r.key === asset);
  assert.ok(row, `no row for ${asset}: ${m.rows.map((r) => r.key).join(', ')}`);
  return row.states[i] ?? '.';
}

describe('partition matrix on weather_course (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('weather_course', { trusted: true });
  });
  after(() => c.stop());

  const matrix = () => c.request<PartitionStatusResult>(PartitionStatusRequest, { keys: ['daily_weather_raw', 'daily_city_stats', 'no_such_asset'] } satisfies PartitionStatusParams);

  test('before any run every partition is missing, from the definition start', async () => {
    const m = await matrix();
    assert.equal(m.partitionKeys[0], '2024-01-01');
    assert.deepEqual(m.rows.map((r) => r.key).sort(), ['daily_city_stats', 'daily_weather_raw'], 'unknown keys get no row');
    assert.ok(m.rows.every((r) => /^\.*$/.test(r.states)));
  });

  test('a backfill of two days and a one-partition run show M there and . elsewhere', async () => {
    c.clear();
    const b = await c.request<BackfillResult>(BackfillRequest, { selection: 'daily_weather_raw', from: '2024-01-02', to: '2024-01-03', runToken: 'b1' } satisfies BackfillParams);
    assert.equal(b.status, 'success', JSON.stringify(b.partitions));
    assert.deepEqual(b.partitions.map((p) => [p.key, p.status]), [['2024-01-02', 'success'], ['2024-01-03', 'success']]);
    await c.waitFor(StatusChangedNotification);
    c.clear();
    const s = await c.request<RunSummary>(MaterializeRequest, { selection: 'daily_weather_raw', partition: '2024-01-05', runToken: 'm1' } satisfies MaterializeParams);
    assert.equal(s.status, 'success', s.error);
    await c.waitFor(StatusChangedNotification);
    const m = await matrix();
    for (const day of ['2024-01-02', '2024-01-03', '2024-01-05']) assert.equal(cell(m, 'daily_weather_raw', day), 'M', day);
    for (const day of ['2024-01-01', '2024-01-04', '2024-01-06']) assert.equal(cell(m, 'daily_weather_raw', day), '.', day);
    assert.equal(cell(m, 'daily_city_stats', '2024-01-02'), '.', 'the downstream did not run');
  });

  test('a resumed backfill skips materialized days', async () => {
    const b = await c.request<BackfillResult>(BackfillRequest, { selection: 'daily_weather_raw', from: '2024-01-03', to: '2024-01-04', runToken: 'b2' } satisfies BackfillParams);
    assert.deepEqual(b.partitions.map((p) => [p.key, p.status]), [['2024-01-03', 'skipped'], ['2024-01-04', 'success']]);
  });

  test('a range that is no partition is refused with a reason', async () => {
    await assert.rejects(
      c.request(BackfillRequest, { selection: 'daily_weather_raw', from: '2024-13-01', to: '2024-01-02', runToken: 'b3' } satisfies BackfillParams),
      /2024-13-01 is not a partition of daily_weather_raw/,
    );
  });
});

describe('backfill in Restricted Mode', { timeout: 60_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('weather_course', { trusted: false });
  });
  after(() => c.stop());

  test('is refused: it would run code', async () => {
    await assert.rejects(
      c.request(BackfillRequest, { selection: 'daily_weather_raw', from: '2024-01-01', to: '2024-01-02', runToken: 'u1' } satisfies BackfillParams),
      /Restricted Mode/,
    );
  });
});

describe('stale assets on event_driven (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('event_driven', { trusted: true });
  });
  after(() => c.stop());

  const materialize = async (selection: string, runToken: string) => {
    c.clear();
    const s = await c.request<RunSummary>(MaterializeRequest, { selection, runToken } satisfies MaterializeParams);
    assert.equal(s.status, 'success', s.error);
    await c.waitFor(StatusChangedNotification);
  };
  const states = () => c.request<AssetStatesResult>(AssetStatesRequest, {});

  test('nothing is stale before a run, nor after a full one; then orders_summary names raw/orders', async () => {
    assert.deepEqual((await states()).stale, [], 'never-materialized assets are not listed as stale');
    await materialize('+orders_summary', 'r1');
    assert.deepEqual((await states()).stale, []);
    appendFileSync(join(c.dir, 'source_data/orders.csv'), '9999,1,2024-01-09,42.0,completed\n');
    await materialize('raw/orders', 'r2');
    const stale = (await states()).stale;
    const summary = stale.find((s) => s.key.endsWith('orders_summary'));
    assert.ok(summary, JSON.stringify(stale));
    assert.equal(summary.reason, 'upstream `raw/orders` has newer data');
  });
});
