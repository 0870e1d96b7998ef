// Profiles a table or view in one aggregate pass: a hand-written SELECT of count, nulls, approx
// distinct, min, max (and mean/std where numeric) for every column. SUMMARIZE computes quantiles
// too and takes about four times as long on 10M rows (see PERFORMANCE.md); the hover needs none.
import type { ColumnProfile, TableProfile } from '../shared/protocol';
import { quoteIdent, quoteRelation, type DuckDb, type Row } from './duckdb';

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/i;
/** Nested values have no useful min/max for a hover and can be costly to compare. */
const nestedType = /[[\]]|^(STRUCT|MAP|UNION)\b/i;

interface ColumnInfo { readonly name: string; readonly type: string }

export async function profileTable(db: DuckDb, relation: { readonly schema: string; readonly identifier: string }): Promise<TableProfile> {
  const columns = await columnsOf(db, relation);
  const rows = await db.query(profileSql(quoteRelation(relation), columns));
  const r = rows[0] ?? {};
  const total = Number(r.n ?? 0);
  return { rows: total, columns: columns.map((c, i) => columnProfile(c, i, r, total)) };
}

/** A zero-row query binds the relation only; information_schema costs milliseconds per call in a big catalog. */
async function columnsOf(db: DuckDb, relation: { readonly schema: string; readonly identifier: string }): Promise<ColumnInfo[]> {
  const columns = await db.columns(`SELECT * FROM ${quoteRelation(relation)}`);
  if (!columns.length) throw new Error(`Cannot profile ${relation.schema}.${relation.identifier}: it has no columns.`);
  return columns;
}

/** One SELECT; every aggregate gets a positional alias (`c3_min`) so column names can never clash. */
export function profileSql(from: string, columns: readonly ColumnInfo[]): string {
  const parts = ['count(*)::DOUBLE AS n'];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    parts.push(`count(${col})::DOUBLE AS c${i}_nonnull`, `approx_count_distinct(${col})::DOUBLE AS c${i}_distinct`);
    if (!nestedType.test(c.type)) parts.push(`min(${col})::VARCHAR AS c${i}_min`, `max(${col})::VARCHAR AS c${i}_max`);
    if (numericType.test(c.type)) parts.push(`avg(${col})::DOUBLE AS c${i}_mean`, `stddev_samp(${col})::DOUBLE AS c${i}_std`);
  });
  return `SELECT ${parts.join(', ')} FROM ${from}`;
}

function columnProfile(c: ColumnInfo, i: number, r: Row, total: number): ColumnProfile {
  const nonNull = Number(r[`c${i}_nonnull`] ?? 0);
  const nullCount = total - nonNull;
  const out: { -readonly [K in keyof ColumnProfile]: ColumnProfile[K] } = {
    name: c.name,
    type: c.type,
    nullCount,
    // A percentage (0–100) rounded to two decimals, as a hover shows it.
    nullPct: total ? Math.round((nullCount / total) * 10000) / 100 : 0,
    // HyperLogLog can overshoot on small tables; more distinct values than values would read as a bug.
    approxDistinct: Math.min(Number(r[`c${i}_distinct`] ?? 0), nonNull),
  };
  const min = r[`c${i}_min`], max = r[`c${i}_max`], mean = r[`c${i}_mean`], std = r[`c${i}_std`];
  if (typeof min === 'string') out.min = min;
  if (typeof max === 'string') out.max = max;
  if (typeof mean === 'number') out.mean = mean;
  if (typeof std === 'number') out.std = std;
  return out;
}
