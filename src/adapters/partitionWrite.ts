// Writes one partition of a partitioned table as Dagster's DuckDB IO manager does: delete the
// partition's rows, insert the new ones, in one transaction, so a failed step leaves every
// partition as it was. The rows of a partition are found by the asset's `partition_expr` metadata
// when it has one (time partitions: `expr >= start AND expr < end`; static: `expr IN (key)`), else
// by a partition column: one the SQL already returns (`partition_key`, `partition_date`,
// `_partition`), else `_partition` is added.
import type { Relation } from '../core/model';
import type { BuildEnv } from './build';
import { createSchema, existingType, inTransaction } from './build';
import { quoteIdent, quoteLiteral, quoteRelation } from './duckdb';
import type { PartitionContext } from './partitionRun';
import { messageOf } from '../core/text';

const knownColumns = ['partition_key', 'partition_date', '_partition'];
export const addedColumn = '_partition';

/** How the rows of one partition are told apart: a WHERE condition, the partition column (none with partition_expr), and whether the write adds it. */
interface Slice { readonly where: string; readonly column?: string; readonly added?: boolean }

/** The column the rows of a partition are kept apart by, and whether the write adds it. */
async function partitionColumn(env: BuildEnv, select: string, p: PartitionContext): Promise<Slice> {
  const cols = (await env.db.query(`DESCRIBE SELECT * FROM (\n${select}\n)`)).map((r) => String(r.column_name));
  const column = knownColumns.find((c) => cols.includes(c)) ?? addedColumn;
  return { where: `CAST(${quoteIdent(column)} AS VARCHAR) = ${quoteLiteral(p.key)}`, column, added: !cols.includes(column) };
}

/**
 * The condition Dagster's DuckDB IO manager deletes by. A bare column name is quoted as an
 * identifier; anything else is the user's SQL expression, used as given. A time window's bounds are
 * its wall-clock start and end in the partitions' time zone, as the IO manager formats them.
 */
export function partitionExprWhere(expr: string, p: PartitionContext): string {
  const e = /^[A-Za-z_][A-Za-z0-9_]*$/.test(expr.trim()) ? quoteIdent(expr.trim()) : `(${expr})`;
  if (p.start === undefined || p.end === undefined) return `${e} IN (${quoteLiteral(p.key)})`;
  return `${e} >= ${quoteLiteral(wallClock(p.start))} AND ${e} < ${quoteLiteral(wallClock(p.end))}`;
}

/** `2024-01-03T00:00:00+01:00` → `2024-01-03 00:00:00`. */
const wallClock = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

/**
 * Replaces the rows of `p` in `r` with what `select` returns; creates the table on the first
 * partition. `partitionExpr` is the asset's `partition_expr` metadata; undefined: a partition column.
 */
export async function writePartition(env: BuildEnv, r: Relation, select: string, p: PartitionContext, partitionExpr?: string): Promise<void> {
  const slice: Slice = partitionExpr ? { where: partitionExprWhere(partitionExpr, p) } : await partitionColumn(env, select, p);
  if (partitionExpr) await checkExpr(env, select, slice.where, partitionExpr);
  const rows = slice.added ? `SELECT *, ${quoteLiteral(p.key)} AS ${quoteIdent(slice.column!)} FROM (\n${select}\n)` : `SELECT * FROM (\n${select}\n)`;
  const target = quoteRelation(r);
  await inTransaction(env, async () => {
    const existing = await existingType(env, r);
    if (!existing) return [...createSchema(env, r.schema), `CREATE TABLE ${target} AS ${rows}`];
    if (existing === 'view') throw new Error(`${r.schema}.${r.identifier} is a view; a partitioned asset writes a table. Drop the view or rename the asset.`);
    if (slice.column !== undefined) await checkColumn(env, target, r, slice.column);
    return [`DELETE FROM ${target} WHERE ${slice.where}`, `INSERT INTO ${target} BY NAME ${rows}`];
  });
}

/** An existing table written without the partition column cannot be told apart by partition. */
async function checkColumn(env: BuildEnv, target: string, r: Relation, column: string): Promise<void> {
  const cols = (await env.db.query(`DESCRIBE ${target}`)).map((c) => String(c.column_name));
  if (!cols.includes(column)) throw new Error(`${r.schema}.${r.identifier} has no column ${column} to tell its partitions apart (it was written unpartitioned); drop the table and run the partitions again`);
}

/**
 * Binds the partition_expr condition against the rows the step writes (LIMIT 0: nothing is read),
 * so a wrong expression fails before anything is written, with a message that names it.
 */
async function checkExpr(env: BuildEnv, select: string, where: string, expr: string): Promise<void> {
  try {
    await env.db.query(`SELECT 1 FROM (\n${select}\n) WHERE ${where} LIMIT 0`);
  } catch (e) {
    // When the asset's own SQL is what fails, that error (with its line) is the one to show.
    await env.db.query(`DESCRIBE SELECT * FROM (\n${select}\n)`);
    const why = messageOf(e).split('\n')[0];
    throw new Error(`The partition_expr metadata \`${expr}\` does not apply to the rows this asset returns: ${why}`);
  }
}
