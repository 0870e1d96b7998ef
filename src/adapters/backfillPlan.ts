// What a backfill runs, shared by `asset-lens backfill` and the server's backfill request: the
// selection's partitioned assets (one definition, so they share partition keys), the range of
// keys, and which partitions are already materialized so a resumed backfill skips them.
import type { Graph } from '../core/graph';
import type { AssetKey, PartitionsDef } from '../core/model';
import { keysBetween, samePartitionsDef } from '../core/partitions';
import { closest } from '../core/text';
import { MetadataStore } from './metadataStore';
import { describeDef } from './partitionRun';
import { readRecords } from './storeRecords';

/** A backfill that cannot start, with a message that says what to do instead. */
export class BackfillPlanError extends Error {}

export interface BackfillPlan {
  /** The partitioned keys, in the order given. */
  readonly keys: AssetKey[];
  readonly def: PartitionsDef;
  /** Selected keys that are not partitioned; the backfill leaves them out. */
  readonly left: AssetKey[];
  /** The partition keys from `from` to `to`, oldest first. */
  readonly range: string[];
}

/** Throws BackfillPlanError when nothing is partitioned, definitions differ, or `from`/`to` is no partition. */
export function planBackfill(graph: Graph, keys: readonly AssetKey[], from: string, to: string, now: number): BackfillPlan {
  const parted = keys.filter((k) => graph.assets.get(k)?.partitions);
  if (!parted.length) throw new BackfillPlanError(`backfill needs partitioned assets; none of ${keys.join(', ') || 'the selection'} is partitioned (use materialize)`);
  const def = graph.assets.get(parted[0]!)!.partitions!;
  const other = parted.find((k) => !samePartitionsDef(graph.assets.get(k)!.partitions!, def));
  if (other) throw new BackfillPlanError(`${other} is partitioned differently from ${parted[0]} (${describeDef(def)}); backfill them separately`);
  const range = keysBetween(def, from, to, now);
  if (!range) {
    const bad = keysBetween(def, from, from) ? to : from;
    const hint = def.keys ? closest(bad, def.keys) : undefined;
    throw new BackfillPlanError(`${bad} is not a partition of ${parted[0]} (${describeDef(def)})${hint ? `; did you mean ${hint}?` : ''}`);
  }
  return { keys: parted, def, left: keys.filter((k) => !parted.includes(k)), range };
}

/** Partitions where every one of `keys` last succeeded (no failure since); empty when nothing ran. */
export async function materializedPartitions(metadataPath: string, keys: readonly AssetKey[]): Promise<Set<string>> {
  const store = await MetadataStore.open(metadataPath);
  let records;
  try { records = await readRecords(store); } finally { store.close(); }
  const ok = new Map<string, number>();
  for (const m of records.materializations) {
    if (m.partition === undefined || !keys.includes(m.key)) continue;
    const lastFailure = records.failures.find((f) => f.key === m.key && f.partition === m.partition);
    if (lastFailure && lastFailure.at >= m.at) continue;
    ok.set(m.partition, (ok.get(m.partition) ?? 0) + 1);
  }
  return new Set([...ok].filter(([, n]) => n === keys.length).map(([p]) => p));
}
