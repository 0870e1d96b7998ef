// The staleness of a workspace's assets as the CLI's `status`, the server's hovers and automation
// see it: the store's records, the sources observed now, and the current code versions.
import { existsSync } from 'node:fs';
import type { Graph } from '../core/graph';
import type { AssetRecords } from '../core/records';
import { evaluateStaleness, type StalenessReport } from '../core/staleness';
import { MetadataStore } from './metadataStore';
import { observeSources, type Observed } from './observe';
import { readRecords } from './storeRecords';
import { codeVersions } from './versioning';

export interface AssetState {
  readonly records: AssetRecords;
  readonly report: StalenessReport;
  /** The observations made for this state; empty when `observe` was off. */
  readonly observed: readonly Observed[];
}

/**
 * Reads the store at `metadataPath` (observing file-backed sources first when `observe`, which
 * creates the store). A store that does not exist gives empty records: nothing ran yet.
 */
export async function assetState(root: string, graph: Graph, metadataPath: string, now: number, observe: boolean): Promise<AssetState> {
  let observed: Observed[] = [];
  let stored = { materializations: [], failures: [], observations: [] } as Awaited<ReturnType<typeof readRecords>>;
  if (observe || existsSync(metadataPath)) {
    const store = await MetadataStore.open(metadataPath);
    try {
      if (observe) observed = await observeSources(root, graph, store, now);
      stored = await readRecords(store);
    } finally {
      store.close();
    }
  }
  const records: AssetRecords = { graph, now, ...stored, codeVersions: codeVersions(root, graph) };
  return { records, report: evaluateStaleness(records), observed };
}
