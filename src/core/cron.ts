// A small cron evaluator: five fields (minute hour day-of-month month day-of-week) with `*`, ranges,
// steps, lists and names, plus @hourly/@daily/@weekly/@monthly/@yearly. Day-of-month and
// day-of-week combine as Vixie cron and croniter (Dagster's) do: when both are restricted, either
// matching is enough. Times are matched on the wall clock of an IANA zone (UTC by default).
import { civilFromDays, daysFromCivil, fromCivil, toCivil, weekdayOfDays, type Civil, type Instant } from './time';

export interface CronExpr {
  /** The text as written, for messages. */
  readonly source: string;
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  readonly days: readonly boolean[];
  readonly months: readonly boolean[];
  /** Index 0 = Sunday; a written 7 is folded onto 0. */
  readonly weekdays: readonly boolean[];
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

export class CronError extends Error {}

const macros: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
};
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Parses a cron expression; throws CronError naming the field that cannot be read. */
export function parseCron(text: string): CronExpr {
  const source = text.trim();
  const fields = (macros[source.toLowerCase()] ?? source).split(/\s+/);
  if (fields.length !== 5) throw new CronError(`Cron '${source}' needs 5 fields (minute hour day month weekday), found ${fields.length}`);
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const weekdays = parseField(dow, 0, 7, dayNames, 0, 'weekday');
  if (weekdays[7]) weekdays[0] = true;
  return {
    source,
    minutes: parseField(mi, 0, 59, [], 0, 'minute'),
    hours: parseField(h, 0, 23, [], 0, 'hour'),
    days: parseField(dom, 1, 31, [], 1, 'day of month'),
    months: parseField(mo, 1, 12, monthNames, 1, 'month'),
    weekdays: weekdays.slice(0, 7),
    daysRestricted: !dom.startsWith('*'),
    weekdaysRestricted: !dow.startsWith('*'),
  };
}

function parseField(text: string, min: number, max: number, names: readonly string[], nameBase: number, what: string): boolean[] {
  const out = new Array<boolean>(max + 1).fill(false);
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(n >= min && n <= max)) throw new CronError(`Cannot read ${what} '${s}' (allowed ${min}-${max})`);
    return n;
  };
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`Cannot read ${what} '${part}'`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronError(`The step of ${what} '${part}' must be at least 1`);
    const [lo, hi] = m[1] === '*' ? [min, max] : m[1]!.includes('-')
      ? m[1]!.split('-').map(value) as [number, number]
      : [value(m[1]!), m[2] === undefined ? value(m[1]!) : max];
    if (lo > hi) throw new CronError(`The range of ${what} '${part}' runs backwards`);
    for (let v = lo; v <= hi; v += step) out[v] = true;
  }
  return out;
}

const asExpr = (e: CronExpr | string): CronExpr => (typeof e === 'string' ? parseCron(e) : e);

function dayMatches(e: CronExpr, year: number, month: number, day: number): boolean {
  if (!e.months[month]) return false;
  const dom = e.days[day] === true;
  const dow = e.weekdays[weekdayOfDays(daysFromCivil(year, month, day))] === true;
  if (e.daysRestricted && e.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

/** How many days either search looks through before it concludes the expression never fires (`30 2 31 2 *`). */
const horizonDays = 366 * 8;

/**
 * The first instant strictly after `t` at which `expr` fires on the wall clock of `tz` (undefined:
 * UTC). Undefined when it never fires (e.g. February 30th). Throws CronError for unreadable text.
 */
export function nextAfter(expr: CronExpr | string, t: Instant, tz?: string): Instant | undefined {
  const e = asExpr(expr);
  const c = toCivil(t, tz);
  let days = daysFromCivil(c.year, c.month, c.day);
  let fromMinute = c.hour * 60 + c.minute + 1;
  for (let i = 0; i < horizonDays; i++, days++, fromMinute = 0) {
    const d = civilFromDays(days);
    if (!dayMatches(e, d.year, d.month, d.day)) continue;
    for (let m = fromMinute; m < 24 * 60; m++) {
      if (!e.hours[Math.floor(m / 60)] || !e.minutes[m % 60]) continue;
      const at = fromCivil({ ...d, hour: Math.floor(m / 60), minute: m % 60 }, tz);
      if (at > t) return at;
    }
  }
  return undefined;
}

/**
 * The last instant at or before `t` at which `expr` fires in `tz` (undefined: UTC). Undefined when
 * it never fired within eight years before `t`. Throws CronError for unreadable text.
 */
export function previousAtOrBefore(expr: CronExpr | string, t: Instant, tz?: string): Instant | undefined {
  const e = asExpr(expr);
  const c: Civil = toCivil(t, tz);
  let days = daysFromCivil(c.year, c.month, c.day);
  let fromMinute = c.hour * 60 + c.minute;
  for (let i = 0; i < horizonDays; i++, days--, fromMinute = 24 * 60 - 1) {
    const d = civilFromDays(days);
    if (!dayMatches(e, d.year, d.month, d.day)) continue;
    for (let m = fromMinute; m >= 0; m--) {
      if (!e.hours[Math.floor(m / 60)] || !e.minutes[m % 60]) continue;
      const at = fromCivil({ ...d, hour: Math.floor(m / 60), minute: m % 60 }, tz);
      if (at <= t) return at;
    }
  }
  return undefined;
}

/** Every firing in (from, to], oldest first, at most `limit` of them (empty when none). */
export function firingsBetween(expr: CronExpr | string, from: Instant, to: Instant, tz?: string, limit = 1000): Instant[] {
  const e = asExpr(expr);
  const out: Instant[] = [];
  for (let t = nextAfter(e, from, tz); t !== undefined && t <= to && out.length < limit; t = nextAfter(e, t, tz)) out.push(t);
  return out;
}

/** True when `expr` can be read (for diagnostics on schedules and freshness policies). */
export function isValidCron(text: string): boolean {
  try { parseCron(text); return true; } catch { return false; }
}
