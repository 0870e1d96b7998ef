// Staleness with named reasons, as Dagster shows it: never materialized, code changed since,
// upstream `X` has newer data, upstream `X` is stale (propagated), partitions missing. Evaluated in
// topological order so an asset's reasons can name its upstreams' state.
import type { AssetKey } from './model';
import { assetFreshness, type FreshnessState } from './freshness';
import { PartitionStatus, type PartitionState } from './partitionStatus';
import { RecordIndex, type AssetRecords } from './records';

export type StaleReasonKind = 'never-materialized' | 'code-changed' | 'upstream-newer' | 'upstream-stale' | 'partitions-missing' | 'partitions-failed';

export interface StaleReason {
  readonly kind: StaleReasonKind;
  /** What a user reads: "upstream `raw/orders` has newer data", "partitions missing: 3 of 7". */
  readonly message: string;
  /** The upstream named by `upstream-newer` and `upstream-stale`. */
  readonly upstream?: AssetKey;
  /** For partition reasons: how many partitions, of `total`. */
  readonly count?: number;
  readonly total?: number;
}

export interface AssetStaleness {
  readonly key: AssetKey;
  /** `source`: observed, never run, never stale. `stale`: see reasons. `fresh`: up to date. */
  readonly status: 'source' | 'fresh' | 'stale';
  /** Empty unless stale; ordered as the kinds above, upstreams by key. */
  readonly reasons: readonly StaleReason[];
  /** Current data version (a source's latest observation); undefined when there is no data. */
  readonly dataVersion?: string;
  readonly lastMaterializedAt?: number;
  readonly running: boolean;
  /** The last attempt failed (unpartitioned assets; partitions show it in `partitions`). */
  readonly failed: boolean;
  /** Per partition state; undefined for unpartitioned assets. */
  readonly partitions?: PartitionStatus;
  /** Undefined when the asset has no freshness policy or is partitioned. */
  readonly freshness?: FreshnessState;
}

export interface StalenessReport {
  readonly index: RecordIndex;
  readonly assets: ReadonlyMap<AssetKey, AssetStaleness>;
}

export const reasonText = {
  never: 'never materialized',
  code: 'code changed since last materialization',
  newer: (u: AssetKey) => `upstream \`${u}\` has newer data`,
  upstreamStale: (u: AssetKey) => `upstream \`${u}\` is stale`,
  missing: (n: number, total: number) => `partitions missing: ${n} of ${total}`,
  failed: (n: number, total: number) => `partitions failed: ${n} of ${total}`,
} as const;

/** Every asset's staleness and freshness at `records.now`. An empty graph gives an empty map. */
export function evaluateStaleness(records: AssetRecords): StalenessReport {
  const ix = new RecordIndex(records);
  const out = new Map<AssetKey, AssetStaleness>();
  for (const key of records.graph.order) out.set(key, assess(ix, key, out));
  return { index: ix, assets: out };
}

function assess(ix: RecordIndex, key: AssetKey, done: ReadonlyMap<AssetKey, AssetStaleness>): AssetStaleness {
  if (ix.isSource(key)) {
    return { key, status: 'source', reasons: [], dataVersion: ix.observation(key)?.dataVersion, running: false, failed: false };
  }
  const universe = ix.partitionKeys(key);
  if (universe) return assessPartitioned(ix, key, universe, done);
  const m = ix.materialization(key);
  const reasons = reasonsFor(ix, key, undefined, done);
  return {
    key, status: reasons.length ? 'stale' : 'fresh', reasons, dataVersion: m?.dataVersion, lastMaterializedAt: m?.at,
    running: ix.isRunning(key), failed: ix.lastAttemptFailed(key), freshness: assetFreshness(ix, key),
  };
}

/** The reasons one partition (or the unpartitioned asset, `partition` undefined) is stale; empty when it is not. */
function reasonsFor(ix: RecordIndex, key: AssetKey, partition: string | undefined, done: ReadonlyMap<AssetKey, AssetStaleness>): StaleReason[] {
  const m = ix.materialization(key, partition);
  if (!m) return [{ kind: 'never-materialized', message: reasonText.never }];
  const reasons: StaleReason[] = [];
  const code = ix.records.codeVersions.get(key);
  if (code !== undefined && code !== m.codeVersion) reasons.push({ kind: 'code-changed', message: reasonText.code });
  const stale: StaleReason[] = [];
  for (const up of ix.upstream(key)) {
    const current = ix.versionFor(up, key, partition);
    if (current !== undefined && m.inputs[up] !== current) reasons.push({ kind: 'upstream-newer', upstream: up, message: reasonText.newer(up) });
    else if (upstreamIsStale(ix, up, key, partition, done)) stale.push({ kind: 'upstream-stale', upstream: up, message: reasonText.upstreamStale(up) });
  }
  return [...reasons, ...stale];
}

function upstreamIsStale(ix: RecordIndex, up: AssetKey, key: AssetKey, partition: string | undefined, done: ReadonlyMap<AssetKey, AssetStaleness>): boolean {
  const s = done.get(up);
  if (!s || s.status !== 'stale') return false;
  if (!s.partitions) return true;
  const keys = ix.readKeys(up, key, partition) ?? [];
  return keys.some((k) => { const st = s.partitions!.get(k); return st !== 'materialized' && st !== 'running'; });
}

function assessPartitioned(ix: RecordIndex, key: AssetKey, universe: readonly string[], done: ReadonlyMap<AssetKey, AssetStaleness>): AssetStaleness {
  const states: [string, PartitionState][] = [];
  const byKind = new Map<string, StaleReason>();
  let missing = 0, failed = 0, last: number | undefined;
  for (const p of universe) {
    const reasons = reasonsFor(ix, key, p, done);
    const m = ix.materialization(key, p);
    if (m && (last === undefined || m.at > last)) last = m.at;
    const state: PartitionState = ix.isRunning(key, p) ? 'running' : ix.lastAttemptFailed(key, p) ? 'failed' : !m ? 'missing' : reasons.length ? 'stale' : 'materialized';
    if (state !== 'missing') states.push([p, state]);
    if (!m) missing++;
    if (state === 'failed') failed++;
    for (const r of reasons) if (r.kind !== 'never-materialized') byKind.set(`${r.kind}:${r.upstream ?? ''}`, r);
  }
  const reasons: StaleReason[] = [];
  if (missing) reasons.push({ kind: 'partitions-missing', count: missing, total: universe.length, message: reasonText.missing(missing, universe.length) });
  if (failed) reasons.push({ kind: 'partitions-failed', count: failed, total: universe.length, message: reasonText.failed(failed, universe.length) });
  const order: StaleReasonKind[] = ['code-changed', 'upstream-newer', 'upstream-stale'];
  reasons.push(...[...byKind.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.upstream! < b.upstream! ? -1 : 1)));
  return {
    key, status: reasons.length ? 'stale' : 'fresh', reasons, lastMaterializedAt: last,
    running: states.some(([, s]) => s === 'running'), failed: failed > 0,
    partitions: PartitionStatus.from(universe, states),
  };
}

/** One line per asset for hovers and `status`: "stale: never materialized", "fresh", "source". */
export function stalenessSummary(s: AssetStaleness): string {
  if (s.status !== 'stale') return s.status;
  return `stale: ${s.reasons.map((r) => r.message).join('; ')}`;
}
