// Where a run writes: the dbt profile's dbt-duckdb `path` of the selected assets' project, else the
// `assetLens.warehouse` setting (default `.assetlens/warehouse.duckdb`). One rule for the editor and the CLI.
import type { AssetKey } from './model';
import type { Graph } from './graph';

export const defaultWarehouse = '.assetlens/warehouse.duckdb';
export const metadataFile = '.assetlens/metadata.duckdb';

/** Workspace-relative (or absolute, when the profile says so) path of the warehouse for `keys`. */
export function warehouseFor(g: Graph, keys: readonly AssetKey[], fallback = defaultWarehouse): string {
  const dirs = new Set(keys.map((k) => g.assets.get(k)?.dbt?.projectDir).filter((d): d is string => d !== undefined));
  for (const p of g.projects) if (dirs.has(p.dir) && p.warehouse) return p.warehouse;
  // Python-only selections still write to the one dbt warehouse when the workspace has exactly one.
  const withPath = g.projects.filter((p) => p.warehouse);
  if (!dirs.size && withPath.length === 1) return withPath[0]!.warehouse!;
  return fallback;
}
