// Renders an asset's SQL with dbt's context for a run or for "Show compiled SQL": resolves ref()
// and source() to relations, inlines ephemeral models, merges `--vars` over the project's vars,
// and answers run_query() from the warehouse by rendering again once its queries have run.
import type { Asset, AssetKey, Relation } from '../core/model';
import type { DbtProject, Graph } from '../core/graph';
import { stripSemicolon } from './checks';
import type { DuckDb } from './duckdb';
import { DbtRenderer, relationRef, type DbtContext, type RelationRef } from './jinja';
import { agateTable } from './jinjaContext';
import { partitionLocals, type PartitionContext } from './partitionRun';
import { messageOf } from '../core/text';

/** What rendering needs; no warehouse, so "Show compiled SQL" can use it too. */
export interface RenderEnv {
  readonly root: string;
  readonly graph: Graph;
  readonly runId: string;
  readonly runStartedAt: string;
  /** `--vars`: these win over every project's `vars:`; undefined or empty adds none. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Where `log()` and `print()` of a template go; undefined drops them. */
  readonly log?: (key: AssetKey, message: string) => void;
  /** The partition a partitioned asset renders for; undefined for unpartitioned runs (and unpartitioned assets ignore it). */
  readonly partition?: PartitionContext;
}

/** How one render goes: `inlining` guards against ephemeral models that ref each other. */
export interface RenderMode {
  readonly isIncremental: boolean;
  readonly inlining?: ReadonlySet<AssetKey>;
  /** run_query() answers; undefined makes run_query an error that says it needs the warehouse. */
  readonly runQuery?: (sql: string) => unknown;
}

/** The relation an asset is written to; assets without one (Python SQL assets) go to the target schema under their last key segment. */
export function relationOf(env: RenderEnv, asset: Asset): Relation {
  if (asset.relation) return { schema: asset.relation.schema, identifier: asset.relation.identifier };
  const segments = asset.key.split('/');
  return { schema: projectOf(env.graph, asset)?.targetSchema ?? 'main', identifier: segments[segments.length - 1]! };
}

/** Renders an asset's SQL template with dbt's context; throws JinjaError for template problems. */
export function renderAsset(env: RenderEnv, asset: Asset, mode: RenderMode): string {
  if (asset.sql === undefined) throw new Error(`${asset.file} has no SQL to run.`);
  const project = projectOf(env.graph, asset);
  return DbtRenderer.for(project?.macros ?? new Map()).render(asset.file, asset.sql, dbtContext(env, asset, mode));
}

/** Most renders a run_query() chain may take (each pass can add the queries the previous results asked for). */
const maxPasses = 8;

/**
 * Renders with run_query() answered from `db`: a pass records the queries it has no results for,
 * they run, and the template renders again, until a pass asks for nothing new. A pass that fails
 * while queries were pending is retried with their results, as dbt's `execute` flag would guard it.
 */
export async function renderWithWarehouse(env: RenderEnv, asset: Asset, isIncremental: boolean, db: DuckDb, beforeQuery: () => void): Promise<string> {
  const results = new Map<string, unknown>();
  for (let pass = 0; pass < maxPasses; pass++) {
    const pending: string[] = [];
    const runQuery = (sql: string): unknown => {
      const known = results.get(sql);
      if (known !== undefined) return known;
      if (!pending.includes(sql)) pending.push(sql);
      return agateTable([], []);
    };
    let sql: string | undefined, error: unknown;
    try {
      sql = stripSemicolon(renderAsset(env, asset, { isIncremental, runQuery }));
    } catch (e) {
      error = e;
    }
    if (!pending.length) { if (error !== undefined) throw error; return sql!; }
    for (const q of pending) {
      beforeQuery();
      const t = await db.table(q).catch((e: unknown) => { throw new Error(`run_query failed: ${messageOf(e)}`); });
      results.set(q, agateTable(t.columns, t.rows));
    }
  }
  throw new Error(`${asset.file}: run_query() kept asking for new queries after ${maxPasses} renders`);
}

export function dbtContext(env: RenderEnv, asset: Asset, mode: RenderMode): DbtContext {
  const project = projectOf(env.graph, asset);
  const part = env.partition && asset.partitions ? partitionLocals(env.partition) : undefined;
  const locals = { ...(asset.dbt ? {} : inputsByName(env, asset)), ...part?.locals };
  return {
    ref: (name, pkg) => refTo(env, asset, name, pkg, mode),
    source: (source, table) => sourceTo(env, asset, source, table),
    this: relationRef(relationOf(env, asset)),
    // dagster-dbt passes the window as --vars; the user's own --vars still win.
    vars: { ...project?.vars, ...part?.vars, ...env.vars },
    target: { name: project?.targetName ?? 'dev', schema: project?.targetSchema ?? 'main', type: 'duckdb' },
    isIncremental: mode.isIncremental,
    invocationId: env.runId,
    runStartedAt: env.runStartedAt,
    ...(mode.runQuery ? { runQuery: mode.runQuery } : {}),
    ...(env.log ? { log: (m: string) => env.log!(asset.key, m) } : {}),
    ...(Object.keys(locals).length ? { locals } : {}),
  };
}

/** A Python asset's SQL names its inputs as `{{ name }}` (the last key segment): each renders as the input's relation. */
function inputsByName(env: RenderEnv, asset: Asset): Record<string, RelationRef> {
  const out: Record<string, RelationRef> = {};
  for (const k of env.graph.upstream.get(asset.key) ?? []) {
    const up = env.graph.assets.get(k);
    if (up) out[k.split('/').pop()!] = relationRef(relationOf(env, up));
  }
  return out;
}

function refTo(env: RenderEnv, from: Asset, name: string, pkg: string | undefined, mode: RenderMode): RelationRef | string {
  const target = findRef(env.graph, from, name, pkg);
  if (!target) throw new Error(`ref('${pkg ? `${pkg}', '` : ''}${name}') names no model, seed or snapshot in the workspace`);
  if (target.materialized !== 'ephemeral') return relationRef(relationOf(env, target));
  const inlining = mode.inlining ?? new Set<AssetKey>();
  if (inlining.has(target.key)) throw new Error(`Ephemeral models ref each other in a cycle: ${[...inlining, target.key].join(' → ')}`);
  // dbt inlines ephemeral models as CTEs; a parenthesised subquery is the same query without rewriting the caller's WITH.
  const sql = stripSemicolon(renderAsset(env, target, { ...mode, isIncremental: false, inlining: new Set([...inlining, target.key]) }));
  return `(\n${sql}\n)`;
}

function findRef(g: Graph, from: Asset, name: string, pkg: string | undefined): Asset | undefined {
  const candidates = indexOf(g).byName.get(name) ?? [];
  const inPkg = (p: string | undefined) => candidates.find((a) => a.dbt!.packageName === p);
  if (pkg) return inPkg(pkg);
  return inPkg(from.dbt?.packageName) ?? candidates[0] ?? g.assets.get(name as AssetKey);
}

function sourceTo(env: RenderEnv, from: Asset, source: string, table: string): RelationRef {
  // The linker's table also covers sources that joined a Python asset with the same key.
  const g = env.graph;
  const key = g.sources.get(`${from.dbt?.packageName}:${source}.${table}`) ?? g.sources.get(`${source}.${table}`);
  const a = key ? g.assets.get(key) : indexOf(g).sources.get(`${source}\0${table}`);
  if (!a?.relation) throw new Error(`source('${source}', '${table}') names no source table in the workspace`);
  return relationRef(a.relation);
}

interface RefIndex { readonly byName: Map<string, Asset[]>; readonly sources: Map<string, Asset> }
/** ref()/source() lookups by dbt name, built once per graph value (graphs are immutable). */
const refIndexes = new WeakMap<Graph, RefIndex>();

function indexOf(g: Graph): RefIndex {
  let idx = refIndexes.get(g);
  if (idx) return idx;
  idx = { byName: new Map(), sources: new Map() };
  for (const a of g.assets.values()) {
    if (!a.dbt) continue;
    if (a.dbt.resourceType === 'source') idx.sources.set(`${a.dbt.sourceName ?? ''}\0${a.dbt.name}`, a);
    else idx.byName.set(a.dbt.name, [...(idx.byName.get(a.dbt.name) ?? []), a]);
  }
  refIndexes.set(g, idx);
  return idx;
}

export const projectOf = (g: Graph, asset: Asset): DbtProject | undefined =>
  asset.dbt ? g.projects.find((p) => p.dir === asset.dbt!.projectDir) : undefined;

/**
 * "Show compiled SQL": the SQL a run would send for `asset`, rendered with is_incremental() false
 * and no warehouse (run_query() says it needs one). Throws with the reason when there is no SQL.
 */
export function compileAsset(root: string, graph: Graph, asset: Asset): string {
  if (asset.sql === undefined) {
    const why = asset.kind === 'seed' ? `it is a seed, loaded from ${asset.file}`
      : asset.kind === 'source' || asset.kind === 'external' ? 'it is read where it is, not built here'
        : 'its Python body does not return a SQL string';
    throw new Error(`${asset.key} has no SQL to compile: ${why}.`);
  }
  const env: RenderEnv = { root, graph, runId: 'compile', runStartedAt: new Date().toISOString() };
  return stripSemicolon(renderAsset(env, asset, { isIncremental: false })).trim() + '\n';
}
