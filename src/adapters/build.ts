// Builds one asset in the warehouse: renders its SQL and writes a seed, view, table, incremental
// table or snapshot. Every write happens in one transaction (or one statement, which DuckDB
// commits as one) and a table is built beside the previous one and swapped in at commit, so a
// failed or cancelled step leaves the previous version intact. Errors carry the line of the asset's file they come from.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Asset, Relation } from '../core/model';
import type { Catalog, RelationKind } from './catalog';
import { InterruptedError, quoteIdent, quoteLiteral, quoteRelation, type DuckDb } from './duckdb';
import { JinjaError } from './jinja';
import { relationOf, renderWithWarehouse, type RenderEnv } from './render';
import { raggedRow, seedError } from './seedCsv';
import { buildSnapshot } from './snapshot';
import type { PartitionContext } from './partitionRun';
import { writePartition } from './partitionWrite';
import { renderedErrorLine, SourceError, templateLine } from './sourceLine';
import { planSchemaChange, schemaChangeMode } from './schemaChange';
import { messageOf } from '../core/text';

export interface BuildEnv extends RenderEnv {
  readonly db: DuckDb;
  /** `--full-refresh`: incremental models are rebuilt from scratch (unless their config says `full_refresh: false`). */
  readonly fullRefresh?: boolean;
  /** Throws Cancelled when the run was cancelled; called before every statement. */
  readonly checkCancelled: () => void;
  /** The warehouse's relations as of the run's start plus its own writes; undefined: ask DuckDB each time. */
  readonly catalog?: Catalog;
}

export interface Built {
  readonly relation: Relation;
  readonly codeVersion: string;
}

/** The run was cancelled before a statement started. */
export class Cancelled extends Error {}

export const isCancel = (e: unknown): boolean => e instanceof Cancelled || e instanceof InterruptedError;

/** Builds a seed, snapshot or model as its kind and config say; throws SourceError, Cancelled or InterruptedError. */
export async function buildAsset(env: BuildEnv, asset: Asset): Promise<Built> {
  try {
    if (asset.kind === 'seed') return await buildSeed(env, asset);
    if (asset.kind === 'snapshot') return await buildSnapshot(env, asset, (sql) => withSqlLine(asset, sql, 1));
    return await buildModel(env, asset);
  } catch (e) {
    if (isCancel(e) || e instanceof SourceError) throw e;
    // A Jinja line is a template line; the template starts at sqlLine of the file.
    if (e instanceof JinjaError) {
      const line = e.line === undefined ? undefined : (asset.sqlLine ?? 1) - 1 + e.line;
      if (!e.compiler) throw new SourceError(e.message, line);
      const where = `${asset.file}${line === undefined ? '' : ` line ${line}`}`;
      throw new SourceError(`Compilation error in ${asset.kind} ${asset.dbt?.name ?? asset.key} (${where}): ${e.reason}`, line);
    }
    throw new SourceError(messageOf(e), undefined);
  }
}

async function buildSeed(env: BuildEnv, asset: Asset): Promise<Built> {
  const relation = relationOf(env, asset);
  const path = join(env.root, asset.file);
  const st = statSync(path);
  const types = Object.entries(asset.columnTypes ?? {});
  const config = asset.dbt?.config ?? {};
  const delimiter = typeof config.delimiter === 'string' && config.delimiter ? config.delimiter : ',';
  // DuckDB's sniffer can read a ragged file as something else (even as no rows), so rows are counted first.
  const ragged = raggedRow(path, delimiter);
  if (ragged) throw new SourceError(`${asset.file} line ${ragged.line}: ${ragged.found} values, but the header has ${ragged.expected} columns`, ragged.line);
  const typeArg = types.length ? `, types = {${types.map(([k, v]) => `${quoteLiteral(k)}: ${quoteLiteral(v)}`).join(', ')}}` : '';
  // A fixed dialect in strict mode: a row with a stray delimiter is an error, not a file the sniffer reads as one column.
  const select = `SELECT * FROM read_csv(${quoteLiteral(path)}, header = true, auto_detect = true, delim = ${quoteLiteral(delimiter)}, quote = '"', strict_mode = true${typeArg})`;
  try {
    await swapInTable(env, relation, select);
    env.catalog?.set(relation, 'table');
  } catch (e) {
    if (isCancel(e)) throw e;
    throw seedError(e, asset.file);
  }
  return { relation, codeVersion: fingerprint(['seed', String(st.size), String(st.mtimeMs), JSON.stringify(types), delimiter]) };
}

/** Builds a model (or a Python asset's SQL) as its `materialized` config says: view, table or incremental. */
async function buildModel(env: BuildEnv, asset: Asset): Promise<Built> {
  const relation = relationOf(env, asset);
  if (asset.partitions && env.partition) return buildPartition(env, asset, relation, env.partition);
  const materialized = asset.materialized ?? (asset.kind === 'model' ? 'view' : 'table');
  // A misspelt on_schema_change fails the first build too, not only the first incremental one.
  if (materialized === 'incremental') schemaChangeMode(asset);
  const existing = await existingType(env, relation);
  const incremental = materialized === 'incremental' && existing === 'table' && !fullRefresh(env, asset);
  const sql = await renderWithWarehouse(env, asset, incremental, env.db, env.checkCancelled);
  // The code version is what defines the asset, so an incremental run's filtered SQL must not change it.
  const defining = incremental ? await renderWithWarehouse(env, asset, false, env.db, env.checkCancelled) : sql;
  const codeVersion = fingerprint([materialized, defining]);
  // Each statement below puts the SQL one line after its own first line (`… AS (\n<sql>\n)`).
  await withSqlLine(asset, sql, 1)(async () => {
    if (materialized === 'view') await replaceView(env, relation, sql, existing);
    else if (incremental) await mergeIncremental(env, asset, relation, sql);
    else await swapInTable(env, relation, sql);
  });
  env.catalog?.set(relation, materialized === 'view' ? 'view' : 'table');
  return { relation, codeVersion };
}

/** One partition of a partitioned asset: always a table, whatever its `materialized` says. */
async function buildPartition(env: BuildEnv, asset: Asset, relation: Relation, p: PartitionContext): Promise<Built> {
  const sql = await renderWithWarehouse(env, asset, false, env.db, env.checkCancelled);
  await withSqlLine(asset, sql, 1)(() => writePartition(env, relation, sql, p, asset.partitionExpr));
  env.catalog?.set(relation, 'table');
  return { relation, codeVersion: fingerprint(['partition', sql]) };
}

/** dbt's rule: a model's `full_refresh` config wins over the `--full-refresh` flag. */
function fullRefresh(env: BuildEnv, asset: Asset): boolean {
  const configured = asset.dbt?.config.full_refresh;
  return typeof configured === 'boolean' ? configured : env.fullRefresh === true;
}

/** Runs `write`, turning a DuckDB error into a SourceError at the asset's line that produced the failing SQL line. */
export function withSqlLine(asset: Asset, rendered: string, linesBefore: number): (write: () => Promise<void>) => Promise<void> {
  return async (write) => {
    try {
      await write();
    } catch (e) {
      if (isCancel(e) || !(e instanceof Error)) throw e;
      const at = renderedErrorLine(e.message, linesBefore, rendered);
      const line = at === undefined || asset.sql === undefined ? undefined : templateLine(asset.sql, rendered, at);
      throw new SourceError(e.message, line === undefined ? undefined : (asset.sqlLine ?? 1) - 1 + line);
    }
  };
}

export async function existingType(env: Pick<BuildEnv, 'db' | 'catalog'>, r: Relation): Promise<RelationKind | undefined> {
  if (env.catalog) return env.catalog.kindOf(r);
  const rows = await env.db.query(
    'SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?',
    [r.schema, r.identifier]);
  const t = rows[0]?.table_type;
  return t === undefined ? undefined : t === 'VIEW' ? 'view' : 'table';
}

/** Runs statements one by one inside a transaction, checking for cancellation before each. */
export async function inTransaction(env: BuildEnv, statements: () => Promise<readonly string[]>): Promise<void> {
  env.checkCancelled();
  await env.db.transaction(async () => {
    for (const sql of await statements()) {
      env.checkCancelled();
      await env.db.run(sql);
    }
  });
}

/**
 * Replaces a table in one statement where it can: DuckDB builds the new table beside the old one
 * and swaps it in when the statement commits, so a failed or cancelled build leaves the old one,
 * and a trivial model costs one round trip instead of five (a staging table, drop, rename and the
 * transaction around them). A view in the way is dropped in the same transaction.
 */
async function swapInTable(env: BuildEnv, r: Relation, select: string): Promise<void> {
  const existing = env.catalog ? env.catalog.kindOf(r) : await existingType(env, r);
  if (existing === 'table' || (!existing && env.catalog?.hasSchema(r.schema))) {
    env.checkCancelled();
    return env.db.run(`CREATE ${existing ? 'OR REPLACE ' : ''}TABLE ${quoteRelation(r)} AS (\n${select}\n)`);
  }
  await inTransaction(env, async () => [
    ...createSchema(env, r.schema),
    ...(existing === 'view' ? [`DROP VIEW ${quoteRelation(r)}`] : []),
    `CREATE TABLE ${quoteRelation(r)} AS (\n${select}\n)`,
  ]);
}

async function replaceView(env: BuildEnv, r: Relation, sql: string, existing: 'table' | 'view' | undefined): Promise<void> {
  await inTransaction(env, async () => [
    ...createSchema(env, r.schema),
    ...(existing === 'table' ? [`DROP TABLE ${quoteRelation(r)}`] : []),
    `CREATE OR REPLACE VIEW ${quoteRelation(r)} AS (\n${sql}\n)`,
  ]);
}

export const createSchema = (env: Pick<BuildEnv, 'catalog'>, schema: string): string[] =>
  env.catalog?.hasSchema(schema) ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`];

/**
 * dbt's incremental strategies on DuckDB: delete+insert on `unique_key`, else append; the new rows
 * are built first, so on_schema_change compares their columns with the table's in the same transaction.
 */
async function mergeIncremental(env: BuildEnv, asset: Asset, r: Relation, sql: string): Promise<void> {
  const mode = schemaChangeMode(asset);
  const keys = uniqueKey(asset);
  const batch = quoteIdent(`__assetlens_batch_${r.identifier}`);
  const target = quoteRelation(r);
  const match = keys.map((k) => `t.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(' AND ');
  const step = (statement: string) => { env.checkCancelled(); return env.db.run(statement); };
  env.checkCancelled();
  await env.db.transaction(async () => {
    await step(`CREATE OR REPLACE TEMP TABLE ${batch} AS (\n${sql}\n)`);
    const plan = planSchemaChange(mode, asset, r, await env.db.columns(`SELECT * FROM ${target}`), await env.db.columns(`SELECT * FROM ${batch}`));
    const columns = plan.insertColumns.map(quoteIdent).join(', ');
    for (const statement of [
      ...plan.alter,
      ...(keys.length ? [`DELETE FROM ${target} AS t USING ${batch} AS b WHERE ${match}`] : []),
      `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${batch}`,
      `DROP TABLE ${batch}`,
    ]) await step(statement);
  });
}

/** `unique_key` as a list of column names (a string, a comma-separated string or a list). */
export function uniqueKey(asset: Asset): string[] {
  const k = asset.dbt?.config.unique_key;
  const list = Array.isArray(k) ? k.map(String) : typeof k === 'string' ? k.split(',') : [];
  return list.map((s) => s.trim()).filter(Boolean);
}

export const fingerprint = (parts: readonly string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
