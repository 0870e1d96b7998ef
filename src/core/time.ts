// Civil (wall-clock) time and time zones for partitions, cron and freshness, without I/O.
// Instants are epoch milliseconds so that every value the core keeps is plain and serializable;
// the clock itself is always a parameter (`now`), never read here.

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type Instant = number;

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** A wall-clock time in some zone: month 1–12, day 1–31, hour 0–23, minute 0–59. */
export interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm, exact for any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number (inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOfDays = (days: number): number => (((days + 4) % 7) + 7) % 7;

export const daysInMonth = (year: number, month: number): number =>
  daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for `UTC`, undefined, and any IANA zone the runtime knows. */
export function isValidTimeZone(tz: string | undefined): boolean {
  if (tz === undefined || isUtc(tz)) return true;
  try { formatter(tz); return true; } catch { return false; }
}

const isUtc = (tz: string | undefined): boolean => tz === undefined || tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT';

/** The wall clock at `t` in `tz` (undefined: UTC). Throws a RangeError for an unknown zone. */
export function toCivil(t: Instant, tz?: string): Civil {
  if (isUtc(tz)) {
    const d = new Date(t);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(tz!).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

const civilAsUtc = (c: Civil): Instant =>
  daysFromCivil(c.year, c.month, c.day) * dayMs + c.hour * hourMs + c.minute * minuteMs + (c.second ?? 0) * 1000;

/** Minutes `tz` is ahead of UTC at `t` (undefined zone: 0). */
export function offsetMinutes(t: Instant, tz?: string): number {
  if (isUtc(tz)) return 0;
  const whole = Math.floor(t / 1000) * 1000;
  return Math.round((civilAsUtc(toCivil(whole, tz)) - whole) / minuteMs);
}

/**
 * The instant a wall-clock time names in `tz` (undefined: UTC). A time skipped by a DST jump maps
 * to the instant one offset later; a repeated time maps to its first occurrence.
 */
export function fromCivil(c: Civil, tz?: string): Instant {
  const guess = civilAsUtc(c);
  if (isUtc(tz)) return guess;
  // The offsets a day either side bracket any transition near this wall time.
  const before = guess - offsetMinutes(guess - dayMs, tz) * minuteMs;
  const after = guess - offsetMinutes(guess + dayMs, tz) * minuteMs;
  const valid = [before, after].filter((t) => civilAsUtc(toCivil(t, tz)) === guess);
  return valid.length ? Math.min(...valid) : before;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2024-01-01T00:00:00+00:00`: the instant as Python's `datetime.isoformat()` writes it in `tz`. */
export function isoWithOffset(t: Instant, tz?: string): string {
  const c = toCivil(t, tz);
  const off = offsetMinutes(t, tz);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second ?? 0)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `YYYY-MM-DD` of a civil date. */
export const dateString = (year: number, month: number, day: number): string => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]`; undefined when it is not one of those. */
export function parseCivil(text: string): Civil | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const c = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysInMonth(c.year, c.month) || c.hour > 23 || c.minute > 59 || c.second > 59) return undefined;
  return c;
}
