// The server's small pure pieces, without a process: init options, lens summaries, diagnostic ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MaterializationDto } from '../../src/shared/dto';
import { readInitOptions } from '../../src/server/config';
import { codeLenses, summary } from '../../src/server/codeLens';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { Folder, Workspace } from '../../src/server/workspace';
import { pathToFileURL } from 'node:url';
import { toLsp } from '../../src/server/diagnostics';

test('init options: untrusted and no automation unless the client says so, defaults for the rest', () => {
  assert.deepEqual(readInitOptions(undefined), { trusted: false, warehouse: '.assetlens/warehouse.duckdb', threads: 4, automation: false });
  assert.deepEqual(readInitOptions({ trusted: 'yes', warehouse: ' ', threads: 0, automation: 'on' }), { trusted: false, warehouse: '.assetlens/warehouse.duckdb', threads: 4, automation: false });
  assert.deepEqual(readInitOptions({ trusted: true, warehouse: 'wh.duckdb', threads: 2.7, automation: true }), { trusted: true, warehouse: 'wh.duckdb', threads: 2, automation: true });
});

test('code lens summary: rows and checks, failures, never', () => {
  const now = new Date('2024-05-01T12:03:00Z');
  const m: MaterializationDto = {
    key: 'customers', runId: 'r', status: 'success', startedAt: '2024-05-01T12:00:00Z', durationMs: 40, rows: 1204,
    checks: [{ name: 'unique', status: 'pass', failingRows: 0 }, { name: 'not_null', status: 'pass', failingRows: 0 }],
  };
  assert.equal(summary(m, now), '✓ 3 min ago · 1,204 rows · 2/2 checks');
  assert.equal(summary({ ...m, status: 'failed', error: 'boom' }, now), '✗ failed 3 min ago');
  assert.equal(summary(undefined, now), 'never materialized');
});

test('a diagnostic with a column underlines the word there; without one, the line', () => {
  const text = "select 1\n  from {{ ref('stg_order') }}\n";
  const d = toLsp({ file: 'a.sql', line: 2, column: 16, severity: 'error', message: 'm' }, text);
  assert.deepEqual(d.range, { start: { line: 1, character: 15 }, end: { line: 1, character: 24 } });
  const whole = toLsp({ file: 'a.sql', line: 2, severity: 'warning', message: 'm' }, text);
  assert.deepEqual(whole.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 29 } });
});

test('code lenses: a model gets the run commands in a trusted workspace, an exposure none (nothing builds it)', () => {
  const index = new WorkspaceIndex();
  index.setFile('dbt_project.yml', 'name: shop\n');
  index.setFile('models/orders.sql', 'select 1 as id');
  index.setFile('models/exposures.yml', "exposures:\n  - name: board\n    type: dashboard\n    depends_on: [ref('orders')]\n");
  const ws = Workspace.of([new Folder('shop', '/tmp/shop', index)]);
  const lensesOf = (rel: string) => codeLenses(ws.locate(pathToFileURL(`/tmp/shop/${rel}`).href)!, new Map(), true, new Date()).map((l) => l.command!.command || l.command!.title);
  assert.deepEqual(lensesOf('models/orders.sql'), ['assetLens.materialize', 'assetLens.materializeUpstream', 'assetLens.materializeDownstream', 'never materialized']);
  assert.deepEqual(lensesOf('models/exposures.yml'), []);
});
