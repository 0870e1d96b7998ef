// Profiles a table or view in one aggregate pass: a hand-written SELECT of count, nulls, approx
// distinct, min, max (and mean/std where numeric) for every column. SUMMARIZE computes quantiles too
// and takes about four times as long on 10M rows (see PERFORMANCE.md); the hover needs none.
// The table's size comes from the same pass: fixed-width values by their type's width, text and
// blobs by a sum of their lengths (which costs nothing measurable beside the other aggregates).
// DuckDB's own figures cost more: duckdb_tables() about 4 ms per call in a catalog of 1,000 tables,
// as much as a trivial model, and pragma_storage_info lists blocks shared between tables, not bytes.
// Top values are only worth it for low-cardinality text, which the first pass reveals, so they come
// from a second query that reads only those columns.
import type { ColumnProfile, TableProfile } from '../shared/dto';
import { quoteIdent, quoteRelation, type DuckDb, type Row } from './duckdb';

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/i;
/** Nested values have no useful min/max for a hover and can be costly to compare. */
const nestedType = /[[\]]|^(STRUCT|MAP|UNION)\b/i;
const textType = /^(VARCHAR|ENUM\b)/i;
const booleanType = /^BOOLEAN$/i;
/** A text column with at most this many distinct values gets its top values. */
export const lowCardinality = 20;
const topCount = 5;

interface ColumnInfo { readonly name: string; readonly type: string }
type Relation = { readonly schema: string; readonly identifier: string };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export async function profileTable(db: DuckDb, relation: Relation): Promise<TableProfile> {
  const start = performance.now();
  const columns = await columnsOf(db, relation);
  const rows = await db.query(profileSql(relation, columns));
  const r = rows[0] ?? {};
  const total = Number(r.n ?? 0);
  const profiles = columns.map((c, i) => columnProfile(c, i, r, total));
  await addTopValues(db, relation, profiles);
  const bytes = columns.reduce((sum, c, i) => sum + columnBytes(c.type, i, r), 0);
  return { rows: total, columns: profiles, bytes, durationMs: Math.round(performance.now() - start) };
}

/** Bytes per value of DuckDB's fixed-width types, as stored uncompressed. */
const widths: readonly [RegExp, number][] = [
  [/^(BOOLEAN|TINYINT|UTINYINT|ENUM\b)/i, 1],
  [/^(SMALLINT|USMALLINT)$/i, 2],
  [/^(INTEGER|UINTEGER|FLOAT|REAL|DATE)$/i, 4],
  [/^(BIGINT|UBIGINT|DOUBLE|TIME|TIMESTAMP)\b/i, 8],
  [/^(HUGEINT|UHUGEINT|UUID|INTERVAL)$/i, 16],
];

/** A fixed width in bytes, or undefined when values vary in size (text, blobs, nested values). */
export function fixedWidth(type: string): number | undefined {
  if (nestedType.test(type)) return undefined;
  const decimal = /^DECIMAL\((\d+)/i.exec(type);
  if (decimal) {
    const p = Number(decimal[1]);
    return p <= 4 ? 2 : p <= 9 ? 4 : p <= 18 ? 8 : 16;
  }
  return widths.find(([re]) => re.test(type))?.[1];
}

/** The SQL summing a variable-width column's bytes: a string's UTF-8 length, a blob's length, else its text form's. */
function lengthSql(col: string, type: string): string {
  if (/^VARCHAR$/i.test(type)) return `sum(strlen(${col}))`;
  if (/^(BLOB|BIT)$/i.test(type)) return `sum(octet_length(${col}))`;
  return `sum(strlen(${col}::VARCHAR))`;
}

function columnBytes(type: string, i: number, r: Row): number {
  const width = fixedWidth(type);
  return width === undefined ? Number(r[`c${i}_bytes`] ?? 0) : width * Number(r[`c${i}_nonnull`] ?? 0);
}

/** A zero-row query binds the relation only; information_schema costs milliseconds per call in a big catalog. */
async function columnsOf(db: DuckDb, relation: Relation): Promise<ColumnInfo[]> {
  const columns = await db.columns(`SELECT * FROM ${quoteRelation(relation)}`);
  if (!columns.length) throw new Error(`Cannot profile ${relation.schema}.${relation.identifier}: it has no columns.`);
  return columns;
}

/** One SELECT; every aggregate gets a positional alias (`c3_min`) so column names can never clash. */
export function profileSql(relation: Relation, columns: readonly ColumnInfo[]): string {
  const parts = ['count(*)::DOUBLE AS n'];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    parts.push(`count(${col})::DOUBLE AS c${i}_nonnull`);
    // A boolean's distinct values follow from its counts of true, so it skips the costly HyperLogLog.
    parts.push(booleanType.test(c.type) ? `count_if(${col})::DOUBLE AS c${i}_true` : `approx_count_distinct(${col})::DOUBLE AS c${i}_distinct`);
    if (!nestedType.test(c.type)) parts.push(`min(${col})::VARCHAR AS c${i}_min`, `max(${col})::VARCHAR AS c${i}_max`);
    if (numericType.test(c.type)) parts.push(`avg(${col})::DOUBLE AS c${i}_mean`, `stddev_samp(${col})::DOUBLE AS c${i}_std`);
    if (fixedWidth(c.type) === undefined) parts.push(`${lengthSql(col, c.type)}::DOUBLE AS c${i}_bytes`);
  });
  return `SELECT ${parts.join(', ')} FROM ${quoteRelation(relation)}`;
}

/** Counts the values of the low-cardinality text columns in one query over just those columns. */
async function addTopValues(db: DuckDb, relation: Relation, profiles: Mutable<ColumnProfile>[]): Promise<void> {
  const low = profiles.filter((p) => textType.test(p.type) && p.approxDistinct > 0 && p.approxDistinct <= lowCardinality);
  if (!low.length) return;
  const row = (await db.query(`SELECT ${low.map((p, i) => `histogram(${quoteIdent(p.name)}::VARCHAR) AS h${i}`).join(', ')} FROM ${quoteRelation(relation)}`))[0] ?? {};
  low.forEach((p, i) => {
    const entries = Array.isArray(row[`h${i}`]) ? (row[`h${i}`] as readonly Row[]) : [];
    setTopValues(p, entries.map((e) => ({ value: String(e.key), count: Number(e.value) })));
  });
}

/** Most frequent first, ties in value order so the same data always shows the same list. */
function setTopValues(p: Mutable<ColumnProfile>, counted: { value: string; count: number }[]): void {
  const kept = counted.filter((v) => v.count > 0);
  kept.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  if (kept.length) p.topValues = kept.slice(0, topCount);
}

function columnProfile(c: ColumnInfo, i: number, r: Row, total: number): Mutable<ColumnProfile> {
  const nonNull = Number(r[`c${i}_nonnull`] ?? 0);
  const nullCount = total - nonNull;
  const out: Mutable<ColumnProfile> = {
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
  const trues = r[`c${i}_true`];
  if (typeof trues === 'number') {
    out.approxDistinct = Number(trues > 0) + Number(nonNull - trues > 0);
    setTopValues(out, [{ value: 'true', count: trues }, { value: 'false', count: nonNull - trues }]);
  }
  return out;
}
