// What the metadata store knows about past runs and observations, as plain values, and one index
// over them that staleness, freshness and automation share. `lineageFor` says what a new
// materialization must record so that those three can later judge it.
import type { Graph } from './graph';
import type { Asset, AssetKey } from './model';
import { partitionKeys, upstreamPartitionKeys } from './partitions';
import type { Instant } from './time';
import { combinedDataVersion } from './versions';

/** A version of a root of the lineage (an observed source or an asset with no upstream data) and when it appeared. */
export interface RootVersion {
  readonly version: string;
  /** Observed source: when this version was first observed. Root asset: when that materialization started. */
  readonly at: Instant;
}

/** The last successful materialization of an asset, or of one partition of it. */
export interface MaterializationRecord {
  readonly key: AssetKey;
  /** Undefined for an unpartitioned asset. */
  readonly partition?: string;
  /** When the step started, i.e. when it read its inputs. */
  readonly at: Instant;
  readonly codeVersion: string;
  readonly dataVersion: string;
  /** Upstream key → the data version it read (from `lineageFor`); an upstream with no data is absent. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Root key → the root version incorporated (from `lineageFor`). Undefined or empty: this asset is itself a root. */
  readonly roots?: Readonly<Record<string, RootVersion>>;
}

/** A failed (or cancelled) attempt; it matters only when newer than the last success. */
export interface AttemptRecord {
  readonly key: AssetKey;
  readonly partition?: string;
  readonly at: Instant;
  readonly error?: string;
  /** The code version the attempt ran; a different current one makes automation try again. */
  readonly codeVersion?: string;
}

/** The latest observation of a source asset. */
export interface ObservationRecord {
  readonly key: AssetKey;
  readonly dataVersion: string;
  readonly observedAt: Instant;
  /** When `dataVersion` was first observed (equal to observedAt on a change); freshness counts from it. */
  readonly since: Instant;
}

/** Everything staleness, freshness and automation read: the graph, the clock and the store's records. */
export interface AssetRecords {
  readonly graph: Graph;
  readonly now: Instant;
  /** The last success per asset and partition; older ones are ignored when several are given. */
  readonly materializations: readonly MaterializationRecord[];
  /** Failed attempts; empty or undefined when none failed. */
  readonly failures?: readonly AttemptRecord[];
  /** Steps running now; empty or undefined when none. */
  readonly running?: readonly { readonly key: AssetKey; readonly partition?: string }[];
  /** Current code version per asset (see versions.codeVersion); an asset absent here is not checked for code changes. */
  readonly codeVersions: ReadonlyMap<AssetKey, string>;
  /** Latest observation per source; a source without one has unknown data (never stale, never fresh). */
  readonly observations: readonly ObservationRecord[];
}

const slot = (key: AssetKey, partition: string | undefined): string => `${key}\u0000${partition ?? ''}`;

/** Lookups over AssetRecords, built once per evaluation. */
export class RecordIndex {
  private readonly done = new Map<string, MaterializationRecord>();
  private readonly failed = new Map<string, AttemptRecord>();
  private readonly runningNow = new Set<string>();
  private readonly observed = new Map<AssetKey, ObservationRecord>();
  private readonly byAsset = new Map<AssetKey, Map<string, MaterializationRecord>>();

  constructor(readonly records: AssetRecords) {
    for (const m of records.materializations) {
      const s = slot(m.key, m.partition);
      if ((this.done.get(s)?.at ?? -Infinity) > m.at) continue;
      this.done.set(s, m);
      if (m.partition !== undefined) {
        let parts = this.byAsset.get(m.key);
        if (!parts) this.byAsset.set(m.key, (parts = new Map()));
        parts.set(m.partition, m);
      }
    }
    for (const f of records.failures ?? []) { const s = slot(f.key, f.partition); if ((this.failed.get(s)?.at ?? -Infinity) <= f.at) this.failed.set(s, f); }
    for (const r of records.running ?? []) this.runningNow.add(slot(r.key, r.partition));
    for (const o of records.observations) if ((this.observed.get(o.key)?.observedAt ?? -Infinity) <= o.observedAt) this.observed.set(o.key, o);
  }

  get graph(): Graph { return this.records.graph; }
  get now(): Instant { return this.records.now; }
  asset(key: AssetKey): Asset | undefined { return this.records.graph.assets.get(key); }
  upstream(key: AssetKey): readonly AssetKey[] { return this.records.graph.upstream.get(key) ?? []; }

  /** Sources are observed, never run: external assets and dbt sources no asset produces (and exposures, which nothing builds: never stale, never automated). */
  isSource(key: AssetKey): boolean { const k = this.asset(key)?.kind; return k === 'external' || k === 'source' || k === 'exposure'; }
  materialization(key: AssetKey, partition?: string): MaterializationRecord | undefined { return this.done.get(slot(key, partition)); }
  observation(key: AssetKey): ObservationRecord | undefined { return this.observed.get(key); }
  /** The newest materialization of `key`, of any partition (or unpartitioned); undefined when it never succeeded. */
  latestMaterialization(key: AssetKey): MaterializationRecord | undefined {
    let best = this.done.get(slot(key, undefined));
    for (const m of this.byAsset.get(key)?.values() ?? []) if (!best || m.at > best.at) best = m;
    return best;
  }
  isRunning(key: AssetKey, partition?: string): boolean { return this.runningNow.has(slot(key, partition)); }
  /** True when the last attempt failed (after the last success, or with no success at all). */
  lastAttemptFailed(key: AssetKey, partition?: string): boolean {
    const f = this.failed.get(slot(key, partition));
    return f !== undefined && f.at >= (this.materialization(key, partition)?.at ?? -Infinity);
  }
  /** The last failed attempt when it is newer than the last success; undefined otherwise. */
  failure(key: AssetKey, partition?: string): AttemptRecord | undefined {
    return this.lastAttemptFailed(key, partition) ? this.failed.get(slot(key, partition)) : undefined;
  }
  /** The partitions of `key` at `now`; undefined when it is not partitioned. */
  partitionKeys(key: AssetKey): readonly string[] | undefined {
    const def = this.asset(key)?.partitions;
    return def ? partitionKeys(def, this.now) : undefined;
  }

  /** The partitions of `up` that partition `downKey` of `down` reads; undefined: `up` is read whole. */
  readKeys(up: AssetKey, down: AssetKey, downKey: string | undefined): readonly string[] | undefined {
    return upstreamPartitionKeys(this.asset(down)?.partitions, downKey, this.asset(up)?.partitions, this.now);
  }

  /** The current data version of `up` as partition `downKey` of `down` reads it; undefined when there is no data. */
  versionFor(up: AssetKey, down: AssetKey, downKey: string | undefined): string | undefined {
    if (this.isSource(up)) return this.observation(up)?.dataVersion;
    const keys = this.readKeys(up, down, downKey);
    if (keys === undefined) return this.materialization(up)?.dataVersion;
    if (keys.length === 1 && this.asset(down)?.partitions) return this.materialization(up, keys[0])?.dataVersion;
    const parts = new Map<string, string>();
    for (const k of keys) { const m = this.materialization(up, k); if (m) parts.set(k, m.dataVersion); }
    return combinedDataVersion(parts);
  }
}

/**
 * What a materialization of `key` (partition `partition`, undefined when unpartitioned) must record
 * when it starts now: the data version of each upstream it reads, and the root versions that
 * reach it. Compute it when the step starts, from records that include the upstream steps of the
 * same run. Empty maps when the asset has no upstream data (it is then a root itself).
 */
export function lineageFor(ix: RecordIndex, key: AssetKey, partition?: string): { inputs: Record<string, string>; roots: Record<string, RootVersion> } {
  const inputs: Record<string, string> = {};
  const roots: Record<string, RootVersion> = {};
  const addRoot = (k: string, v: RootVersion) => { const had = roots[k]; if (!had || v.at < had.at) roots[k] = v; };
  for (const up of ix.upstream(key)) {
    const version = ix.versionFor(up, key, partition);
    if (version === undefined) continue;
    inputs[up] = version;
    if (ix.isSource(up)) { addRoot(up, { version, at: ix.observation(up)!.since }); continue; }
    const keys = ix.readKeys(up, key, partition);
    const records = (keys ?? [undefined]).map((p) => ix.materialization(up, p)).filter((m): m is MaterializationRecord => !!m);
    for (const m of records) {
      const upRoots = Object.entries(m.roots ?? {});
      if (upRoots.length) for (const [k, v] of upRoots) addRoot(k, v);
      else addRoot(up, { version, at: Math.min(...records.map((r) => r.at)) });
    }
  }
  return { inputs, roots };
}
