// Writes one partition of a partitioned table as Dagster's DuckDB IO manager does: delete the
// partition's rows, insert the new ones, in one transaction, so a failed step leaves every
// partition as it was. The rows are found by a partition column: one the SQL already returns
// (`partition_key`, `partition_date`, `_partition`), else `_partition` is added.
import type { Relation } from '../core/model';
import type { BuildEnv } from './build';
import { createSchema, existingType, inTransaction } from './build';
import { quoteIdent, quoteLiteral, quoteRelation } from './duckdb';
import type { PartitionContext } from './partitionRun';

const knownColumns = ['partition_key', 'partition_date', '_partition'];
export const addedColumn = '_partition';

/** The column the rows of a partition are kept apart by, and whether the write adds it. */
async function partitionColumn(env: BuildEnv, select: string): Promise<{ column: string; added: boolean }> {
  const cols = (await env.db.query(`DESCRIBE SELECT * FROM (\n${select}\n)`)).map((r) => String(r.column_name));
  const found = knownColumns.find((c) => cols.includes(c));
  return found ? { column: found, added: false } : { column: addedColumn, added: true };
}

/** Replaces the rows of `p` in `r` with what `select` returns; creates the table on the first partition. */
export async function writePartition(env: BuildEnv, r: Relation, select: string, p: PartitionContext): Promise<void> {
  const { column, added } = await partitionColumn(env, select);
  const rows = added ? `SELECT *, ${quoteLiteral(p.key)} AS ${quoteIdent(column)} FROM (\n${select}\n)` : `SELECT * FROM (\n${select}\n)`;
  const target = quoteRelation(r);
  await inTransaction(env, async () => {
    const existing = await existingType(env, r);
    if (!existing) return [...createSchema(env, r.schema), `CREATE TABLE ${target} AS ${rows}`];
    if (existing === 'view') throw new Error(`${r.schema}.${r.identifier} is a view; a partitioned asset writes a table. Drop the view or rename the asset.`);
    const cols = (await env.db.query(`DESCRIBE ${target}`)).map((c) => String(c.column_name));
    if (!cols.includes(column)) {
      throw new Error(`${r.schema}.${r.identifier} has no column ${column} to tell its partitions apart (it was written unpartitioned); drop the table and run the partitions again`);
    }
    return [
      `DELETE FROM ${target} WHERE CAST(${quoteIdent(column)} AS VARCHAR) = ${quoteLiteral(p.key)}`,
      `INSERT INTO ${target} BY NAME ${rows}`,
    ];
  });
}
