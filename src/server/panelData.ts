// What the lineage view shows beyond the last materialization: which assets are stale and why, and
// the partition matrix. Both read the status cache's staleness, the evaluation hovers and code
// lenses use, so the view, the hover and `asset-lens status` name the same reasons.
import type { AssetStatesResult, ObservedSourceDto, PartitionStatusResult } from '../shared/protocol';
import { PARTITION_STATE_CODES } from '../shared/webviewProtocol';
import { keyFromString, type AssetKey } from '../core/model';
import type { AssetStaleness } from '../core/staleness';
import type { StatusCache } from './status';
import type { Folder } from './workspace';

/** Stale assets with their first reason, over every folder. */
export async function assetStates(status: StatusCache, folders: readonly Folder[], now: number): Promise<AssetStatesResult> {
  const stale: { key: string; reason: string }[] = [];
  const observed: ObservedSourceDto[] = [];
  for (const folder of folders) {
    for (const o of await status.observations(folder)) {
      observed.push({ key: o.key, dataVersion: o.dataVersion, since: new Date(o.since).toISOString(), observedAt: new Date(o.observedAt).toISOString() });
    }
    const [states, last] = await Promise.all([status.staleness(folder, now), status.get(folder)]);
    for (const s of states.values()) {
      const reason = s.reasons[0];
      // Never materialized is its own colour in the view; calling it stale would paint a fresh
      // workspace orange before anything ran, so only assets with a run behind them are listed.
      if (s.status !== 'stale' || !reason || (!last.has(s.key) && s.lastMaterializedAt === undefined)) continue;
      stale.push({ key: s.key, reason: reason.message });
    }
  }
  return { stale, observed };
}

/** The matrix of `keys` (first folder that defines each key wins), one code per partition. */
export async function partitionMatrix(status: StatusCache, folders: readonly Folder[], keys: readonly string[], now: number): Promise<PartitionStatusResult> {
  const found: AssetStaleness[] = [];
  const staleness = await Promise.all(folders.map((f) => status.staleness(f, now)));
  for (const key of new Set(keys)) {
    const k: AssetKey = keyFromString(key);
    const s = staleness.map((m) => m.get(k)).find((x) => x?.partitions);
    if (s) found.push(s);
  }
  const partitionKeys = columnsOf(found);
  const rows = found.map((s) => ({ key: s.key as string, states: encode(s, partitionKeys) }));
  return { partitionKeys, rows };
}

/**
 * Columns shared by every row. Assets of one definition share the same key array (partitionKeys
 * caches it), which is the common case; otherwise the union, sorted when every key is a date
 * (ISO keys sort by time as strings) and in first-seen order for static keys.
 */
function columnsOf(found: readonly AssetStaleness[]): readonly string[] {
  const universes = [...new Set(found.map((s) => s.partitions!.keys))];
  if (universes.length <= 1) return universes[0] ?? [];
  const union = [...new Set(universes.flat())];
  return union.every((k) => /^\d{4}-\d{2}-\d{2}/.test(k)) ? union.sort() : union;
}

/** One code per column; trailing missing partitions are dropped, since a shorter row means missing. */
function encode(s: AssetStaleness, columns: readonly string[]): string {
  const p = s.partitions!;
  let out = '';
  if (p.keys === columns) {
    for (const [, state] of p.entries()) out += PARTITION_STATE_CODES[state];
  } else {
    for (const key of columns) out += PARTITION_STATE_CODES[p.get(key) ?? 'missing'];
  }
  return out.replace(/\.+$/, '');
}
