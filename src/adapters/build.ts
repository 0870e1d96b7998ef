// Builds one asset in the warehouse: renders its SQL and writes a seed, view, table or incremental
// table. Every write happens in one transaction and tables are built into a staging relation that
// is swapped in at the end, so a failed or cancelled step leaves the previous version intact.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Asset, AssetKey, Relation } from '../core/model';
import type { DbtProject, Graph } from '../core/graph';
import { stripSemicolon } from './checks';
import { quoteIdent, quoteLiteral, quoteRelation, type DuckDb } from './duckdb';
import { DbtRenderer, relationRef, type DbtContext, type RelationRef } from './jinja';

export interface BuildEnv {
  readonly root: string;
  readonly graph: Graph;
  readonly db: DuckDb;
  readonly runId: string;
  readonly runStartedAt: string;
  /** Throws when the run was cancelled; called before every statement. */
  readonly checkCancelled: () => void;
}

export interface Built {
  readonly relation: Relation;
  readonly codeVersion: string;
}

/** The relation an asset is written to; assets without one (Python SQL assets) go to the target schema under their last key segment. */
export function relationOf(env: BuildEnv, asset: Asset): Relation {
  if (asset.relation) return { schema: asset.relation.schema, identifier: asset.relation.identifier };
  const segments = asset.key.split('/');
  return { schema: projectOf(env.graph, asset)?.targetSchema ?? 'main', identifier: segments[segments.length - 1]! };
}

export async function buildSeed(env: BuildEnv, asset: Asset): Promise<Built> {
  const relation = relationOf(env, asset);
  const path = join(env.root, asset.file);
  const st = statSync(path);
  const types = Object.entries(asset.columnTypes ?? {});
  const typeArg = types.length ? `, types = {${types.map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`).join(', ')}}` : '';
  const select = `SELECT * FROM read_csv(${quoteLiteral(path)}, header = true, auto_detect = true${typeArg})`;
  await swapInTable(env, relation, select);
  return { relation, codeVersion: fingerprint(['seed', String(st.size), String(st.mtimeMs), JSON.stringify(types)]) };
}

/** Builds a model (or a Python asset's SQL) as its `materialized` config says: view, table or incremental. */
export async function buildModel(env: BuildEnv, asset: Asset): Promise<Built> {
  const relation = relationOf(env, asset);
  const materialized = asset.materialized ?? (asset.kind === 'model' ? 'view' : 'table');
  const existing = await existingType(env.db, relation);
  const incremental = materialized === 'incremental' && existing === 'table' && asset.dbt?.config.full_refresh !== true;
  const sql = stripSemicolon(renderAsset(env, asset, incremental, new Set()));
  // The code version is what defines the asset, so an incremental run's filtered SQL must not change it.
  const defining = incremental ? stripSemicolon(renderAsset(env, asset, false, new Set())) : sql;
  const codeVersion = fingerprint([materialized, defining]);
  if (materialized === 'view') await replaceView(env, relation, sql, existing);
  else if (incremental) await mergeIncremental(env, relation, sql, uniqueKey(asset));
  else await swapInTable(env, relation, sql);
  return { relation, codeVersion };
}

/** Renders an asset's SQL template with dbt's context; `inlining` guards against ephemeral models that ref each other. */
export function renderAsset(env: BuildEnv, asset: Asset, isIncremental: boolean, inlining: Set<AssetKey>): string {
  if (asset.sql === undefined) throw new Error(`${asset.file} has no SQL to run.`);
  const project = projectOf(env.graph, asset);
  return DbtRenderer.for(project?.macros ?? new Map()).render(asset.file, asset.sql, dbtContext(env, asset, isIncremental, inlining));
}

export function dbtContext(env: BuildEnv, asset: Asset, isIncremental: boolean, inlining: Set<AssetKey>): DbtContext {
  const project = projectOf(env.graph, asset);
  return {
    ref: (name, pkg) => refTo(env, asset, name, pkg, inlining),
    source: (source, table) => sourceTo(env, asset, source, table),
    this: relationRef(relationOf(env, asset)),
    vars: project?.vars ?? {},
    target: { name: project?.targetName ?? 'dev', schema: project?.targetSchema ?? 'main', type: 'duckdb' },
    isIncremental,
    invocationId: env.runId,
    runStartedAt: env.runStartedAt,
    ...(asset.dbt ? {} : { locals: inputsByName(env, asset) }),
  };
}

/** A Python asset's SQL names its inputs as `{{ name }}` (the last key segment): each renders as the input's relation. */
function inputsByName(env: BuildEnv, asset: Asset): Record<string, RelationRef> {
  const out: Record<string, RelationRef> = {};
  for (const k of env.graph.upstream.get(asset.key) ?? []) {
    const up = env.graph.assets.get(k);
    if (up) out[k.split('/').pop()!] = relationRef(relationOf(env, up));
  }
  return out;
}

function refTo(env: BuildEnv, from: Asset, name: string, pkg: string | undefined, inlining: Set<AssetKey>): RelationRef | string {
  const target = findRef(env.graph, from, name, pkg);
  if (!target) throw new Error(`ref('${pkg ? `${pkg}', '` : ''}${name}') names no model, seed or snapshot in the workspace`);
  if (target.materialized !== 'ephemeral') return relationRef(relationOf(env, target));
  if (inlining.has(target.key)) throw new Error(`Ephemeral models ref each other in a cycle: ${[...inlining, target.key].join(' → ')}`);
  // dbt inlines ephemeral models as CTEs; a parenthesised subquery is the same query without rewriting the caller's WITH.
  const sql = stripSemicolon(renderAsset(env, target, false, new Set([...inlining, target.key])));
  return `(\n${sql}\n)`;
}

function findRef(g: Graph, from: Asset, name: string, pkg: string | undefined): Asset | undefined {
  const candidates = indexOf(g).byName.get(name) ?? [];
  const inPkg = (p: string | undefined) => candidates.find((a) => a.dbt!.packageName === p);
  if (pkg) return inPkg(pkg);
  return inPkg(from.dbt?.packageName) ?? candidates[0] ?? g.assets.get(name as AssetKey);
}

function sourceTo(env: BuildEnv, from: Asset, source: string, table: string): RelationRef {
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

const projectOf = (g: Graph, asset: Asset): DbtProject | undefined =>
  asset.dbt ? g.projects.find((p) => p.dir === asset.dbt!.projectDir) : undefined;

async function existingType(db: DuckDb, r: Relation): Promise<'table' | 'view' | undefined> {
  const rows = await db.query(
    'SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?',
    [r.schema, r.identifier]);
  const t = rows[0]?.table_type;
  return t === undefined ? undefined : t === 'VIEW' ? 'view' : 'table';
}

/** Runs statements one by one inside a transaction, checking for cancellation before each. */
async function inTransaction(env: BuildEnv, statements: () => Promise<readonly string[]>): Promise<void> {
  env.checkCancelled();
  await env.db.transaction(async () => {
    for (const sql of await statements()) {
      env.checkCancelled();
      await env.db.run(sql);
    }
  });
}

async function swapInTable(env: BuildEnv, r: Relation, select: string): Promise<void> {
  const staging = quoteRelation({ schema: r.schema, identifier: `__assetlens_staging_${r.identifier}` });
  await inTransaction(env, async () => {
    const existing = await existingType(env.db, r);
    return [
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(r.schema)}`,
      `CREATE OR REPLACE TABLE ${staging} AS (\n${select}\n)`,
      ...(existing ? [`DROP ${existing === 'view' ? 'VIEW' : 'TABLE'} ${quoteRelation(r)}`] : []),
      `ALTER TABLE ${staging} RENAME TO ${quoteIdent(r.identifier)}`,
    ];
  });
}

async function replaceView(env: BuildEnv, r: Relation, sql: string, existing: 'table' | 'view' | undefined): Promise<void> {
  await inTransaction(env, async () => [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(r.schema)}`,
    ...(existing === 'table' ? [`DROP TABLE ${quoteRelation(r)}`] : []),
    `CREATE OR REPLACE VIEW ${quoteRelation(r)} AS (\n${sql}\n)`,
  ]);
}

/** dbt's incremental strategies on DuckDB: delete+insert on `unique_key`, else append. */
async function mergeIncremental(env: BuildEnv, r: Relation, sql: string, keys: readonly string[]): Promise<void> {
  const batch = quoteIdent(`__assetlens_batch_${r.identifier}`);
  const target = quoteRelation(r);
  const match = keys.map((k) => `t.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(' AND ');
  await inTransaction(env, async () => [
    `CREATE OR REPLACE TEMP TABLE ${batch} AS (\n${sql}\n)`,
    ...(keys.length ? [`DELETE FROM ${target} AS t USING ${batch} AS b WHERE ${match}`] : []),
    `INSERT INTO ${target} BY NAME SELECT * FROM ${batch}`,
    `DROP TABLE ${batch}`,
  ]);
}

function uniqueKey(asset: Asset): string[] {
  const k = asset.dbt?.config.unique_key;
  const list = Array.isArray(k) ? k.map(String) : typeof k === 'string' ? k.split(',') : [];
  return list.map((s) => s.trim()).filter(Boolean);
}

const fingerprint = (parts: readonly string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
