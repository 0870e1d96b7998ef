// What a run settles before its steps start: which assets cannot be built here, and the schemas
// the steps write to.
import type { Asset } from '../core/model';
import type { Catalog } from './catalog';
import { quoteIdent, type DuckDb } from './duckdb';
import { relationOf } from './render';
import type { MaterializeOptions } from './runner';

export const PYTHON_NOTE = 'Python assets with a Python body do not run in Asset Lens yet';

/** Why an asset cannot be built here, or undefined when it can. */
export function cannotRun(asset: Asset): string | undefined {
  switch (asset.kind) {
    case 'python': return PYTHON_NOTE;
    case 'source': return 'Sources are read where they are; there is nothing to build';
    case 'external': return 'External assets are produced outside this workspace; there is nothing to build';
    case 'exposure': return 'Exposures show where data is used (a dashboard, a notebook); there is nothing to build';
    default: return asset.materialized === 'ephemeral' ? 'Ephemeral model: inlined into the models that ref it, nothing to build' : undefined;
  }
}

/**
 * Creates the schemas the steps write to, one after another before they start: two parallel
 * steps creating the same schema conflict in DuckDB ("write-write conflict on create").
 */
export async function createSchemas(opts: MaterializeOptions, db: DuckDb, catalog: Catalog): Promise<void> {
  const env = { root: opts.root, graph: opts.graph, runId: '', runStartedAt: '' };
  const schemas = new Set(opts.keys.map((k) => opts.graph.assets.get(k)).filter((a): a is Asset => !!a && !cannotRun(a)).map((a) => relationOf(env, a).schema));
  for (const s of schemas) {
    if (catalog.hasSchema(s)) continue;
    await db.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)}`);
    catalog.addSchema(s);
  }
}

