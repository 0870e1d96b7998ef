// Code and data versions as Dagster uses them: a code version fingerprints what defines an asset,
// a data version what it holds. A materialization's data version is derived from its code version
// and the data versions of its inputs, so an unchanged definition over unchanged inputs keeps its
// version and nothing downstream looks stale. FNV-1a 64 keeps the core free of node:crypto; these
// are change detectors, not security boundaries.
import type { Asset } from './model';

/** UTF-8 bytes of a string without TextEncoder (not in the core's ES2022 lib). */
function utf8(text: string, emit: (byte: number) => void): void {
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) emit(c);
    else if (c < 0x800) { emit(0xc0 | (c >> 6)); emit(0x80 | (c & 63)); }
    else if (c < 0x10000) { emit(0xe0 | (c >> 12)); emit(0x80 | ((c >> 6) & 63)); emit(0x80 | (c & 63)); }
    else { emit(0xf0 | (c >> 18)); emit(0x80 | ((c >> 12) & 63)); emit(0x80 | ((c >> 6) & 63)); emit(0x80 | (c & 63)); }
  }
}

/**
 * FNV-1a 64 of the UTF-8 bytes of `text`, as 16 lowercase hex digits. The 64-bit product is kept in
 * four 16-bit limbs so every intermediate stays exact in a double.
 */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325; prime 0x100000001b3 = 2^40 + 0x1b3.
  let v0 = 0x2325, v1 = 0x8422, v2 = 0x9ce4, v3 = 0xcbf2;
  utf8(text, (byte) => {
    v0 ^= byte;
    const t0 = v0 * 0x1b3, t1 = v1 * 0x1b3 + (t0 >>> 16);
    const t2 = v2 * 0x1b3 + v0 * 0x100 + (t1 >>> 16);
    const t3 = v3 * 0x1b3 + v1 * 0x100 + (t2 >>> 16);
    v0 = t0 & 0xffff; v1 = t1 & 0xffff; v2 = t2 & 0xffff; v3 = t3 & 0xffff;
  });
  return [v3, v2, v1, v0].map((v) => v.toString(16).padStart(4, '0')).join('');
}

/** JSON with object keys sorted at every level, so equal values always print (and hash) alike. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * dbt config keys that do not change what a model computes (docs, ownership, scheduling), left out of
 * the code version so that editing a description or a freshness policy does not mark data stale.
 */
const inertConfig = new Set([
  'description', 'docs', 'meta', 'tags', 'persist_docs', 'group', 'access', 'contract', 'grants', 'enabled',
  'dagster_freshness_policy', 'dagster_auto_materialize_policy', 'freshness', 'column_types_docs',
]);

/** What the caller knows beyond the asset value: the rendered SQL and the Python function's text. */
export interface CodeVersionInputs {
  /** The SQL as the runner renders it (dbt Jinja resolved). Undefined: the template in `asset.sql` is used. */
  readonly renderedSql?: string;
  /** The Python function's source text. Undefined: Python assets are fingerprinted by their SQL only. */
  readonly functionText?: string;
}

/**
 * The code version of an asset: the user's own `code_version=` when it declares one (as Dagster
 * does), else a fingerprint of its kind, materialization, SQL (rendered when given), function text,
 * partitions and partition_expr, seed column types and the dbt config keys that change results. Never undefined.
 */
export function codeVersion(asset: Asset, inputs: CodeVersionInputs = {}): string {
  if (asset.codeVersion) return asset.codeVersion;
  const config = Object.fromEntries(Object.entries(asset.dbt?.config ?? {}).filter(([k]) => !inertConfig.has(k)));
  return fnv1a64(stableStringify({
    kind: asset.kind,
    materialized: asset.materialized,
    sql: normalizeSql(inputs.renderedSql ?? asset.sql ?? ''),
    function: inputs.functionText,
    partitions: asset.partitions,
    // Undefined (dropped by stableStringify) for most assets, so their versions are as before.
    partitionExpr: asset.partitionExpr,
    columnTypes: asset.columnTypes,
    config,
  }));
}

/** Trailing spaces and blank-line runs are layout, not code: editing them keeps the version. */
const normalizeSql = (sql: string): string => sql.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n').trim();

/** What an observation of a source file saw. A content hash wins over size + mtime when both are given. */
export interface FileFacts {
  readonly contentHash?: string;
  readonly size?: number;
  readonly mtimeMs?: number;
}

/**
 * The data version of an observed source: `sha:<hash>` from a content hash the caller computed, else
 * `fs:<size>:<mtime>` (Dagster's event-driven example uses the mtime). Undefined when the facts are
 * empty (the file is missing): there is no data to version.
 */
export function sourceDataVersion(facts: FileFacts): string | undefined {
  if (facts.contentHash) return `sha:${facts.contentHash}`;
  if (facts.size === undefined && facts.mtimeMs === undefined) return undefined;
  return `fs:${facts.size ?? '?'}:${Math.trunc(facts.mtimeMs ?? 0)}`;
}

/**
 * The data version of a materialization: a fingerprint of its code version and its inputs' data
 * versions, independent of the order inputs are listed in (sorted by key, as Dagster does). An input
 * with an undefined version (nothing there yet) counts as such; no inputs at all is allowed.
 */
export function materializationDataVersion(code: string, inputs: Readonly<Record<string, string | undefined>>): string {
  const sorted = Object.keys(inputs).sort().map((k) => [k, inputs[k] ?? null]);
  return fnv1a64(stableStringify({ code, inputs: sorted }));
}

/**
 * One version standing for several partitions (an unpartitioned asset reading a partitioned one):
 * order-independent over `key → version`. Undefined when no partition has data.
 */
export function combinedDataVersion(versions: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string | undefined {
  const entries = versions instanceof Map ? [...versions] : Object.entries(versions);
  if (!entries.length) return undefined;
  return fnv1a64(stableStringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
