import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronError, firingsBetween, nextAfter, parseCron, previousAtOrBefore } from '../../src/core/cron';

const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

const nextCases: [string, string, string | undefined, string?][] = [
  ['*/15 * * * *', '2024-01-01T10:07:00Z', '2024-01-01T10:15:00.000Z'],
  ['*/15 * * * *', '2024-01-01T10:15:00Z', '2024-01-01T10:30:00.000Z'],
  ['0 2 * * *', '2024-01-31T03:00:00Z', '2024-02-01T02:00:00.000Z'],
  ['@monthly', '2024-01-31T00:00:00Z', '2024-02-01T00:00:00.000Z'],
  ['0 0 31 * *', '2024-01-31T00:00:00Z', '2024-03-31T00:00:00.000Z'],
  ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ['0 0 30 2 *', '2024-01-01T00:00:00Z', undefined],
  ['@weekly', '2024-01-03T12:00:00Z', '2024-01-07T00:00:00.000Z'],
  ['0 9 * * mon-fri', '2024-01-05T09:00:00Z', '2024-01-08T09:00:00.000Z'],
  ['0 0 1 * 1', '2024-01-02T00:00:00Z', '2024-01-08T00:00:00.000Z'],
  ['30 23 * 12 *', '2023-12-31T23:30:00Z', '2024-12-01T23:30:00.000Z'],
  ['0 0 * * 7', '2024-01-01T00:00:00Z', '2024-01-07T00:00:00.000Z'],
  ['5,35 1-3 * * *', '2024-01-01T03:35:00Z', '2024-01-02T01:05:00.000Z'],
  ['0 2 * * *', '2024-03-09T12:00:00Z', '2024-03-10T07:00:00.000Z', 'America/New_York'],
  ['0 2 * * *', '2024-03-10T12:00:00Z', '2024-03-11T06:00:00.000Z', 'America/New_York'],
  ['0 0 * * *', '2024-06-01T12:00:00Z', '2024-06-01T21:00:00.000Z', 'Europe/Kyiv'],
];

for (const [expr, from, want, tz] of nextCases) {
  test(`nextAfter(${expr}, ${from}${tz ? `, ${tz}` : ''}) is ${want}`, () => {
    assert.equal(iso(nextAfter(expr, t(from), tz)), want);
  });
}

const prevCases: [string, string, string | undefined][] = [
  ['0 2 * * *', '2024-03-01T01:59:00Z', '2024-02-29T02:00:00.000Z'],
  ['0 2 * * *', '2024-03-01T02:00:00Z', '2024-03-01T02:00:00.000Z'],
  ['@monthly', '2024-03-15T00:00:00Z', '2024-03-01T00:00:00.000Z'],
  ['0 0 31 * *', '2024-05-15T00:00:00Z', '2024-03-31T00:00:00.000Z'],
  ['*/30 * * * *', '2024-01-01T00:29:59Z', '2024-01-01T00:00:00.000Z'],
  ['0 0 1 1 *', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'],
];

for (const [expr, at, want] of prevCases) {
  test(`previousAtOrBefore(${expr}, ${at}) is ${want}`, () => {
    assert.equal(iso(previousAtOrBefore(expr, t(at))), want);
  });
}

test('lists the firings in a window, oldest first', () => {
  assert.deepEqual(firingsBetween('0 */6 * * *', t('2024-01-01T00:00:00Z'), t('2024-01-01T18:00:00Z')).map(iso),
    ['2024-01-01T06:00:00.000Z', '2024-01-01T12:00:00.000Z', '2024-01-01T18:00:00.000Z']);
});

test('steps from a start value run to the end of the field', () => {
  const e = parseCron('10/20 * * * *');
  assert.deepEqual(e.minutes.flatMap((on, i) => (on ? [i] : [])), [10, 30, 50]);
});

for (const bad of ['* * * *', '60 * * * *', '* * 0 * *', '5-1 * * * *', '*/0 * * * *', 'x * * * *', '* * * foo *']) {
  test(`rejects '${bad}' with a CronError that says why`, () => {
    assert.throws(() => parseCron(bad), CronError);
  });
}
