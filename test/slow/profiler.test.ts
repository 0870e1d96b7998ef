// The profile a hover shows, computed by real DuckDB on a small table and a view over it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDb } from '../../src/adapters/duckdb';
import { profileTable } from '../../src/adapters/profiler';

test('per column: nulls, distinct, min, max, mean and std for numbers, top values only for low-cardinality text and booleans', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assetlens-profile-'));
  const db = await DuckDb.open(join(dir, 'p.duckdb'));
  try {
    await db.run(`CREATE TABLE t AS SELECT i AS id, CASE WHEN i % 10 = 0 THEN NULL WHEN i % 3 = 0 THEN 'b' ELSE 'a' END AS status,
      i % 4 = 0 AS flag, 'name_' || i AS name FROM range(100) r(i)`);
    await db.run('CREATE VIEW v AS SELECT status FROM t WHERE id < 50');
    const p = await profileTable(db, { schema: 'main', identifier: 't' });
    const col = (name: string) => p.columns.find((c) => c.name === name)!;
    assert.equal(p.rows, 100);
    assert.deepEqual([col('id').min, col('id').max, col('id').mean, col('id').topValues], ['0', '99', 49.5, undefined]);
    assert.ok(Math.abs(col('id').std! - 29.011) < 0.001);
    // 10 NULLs; of the other 90, i % 3 = 0 → 'b' (30 values: 0..99 step 3 minus the multiples of 10 among them).
    assert.deepEqual([col('status').nullCount, col('status').nullPct, col('status').topValues], [10, 10, [{ value: 'a', count: 60 }, { value: 'b', count: 30 }]]);
    assert.deepEqual([col('flag').approxDistinct, col('flag').topValues], [2, [{ value: 'false', count: 75 }, { value: 'true', count: 25 }]]);
    assert.equal(col('name').topValues, undefined, 'a text column of 100 distinct values has no top values');
    // Bytes: id 100 × 8 (BIGINT) + status 90 one-letter strings + flag 100 × 1 + name 'name_0'…'name_99' (10 × 6 + 90 × 7).
    assert.equal(p.bytes, 800 + 90 + 100 + 690);
    assert.ok(typeof p.durationMs === 'number' && p.durationMs >= 0);
    const v = await profileTable(db, { schema: 'main', identifier: 'v' });
    assert.deepEqual([v.rows, v.columns[0]!.topValues], [50, [{ value: 'a', count: 30 }, { value: 'b', count: 15 }]]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes: decimals by precision, dates, text by UTF-8 length, nested values by their text form; nulls take none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assetlens-profile-'));
  const db = await DuckDb.open(join(dir, 'p.duckdb'));
  try {
    await db.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      (1.25::DECIMAL(10, 2), 1.5::DECIMAL(4, 1), DATE '2024-01-01', 'é', [1, 22], [true]),
      (NULL, 2.5::DECIMAL(4, 1), DATE '2024-01-02', NULL, NULL, [false, true])) v(amount, small, day, word, list, flags)`);
    const p = await profileTable(db, { schema: 'main', identifier: 't' });
    // amount 1 × 8, small 2 × 2, day 2 × 4, word 'é' is 2 UTF-8 bytes, list '[1, 22]' is 7 characters,
    // flags '[true]' and '[false, true]' 6 + 13 (a list of booleans is no boolean).
    assert.equal(p.bytes, 8 + 4 + 8 + 2 + 7 + 19);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
