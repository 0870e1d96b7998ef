// The last materialization of every asset, per folder, cached in memory: hovers and code lenses
// read it on every keystroke, so the metadata store is read only at start and after run steps.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MaterializationDto } from '../shared/protocol';
import { metadataFile } from '../core/warehouse';
import { MetadataStore } from '../adapters/metadataStore';
import type { Folder } from './workspace';

export class StatusCache {
  private readonly byFolder = new Map<Folder, Promise<ReadonlyMap<string, MaterializationDto>>>();

  /** Last materialization per key; empty when the folder never ran anything. */
  get(folder: Folder): Promise<ReadonlyMap<string, MaterializationDto>> {
    let entry = this.byFolder.get(folder);
    if (!entry) {
      entry = read(folder);
      this.byFolder.set(folder, entry);
    }
    return entry;
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
async function read(folder: Folder): Promise<ReadonlyMap<string, MaterializationDto>> {
  const path = join(folder.root, metadataFile);
  if (!existsSync(path)) return new Map();
  try {
    const store = await MetadataStore.open(path);
    try {
      return new Map((await store.lastMaterializations()).map((m) => [m.key, m]));
    } finally {
      store.close();
    }
  } catch {
    return new Map();
  }
}
