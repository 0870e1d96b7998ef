// What a partitioned run needs before it starts: the partition checked against each selected
// asset's definition, and the values a template sees (`partition_key`, `partition_start`,
// `partition_end`, and the `min_date`/`max_date` vars dagster-dbt passes to dbt).
import type { Graph } from '../core/graph';
import type { AssetKey, PartitionsDef } from '../core/model';
import { isPartitionKey, latestPartitionKey, partitionWindow } from '../core/partitions';

/** The partition a step renders and writes. */
export interface PartitionContext {
  readonly key: string;
  /** ISO-8601 with offset; undefined for static partitions. */
  readonly start?: string;
  readonly end?: string;
}

/** "daily from 2024-01-01", "static: a, b, c". */
export function describeDef(def: PartitionsDef): string {
  if (def.kind === 'static') return `static: ${(def.keys ?? []).slice(0, 5).join(', ')}${(def.keys ?? []).length > 5 ? ', …' : ''}`;
  return `${def.kind}${def.start ? ` from ${def.start}` : ''}${def.timezone ? ` (${def.timezone})` : ''}`;
}

/**
 * Why `keys` cannot run with `partition` (undefined: no partition given), or undefined when they
 * can. An unpartitioned asset runs whole either way; a partitioned one needs an existing key.
 */
export function partitionProblem(graph: Graph, keys: readonly AssetKey[], partition: string | undefined, now: number): string | undefined {
  for (const k of keys) {
    const def = graph.assets.get(k)?.partitions;
    if (!def) continue;
    if (def.kind === 'other') return `${k} has partitions Asset Lens cannot read statically; it cannot be materialized here yet`;
    if (partition === undefined) {
      const example = latestPartitionKey(def, now) ?? def.keys?.[0] ?? def.start ?? 'KEY';
      return `${k} is partitioned (${describeDef(def)}): pass --partition ${example} or use backfill`;
    }
    if (!isPartitionKey(def, partition, now)) return `${partition} is not a partition of ${k} (${describeDef(def)})`;
  }
  return undefined;
}

/** The template values of `partition` for an asset with `def`. */
export function partitionContext(def: PartitionsDef, partition: string): PartitionContext {
  const w = partitionWindow(def, partition);
  return { key: partition, ...(w ? { start: w.start, end: w.end } : {}) };
}

/** Names a template may use; dagster-dbt's vars for a time window are the partition's start and end. */
export function partitionLocals(p: PartitionContext): { locals: Record<string, string>; vars: Record<string, string> } {
  const locals: Record<string, string> = { partition_key: p.key };
  if (p.start === undefined || p.end === undefined) return { locals, vars: {} };
  return { locals: { ...locals, partition_start: p.start, partition_end: p.end }, vars: { min_date: p.start, max_date: p.end } };
}
