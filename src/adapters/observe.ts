// Observations of file-backed sources: each source asset's files are hashed and the data version
// recorded in the metadata store, as Dagster's observation job does with a file's mtime. A content
// hash rather than the mtime, so touching a file without changing it is no news.
import type { Graph } from '../core/graph';
import type { AssetKey } from '../core/model';
import type { ObservationRecord } from '../core/records';
import { sourceDataVersion } from '../core/versions';
import type { MetadataStore } from './metadataStore';
import { recordObservation } from './storeRecords';
import { filesHash, sourceFiles } from './versioning';

export interface Observed {
  readonly observation: ObservationRecord;
  /** True when this version was not the last one observed. */
  readonly changed: boolean;
  readonly files: readonly string[];
}

/**
 * Observes the file-backed sources of `graph` (only `only` when given) at `now`. A source whose
 * files are all missing records nothing: there is no data to version.
 */
export async function observeSources(root: string, graph: Graph, store: MetadataStore, now: number, only?: ReadonlySet<AssetKey>): Promise<Observed[]> {
  const out: Observed[] = [];
  for (const [key, files] of sourceFiles(graph)) {
    if (only && !only.has(key)) continue;
    const version = sourceDataVersion({ contentHash: filesHash(root, files) });
    if (!version) continue;
    const r = await recordObservation(store, key, version, now, files.join(', '));
    out.push({ ...r, files });
  }
  return out;
}

/** True when a workspace-relative path is one of the files some source stands for (a watcher event worth observing). */
export function isObservedFile(graph: Graph, rel: string): boolean {
  for (const files of sourceFiles(graph).values()) {
    if (files.some((f) => f === rel || (f.includes('*') && new RegExp(`^${f.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(rel)))) return true;
  }
  return false;
}
