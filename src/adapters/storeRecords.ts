// The metadata store read as the core's records (core/records.ts): the last success and the last
// failure per asset and partition, and the latest observation of each source. Observations are
// written here too: a version seen again only moves `observed_at`, so polling a file every minute
// does not grow the table.
import type { AssetKey } from '../core/model';
import type { AttemptRecord, MaterializationRecord, ObservationRecord } from '../core/records';
import type { Row } from './duckdb';
import type { MetadataStore, StepLineage } from './metadataStore';

/** What staleness, freshness and automation need from the store. */
export interface StoredRecords {
  readonly materializations: MaterializationRecord[];
  readonly failures: AttemptRecord[];
  readonly observations: ObservationRecord[];
}

const latestPerSlot = (statuses: string) => `
  SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY asset_key, coalesce(partition_key, '') ORDER BY seq DESC) AS rn
    FROM materializations WHERE status IN (${statuses}) AND kind = 'materialize') WHERE rn = 1`;

export async function readRecords(store: MetadataStore): Promise<StoredRecords> {
  return store.use(async (db) => {
    const done = await db.query(latestPerSlot("'success'"));
    const failed = await db.query(latestPerSlot("'failed', 'cancelled'"));
    const observed = await db.query(`SELECT * FROM (
      SELECT *, row_number() OVER (PARTITION BY asset_key ORDER BY observed_at DESC) AS rn FROM observations) WHERE rn = 1`);
    return {
      materializations: done.map(toMaterialization),
      failures: failed.map((r) => ({
        key: String(r.asset_key) as AssetKey, at: Date.parse(String(r.started_at)),
        ...(r.partition_key != null ? { partition: String(r.partition_key) } : {}),
        ...(r.error != null ? { error: String(r.error) } : {}),
        ...(r.code_version != null ? { codeVersion: String(r.code_version) } : {}),
      })),
      observations: observed.map((r) => ({
        key: String(r.asset_key) as AssetKey, dataVersion: String(r.data_version), observedAt: Number(r.observed_at), since: Number(r.since),
      })),
    };
  });
}

/**
 * A success without lineage (written before the store kept versions) still counts as materialized;
 * its data version is its row id, so everything downstream looks stale until it runs again.
 */
function toMaterialization(r: Row): MaterializationRecord {
  const lineage = r.lineage == null ? undefined : (JSON.parse(String(r.lineage)) as StepLineage);
  return {
    key: String(r.asset_key) as AssetKey,
    ...(r.partition_key != null ? { partition: String(r.partition_key) } : {}),
    at: lineage?.at ?? Date.parse(String(r.started_at)),
    codeVersion: r.code_version == null ? '' : String(r.code_version),
    dataVersion: r.data_version == null ? `legacy:${String(r.id)}` : String(r.data_version),
    inputs: lineage?.inputs ?? {},
    ...(lineage && Object.keys(lineage.roots).length ? { roots: lineage.roots } : {}),
  };
}

/**
 * Records that `key` holds `dataVersion` at `at`. Returns the observation as stored: `since` is
 * when this version was first seen, so `changed` is true only when the version is new.
 */
export async function recordObservation(store: MetadataStore, key: AssetKey, dataVersion: string, at: number, detail?: string): Promise<{ observation: ObservationRecord; changed: boolean }> {
  return store.use((db) => db.transaction(async () => {
    const last = (await db.query('SELECT data_version, since FROM observations WHERE asset_key = ? ORDER BY observed_at DESC LIMIT 1', [key]))[0];
    if (last && String(last.data_version) === dataVersion) {
      await db.run('UPDATE observations SET observed_at = ? WHERE asset_key = ? AND data_version = ? AND since = ?', [at, key, dataVersion, Number(last.since)]);
      return { observation: { key, dataVersion, observedAt: at, since: Number(last.since) }, changed: false };
    }
    await db.run('INSERT INTO observations VALUES (?, ?, ?, ?, ?)', [key, dataVersion, at, at, detail ?? null]);
    return { observation: { key, dataVersion, observedAt: at, since: at }, changed: true };
  }));
}
