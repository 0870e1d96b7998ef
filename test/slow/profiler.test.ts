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
    const v = await profileTable(db, { schema: 'main', identifier: 'v' });
    assert.deepEqual([v.rows, v.columns[0]!.topValues], [50, [{ value: 'a', count: 30 }, { value: 'b', count: 15 }]]);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
