// The last materialization of every asset and the store's version records, per folder, cached in
// memory: hovers and code lenses read them on every keystroke, so the metadata store is read only
// at start and after run steps or observations. Staleness is evaluated per graph value, so an edit
// that changes an asset's code shows as "code changed" without reading the store again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MaterializationDto } from '../shared/dto';
import type { Graph } from '../core/graph';
import type { AssetKey } from '../core/model';
import { evaluateStaleness, type AssetStaleness } from '../core/staleness';
import { metadataFile } from '../core/warehouse';
import { MetadataStore } from '../adapters/metadataStore';
import { readRecords, type StoredRecords } from '../adapters/storeRecords';
import { codeVersions } from '../adapters/versioning';
import type { Folder } from './workspace';

interface Snapshot {
  readonly last: ReadonlyMap<string, MaterializationDto>;
  readonly records: StoredRecords;
  readonly stale: WeakMap<Graph, ReadonlyMap<AssetKey, AssetStaleness>>;
}

const empty = (): Snapshot => ({ last: new Map(), records: { materializations: [], failures: [], observations: [] }, stale: new WeakMap() });

export class StatusCache {
  private readonly byFolder = new Map<Folder, Promise<Snapshot>>();

  private snapshot(folder: Folder): Promise<Snapshot> {
    let entry = this.byFolder.get(folder);
    if (!entry) {
      entry = read(folder);
      this.byFolder.set(folder, entry);
    }
    return entry;
  }

  /** Last materialization per key; empty when the folder never ran anything. */
  async get(folder: Folder): Promise<ReadonlyMap<string, MaterializationDto>> {
    return (await this.snapshot(folder)).last;
  }

  /** Every asset's staleness for the folder's current graph at `now`; empty when nothing ever ran. */
  async staleness(folder: Folder, now: number): Promise<ReadonlyMap<AssetKey, AssetStaleness>> {
    const snap = await this.snapshot(folder);
    const graph = folder.graph();
    let out = snap.stale.get(graph);
    if (!out) {
      out = evaluateStaleness({ graph, now, ...snap.records, codeVersions: codeVersions(folder.root, graph) }).assets;
      snap.stale.set(graph, out);
    }
    return out;
  }

  /** The last observation of each observed source; empty when none was observed. */
  async observations(folder: Folder): Promise<StoredRecords['observations']> {
    return (await this.snapshot(folder)).records.observations;
  }

  /** Re-reads a folder's store (after a run step); resolves when the cache holds the new state. */
  async refresh(folder: Folder): Promise<void> {
    const next = read(folder);
    // Keep serving the old state until the new one is read, so a hover never waits on a run.
    await next;
    this.byFolder.set(folder, next);
  }

  async all(folders: readonly Folder[]): Promise<MaterializationDto[]> {
    const maps = await Promise.all(folders.map((f) => this.get(f)));
    return maps.flatMap((m) => [...m.values()]);
  }
}

/**
 * Reads the store, but never creates it: a workspace that never ran anything (or is untrusted)
 * gets no `.assetlens` folder from merely being opened. A store that cannot be read (locked by
 * a long CLI run, a newer schema) shows as "never materialized" rather than breaking hovers.
 */
async function read(folder: Folder): Promise<Snapshot> {
  const path = join(folder.root, metadataFile);
  if (!existsSync(path)) return empty();
  try {
    const store = await MetadataStore.open(path);
    try {
      const last = new Map((await store.lastMaterializations()).map((m) => [m.key, m]));
      return { last, records: await readRecords(store), stale: new WeakMap() };
    } finally {
      store.close();
    }
  } catch {
    return empty();
  }
}
