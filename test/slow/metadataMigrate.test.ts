// The metadata store's schema moves forward in place: a file written by an older Asset Lens keeps
// its history and gains the new columns; a file from a newer one is refused by name, untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDb } from '../../src/adapters/duckdb';
import { MetadataStore, migrations } from '../../src/adapters/metadataStore';

/** A store file as the Asset Lens of schema version `version` left it, with one failed step. */
async function writeOldStore(path: string, version: number): Promise<void> {
  const db = await DuckDb.open(path);
  try {
    await db.run('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    for (const m of migrations.slice(0, version)) await db.run(m);
    await db.run('INSERT INTO schema_version VALUES (?)', [version]);
    await db.run("INSERT INTO runs (id, selection, status, started_at, duration_ms, error, kind) VALUES ('r1', 'orders', 'failed', '2026-12-01T10:00:00.000Z', 40, 'orders failed', 'materialize')");
    await db.run(`INSERT INTO materializations (id, run_id, asset_key, status, started_at, duration_ms, error, kind)
      VALUES ('m1', 'r1', 'orders', 'failed', '2026-12-01T10:00:00.000Z', 40, 'models/orders.sql: Binder Error', 'materialize')`);
  } finally {
    db.close();
  }
}

test('a version 3 store migrates to the current version, keeps its runs, and stores error lines from then on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assetlens-migrate-'));
  const path = join(dir, 'metadata.duckdb');
  try {
    await writeOldStore(path, 3);
    const store = await MetadataStore.open(path);
    try {
      const [old] = await store.lastMaterializations();
      assert.deepEqual([old?.key, old?.status, old?.error, old?.errorLine], ['orders', 'failed', 'models/orders.sql: Binder Error', undefined]);
      await store.beginRun({ id: 'r2', selection: 'orders', startedAt: '2026-12-02T10:00:00.000Z' });
      await store.recordStep('r2', { key: 'orders', status: 'failed', startedAt: '2026-12-02T10:00:00.000Z', durationMs: 5, error: 'models/orders.sql: no column x', errorLine: 7 });
      await store.finishRun('r2', { status: 'failed', durationMs: 6 });
      const [now] = await store.lastMaterializations();
      assert.deepEqual([now?.error, now?.errorLine], ['models/orders.sql: no column x', 7]);
      assert.deepEqual((await store.runs()).map((r) => r.id), ['r2', 'r1']);
      const version = await store.use((db) => db.query('SELECT version FROM schema_version'));
      assert.deepEqual(version.map((r) => Number(r.version)), [migrations.length]);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store of a newer schema is refused with its path and versions, and left as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assetlens-migrate-'));
  const path = join(dir, 'metadata.duckdb');
  try {
    await writeOldStore(path, migrations.length);
    const db = await DuckDb.open(path);
    await db.run('UPDATE schema_version SET version = ?', [migrations.length + 1]);
    db.close();
    await assert.rejects(MetadataStore.open(path), (e: Error) =>
      e.message.includes(path) && e.message.includes(`schema version ${migrations.length + 1}`) && e.message.includes(`reads up to ${migrations.length}`));
    const after = await DuckDb.open(path);
    try {
      assert.equal(Number((await after.query('SELECT count(*) AS n FROM materializations'))[0]?.n), 1);
    } finally {
      after.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
