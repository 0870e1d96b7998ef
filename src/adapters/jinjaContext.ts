// The parts of dbt's Jinja context that are Python values rather than functions: `run_started_at`
// and `modules.datetime` (datetime, date, timedelta with the methods dbt projects call), and the
// agate-like table that `run_query` returns. nunjucks sees plain JavaScript objects, so each one
// exposes Python's method names.

/** A point in time as Python's `datetime.datetime` (UTC) shows it to a template. */
export class PyDateTime {
  constructor(readonly ms: number, private readonly dateOnly = false) {}

  get year(): number { return this.d.getUTCFullYear(); }
  get month(): number { return this.d.getUTCMonth() + 1; }
  get day(): number { return this.d.getUTCDate(); }
  get hour(): number { return this.d.getUTCHours(); }
  get minute(): number { return this.d.getUTCMinutes(); }
  get second(): number { return this.d.getUTCSeconds(); }
  private get d(): Date { return new Date(this.ms); }

  strftime(format: string): string { return strftime(this.d, format); }
  isoformat(): string { return this.dateOnly ? strftime(this.d, '%Y-%m-%d') : strftime(this.d, '%Y-%m-%dT%H:%M:%S.%f+00:00'); }
  date(): PyDateTime { return new PyDateTime(Date.UTC(this.year, this.month - 1, this.day), true); }
  timestamp(): number { return this.ms / 1000; }
  /** Python's `dt + timedelta`, written as a method because Jinja's `+` on objects cannot be overloaded here. */
  add(delta: PyTimeDelta): PyDateTime { return new PyDateTime(this.ms + delta.ms, this.dateOnly); }
  subtract(delta: PyTimeDelta): PyDateTime { return new PyDateTime(this.ms - delta.ms, this.dateOnly); }
  /** What `{{ run_started_at }}` prints in dbt: `2024-05-01 12:00:00.123000+00:00`. */
  // No valueOf: nunjucks prints with `+`, which would prefer it to toString.
  toString(): string { return this.dateOnly ? this.isoformat() : strftime(this.d, '%Y-%m-%d %H:%M:%S.%f+00:00'); }
}

/** Python's `timedelta(days=…, hours=…, …)`; `{{ x }}` prints its seconds. */
export class PyTimeDelta {
  constructor(readonly ms: number) {}
  get days(): number { return Math.floor(this.ms / 86_400_000); }
  total_seconds(): number { return this.ms / 1000; }
  toString(): string { return String(this.total_seconds()); }
}

const units: Record<string, number> = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1, microseconds: 0.001 };

function timedelta(...args: unknown[]): PyTimeDelta {
  const kw = (args.find((a) => !!a && typeof a === 'object' && (a as { __keywords?: true }).__keywords) ?? {}) as Record<string, unknown>;
  const days = args.find((a) => typeof a === 'number');
  let ms = typeof days === 'number' ? days * units.days! : 0;
  for (const [k, v] of Object.entries(kw)) if (units[k] !== undefined) ms += Number(v) * units[k]!;
  return new PyTimeDelta(ms);
}

/** `modules.datetime` as far as dbt models commonly use it; `now`/`utcnow` read the run's clock. */
export function datetimeModule(now: () => number): Record<string, unknown> {
  const datetime = {
    now: () => new PyDateTime(now()),
    utcnow: () => new PyDateTime(now()),
    strptime: (text: string, format: string) => strptime(text, format),
    fromisoformat: (text: string) => new PyDateTime(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`)),
  };
  const date = { today: () => new PyDateTime(now()).date(), fromisoformat: (t: string) => new PyDateTime(Date.parse(`${t}T00:00:00Z`), true) };
  return { datetime, date, timedelta };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function strftime(d: Date, format: string): string {
  const parts: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()), y: () => pad(d.getUTCFullYear() % 100), m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()), H: () => pad(d.getUTCHours()), M: () => pad(d.getUTCMinutes()), S: () => pad(d.getUTCSeconds()),
    f: () => pad(d.getUTCMilliseconds() * 1000, 6), b: () => monthNames[d.getUTCMonth()]!, z: () => '+0000', Z: () => 'UTC', '%': () => '%',
    j: () => pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3),
  };
  return format.replace(/%(.)/g, (all, c: string) => parts[c]?.() ?? all);
}

/** The common `%Y-%m-%d[ %H:%M:%S]` shapes; anything else is read as ISO-8601. */
function strptime(text: string, format: string): PyDateTime {
  const order: string[] = [];
  const pattern = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([YmdHMS])/g, (_, c: string) => { order.push(c); return c === 'Y' ? '(\\d{4})' : '(\\d{1,2})'; });
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) throw new Error(`strptime: '${text}' does not match the format '${format}'`);
  const v: Record<string, number> = { Y: 1970, m: 1, d: 1, H: 0, M: 0, S: 0 };
  order.forEach((c, i) => { v[c] = Number(m[i + 1]); });
  return new PyDateTime(Date.UTC(v.Y!, v.m! - 1, v.d!, v.H!, v.M!, v.S!));
}

/** A column of an agate table: its name and `values()`. */
export interface AgateColumn { readonly name: string; values(): unknown[] }

/**
 * What `run_query` returns: indexable as rows (`results[0][0]`), with `.rows`, `.columns`,
 * `.column_names`; each row is indexable by position and by column name.
 */
export function agateTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): unknown[] {
  const rowObjects = rows.map((r) => {
    const row = [...r] as unknown[] & Record<string, unknown>;
    // A column named like an array member (length, map…) keeps the array's meaning; reach it by position.
    columns.forEach((c, i) => { if (!(c in row)) row[c] = r[i]; });
    return row;
  });
  const cols: AgateColumn[] = columns.map((name, i) => ({ name, values: () => rows.map((r) => r[i]) }));
  return Object.assign([...rowObjects], { rows: rowObjects, columns: cols, column_names: [...columns] });
}
