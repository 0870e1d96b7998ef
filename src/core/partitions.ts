// Partition keys and windows of a PartitionsDef at a given `now`, as Dagster defines them:
// daily `YYYY-MM-DD`, hourly `YYYY-MM-DD-HH:MM`, weekly (weeks start on Sunday, keyed by the start
// date), monthly `YYYY-MM-01`, static (the listed keys, in their order). A time partition exists
// once its window has ended; `endOffset` adds (or removes) partitions past that, so `1` includes
// the one in progress. Windows are computed on the wall clock of the definition's time zone.
import type { PartitionsDef } from './model';
import {
  civilFromDays, dateString, daysFromCivil, fromCivil, isoWithOffset, parseCivil, toCivil,
  type Civil, type Instant,
} from './time';

type TimeKind = 'hourly' | 'daily' | 'weekly' | 'monthly';

const isTimeKind = (k: PartitionsDef['kind']): k is TimeKind => k === 'hourly' || k === 'daily' || k === 'weekly' || k === 'monthly';

/** 1970-01-04, the first Sunday after the epoch, as a day number: weeks are counted from it. */
const firstSunday = 3;

function indexFloor(kind: TimeKind, c: Civil): number {
  const days = daysFromCivil(c.year, c.month, c.day);
  switch (kind) {
    case 'hourly': return days * 24 + c.hour;
    case 'daily': return days;
    case 'weekly': return Math.floor((days - firstSunday) / 7);
    case 'monthly': return c.year * 12 + c.month - 1;
  }
}

function startOfIndex(kind: TimeKind, i: number): Civil {
  switch (kind) {
    case 'hourly': { const days = Math.floor(i / 24); return { ...civilFromDays(days), hour: i - days * 24, minute: 0 }; }
    case 'daily': return { ...civilFromDays(i), hour: 0, minute: 0 };
    case 'weekly': return { ...civilFromDays(i * 7 + firstSunday), hour: 0, minute: 0 };
    case 'monthly': { const year = Math.floor(i / 12); return { year, month: i - year * 12 + 1, day: 1, hour: 0, minute: 0 }; }
  }
}

const sameCivil = (a: Civil, b: Civil): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && (a.second ?? 0) === (b.second ?? 0);

function keyOfIndex(kind: TimeKind, i: number): string {
  const c = startOfIndex(kind, i);
  const date = dateString(c.year, c.month, c.day);
  return kind === 'hourly' ? `${date}-${String(c.hour).padStart(2, '0')}:00` : date;
}

function indexOfKey(kind: TimeKind, key: string): number | undefined {
  const m = kind === 'hourly' ? /^(\d{4}-\d{2}-\d{2})-(\d{2}):(\d{2})$/.exec(key) : /^(\d{4}-\d{2}-\d{2})$/.exec(key);
  const c = m && parseCivil(m[3] ? `${m[1]} ${m[2]}:${m[3]}` : m[1]!);
  if (!c) return undefined;
  const i = indexFloor(kind, c);
  // Only keys that start a window are keys (a Tuesday is no weekly key, 2024-01-15 no monthly one).
  return keyOfIndex(kind, i) === key ? i : undefined;
}

/** First and last partition index at `now`; undefined when the definition has no readable start. */
function indexRange(def: PartitionsDef, now: Instant): { first: number; last: number } | undefined {
  if (!isTimeKind(def.kind) || def.start === undefined) return undefined;
  const kind = def.kind;
  const start = parseCivil(def.start);
  if (!start) return undefined;
  const floor = indexFloor(kind, start);
  const first = sameCivil(startOfIndex(kind, floor), start) ? floor : floor + 1;
  const last = indexFloor(kind, toCivil(now, def.timezone)) - 1 + (def.endOffset ?? 0);
  return { first, last };
}

const keyCache = new WeakMap<PartitionsDef, { last: number; keys: readonly string[] }>();

/**
 * Every partition key of `def` at `now`, oldest first (static: in the listed order). Empty when
 * the definition is `other` (not known statically), has no readable start, or starts after `now`.
 * The same array is returned while the last key stays the same, so sets built on it share a universe.
 */
export function partitionKeys(def: PartitionsDef, now: Instant): readonly string[] {
  if (def.kind === 'static') return def.keys ?? [];
  const range = indexRange(def, now);
  if (!range) return [];
  const cached = keyCache.get(def);
  if (cached && cached.last === range.last) return cached.keys;
  const keys: string[] = [];
  for (let i = range.first; i <= range.last; i++) keys.push(keyOfIndex(def.kind as TimeKind, i));
  keyCache.set(def, { last: range.last, keys });
  return keys;
}

/** The newest partition key at `now`; undefined when there is none yet. */
export function latestPartitionKey(def: PartitionsDef, now: Instant): string | undefined {
  const keys = partitionKeys(def, now);
  return keys[keys.length - 1];
}

/** True when `key` is one of `def`'s keys; with `now`, also that it already exists. */
export function isPartitionKey(def: PartitionsDef, key: string, now?: Instant): boolean {
  if (def.kind === 'static') return (def.keys ?? []).includes(key);
  if (!isTimeKind(def.kind)) return false;
  const i = indexOfKey(def.kind, key);
  const range = indexRange(def, now ?? Number.MAX_SAFE_INTEGER / 2);
  return i !== undefined && range !== undefined && i >= range.first && i <= range.last;
}

/** The instants a time partition covers, [start, end); undefined for static keys or a key `def` does not have. */
export function partitionInstants(def: PartitionsDef, key: string): { start: Instant; end: Instant } | undefined {
  if (!isTimeKind(def.kind)) return undefined;
  const i = indexOfKey(def.kind, key);
  if (i === undefined) return undefined;
  return { start: fromCivil(startOfIndex(def.kind, i), def.timezone), end: fromCivil(startOfIndex(def.kind, i + 1), def.timezone) };
}

/**
 * What `partition_start` / `partition_end` render to: ISO-8601 with the zone's offset, as Python's
 * `isoformat()` writes Dagster's window (`2024-01-01T00:00:00+00:00`). Undefined for static
 * definitions and keys that are not keys of `def`.
 */
export function partitionWindow(def: PartitionsDef, key: string): { start: string; end: string } | undefined {
  const w = partitionInstants(def, key);
  return w && { start: isoWithOffset(w.start, def.timezone), end: isoWithOffset(w.end, def.timezone) };
}

/**
 * The keys from `from` to `to`, both included, oldest first (a backfill range). With `now`, keys
 * that do not exist yet are left out. Empty when `from` comes after `to`; undefined when either is
 * not a key of `def` (the caller reports it, with `closest` from text.ts for "did you mean").
 */
export function keysBetween(def: PartitionsDef, from: string, to: string, now?: Instant): string[] | undefined {
  if (def.kind === 'static') {
    const keys = def.keys ?? [];
    const a = keys.indexOf(from), b = keys.indexOf(to);
    return a < 0 || b < 0 ? undefined : keys.slice(a, b + 1);
  }
  if (!isTimeKind(def.kind)) return undefined;
  const kind = def.kind;
  const a = indexOfKey(kind, from), b = indexOfKey(kind, to);
  const range = indexRange(def, now ?? Number.MAX_SAFE_INTEGER / 2);
  if (a === undefined || b === undefined || !range) return undefined;
  const out: string[] = [];
  for (let i = Math.max(a, range.first); i <= Math.min(b, range.last); i++) out.push(keyOfIndex(kind, i));
  return out;
}

/** Same kind, start, offset, zone and keys: Dagster then maps each partition to the same key. */
export function samePartitionsDef(a: PartitionsDef, b: PartitionsDef): boolean {
  return a.kind === b.kind && a.start === b.start && (a.endOffset ?? 0) === (b.endOffset ?? 0)
    && (a.timezone ?? 'UTC') === (b.timezone ?? 'UTC') && (a.keys ?? []).join('\u0000') === (b.keys ?? []).join('\u0000');
}

/**
 * The partitions of an upstream asset that partition `downKey` of a downstream asset reads, as
 * Dagster's default mappings do: same definition → the same key; both time-based → the upstream
 * windows that overlap the downstream window; an unpartitioned downstream (or `downKey`
 * undefined) → every upstream partition at `now`; static ↔ time → every upstream partition.
 * Undefined when the upstream is not partitioned: the downstream reads the whole asset.
 */
export function upstreamPartitionKeys(
  down: PartitionsDef | undefined, downKey: string | undefined, up: PartitionsDef | undefined, now: Instant,
): readonly string[] | undefined {
  if (!up) return undefined;
  if (!down || downKey === undefined) return partitionKeys(up, now);
  if (samePartitionsDef(down, up)) return [downKey];
  if (down.kind === 'static' && up.kind === 'static') return (up.keys ?? []).includes(downKey) ? [downKey] : [];
  const w = partitionInstants(down, downKey);
  if (!w || !isTimeKind(up.kind)) return partitionKeys(up, now);
  const range = indexRange(up, now);
  if (!range) return [];
  const out: string[] = [];
  const lo = Math.max(range.first, indexFloor(up.kind, toCivil(w.start, up.timezone)));
  const hi = Math.min(range.last, indexFloor(up.kind, toCivil(w.end - 1, up.timezone)));
  for (let i = lo; i <= hi; i++) out.push(keyOfIndex(up.kind, i));
  return out;
}

/** The day number of a key's leading `YYYY-MM-DD` (for grouping keys by week or month); undefined when it has none. */
export function dayOfKey(key: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(key);
  return m ? daysFromCivil(+m[1]!, +m[2]!, +m[3]!) : undefined;
}

/**
 * The `partition_expr` of a dbt node's `meta`, where a DagsterDbtTranslator's get_metadata would
 * read it: `meta.dagster.metadata.partition_expr`, `meta.dagster.partition_expr` or
 * `meta.partition_expr`. Undefined when none is a non-empty string.
 */
export function partitionExprOfMeta(meta: unknown): string | undefined {
  const o = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const dagster = o(o(meta).dagster);
  const found = [o(dagster.metadata).partition_expr, dagster.partition_expr, o(meta).partition_expr].find((x) => typeof x === 'string' && x.trim());
  return typeof found === 'string' ? found.trim() : undefined;
}
