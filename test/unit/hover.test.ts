// The hover's run part, as a user reads it: one row per column with mean ± std for numbers, the
// most frequent values of low-cardinality text columns under the table, sizes, and failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { formatBytes, hoverMarkdown } from '../../src/core/present';
import { keyFromString } from '../../src/core/model';
import type { MaterializationDto } from '../../src/shared/dto';

/** The hover card of model `orders` (one dbt project, one model) after the materialization `m`. */
function ordersCard(m: MaterializationDto, now: string): string {
  const index = new WorkspaceIndex();
  index.setFile('dbt_project.yml', 'name: shop\nprofile: shop\n');
  index.setFile('models/orders.sql', 'select 1 as amount');
  return hoverMarkdown(index.graph(), keyFromString('orders'), m, new Date(now));
}

test('the profile table shows mean ± std for numbers and the most frequent values of text columns', () => {
  const m: MaterializationDto = {
    key: 'orders', runId: 'r1', status: 'success', startedAt: '2026-12-03T10:00:00.000Z', durationMs: 12, rows: 99,
    profile: { rows: 99, columns: [
      { name: 'amount', type: 'DOUBLE', nullCount: 0, nullPct: 0, approxDistinct: 50, min: '1', max: '3000', mean: 1234.5678, std: 12.3456 },
      { name: 'status', type: 'VARCHAR', nullCount: 1, nullPct: 1, approxDistinct: 3, min: 'completed', max: 'shipped',
        topValues: [{ value: 'completed', count: 60 }, { value: 'returned|<b>', count: 38 }] },
    ], bytes: 4_567, durationMs: 3 },
  };
  const card = ordersCard(m, '2026-12-03T10:05:00Z');
  const lines = card.split('\n');
  assert.ok(lines.includes('Last materialized 5 min ago (2026-12-03 10:00:00Z) in 12 ms · 99 rows · 4.6 kB'), card);
  assert.ok(lines.includes('| column | type | null % | distinct ≈ | min | max | mean ± std |'), card);
  assert.ok(lines.includes('| amount | DOUBLE | 0.0 | 50 | 1 | 3000 | 1,235 ± 12.3 |'), card);
  assert.ok(lines.includes('| status | VARCHAR | 1.0 | 3 | completed | shipped |  |'), card);
  // A blank line ends the table, and workspace text stays text (the pipe and the tag are escaped).
  const top = lines.findIndex((l) => l.startsWith('**status** most frequent:'));
  assert.equal(lines[top - 1], '', card);
  assert.match(lines[top]!, /^\*\*status\*\* most frequent: completed \(60\), returned\\\|\\<b\\> \(38\)$/);
});

test('sizes read in decimal units', () => {
  assert.deepEqual([0, 999, 1_000, 45_678, 287_000_000, 12e12].map(formatBytes), ['0 B', '999 B', '1.0 kB', '46 kB', '287 MB', '12 TB']);
});

test('a failed last run says when, at which line of the file, and why (escaped)', () => {
  const m: MaterializationDto = {
    key: 'orders', runId: 'r2', status: 'failed', startedAt: '2026-12-03T10:00:00.000Z', durationMs: 3, errorLine: 7,
    error: 'models/orders.sql: Binder Error: Referenced column "no_such" not found',
  };
  const card = ordersCard(m, '2026-12-03T12:00:00Z');
  assert.ok(card.split('\n').includes('Last run failed 2 h ago (2026-12-03 10:00:00Z) at line 7: models/orders.sql: Binder Error: Referenced column "no\\_such" not found'), card);
});
