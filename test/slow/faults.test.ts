// Fault tests the way a user meets them: the real CLI is stopped mid-run, by Ctrl+C and by
// `kill -9`, while DuckDB is busy with a long query. The table being rebuilt keeps its previous
// version, the history reads the run as cancelled or interrupted, and the next run works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { MetadataStore, INTERRUPTED } from '../../src/adapters/metadataStore';
import { metadataFile } from '../../src/core/warehouse';
import { cli, sql, workspace } from './runnerFixture';

// `slow_total` counts a range whose size is a var: tiny by default, minutes of work when asked.
// Its upstream `slow_input` ends first, and the CLI prints it: the long query starts right after.
const slowModel = {
  'models/slow_input.sql': "select {{ var('slow_n', 10) }} as size\n",
  'models/slow_total.sql': "{{ config(materialized='table') }}\nselect count(*) as n from range((select size from {{ ref('slow_input') }})) t(i) where i % 7 = 3\n",
};
const heavy = '{"slow_n": 200000000000}';

/** Starts `asset-lens materialize` and resolves once the long step has started. */
async function startHeavyRun(root: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [resolve('dist/cli.js'), 'materialize', root, '--select', '+slow_total', '--vars', heavy], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => { text += String(d); });
  child.stderr!.on('data', (d) => { text += String(d); });
  // The CLI prints a step when it ends: once slow_input is printed, the long query is next.
  const started = new Promise<void>((resolveStarted, reject) => {
    child.stdout!.on('data', () => { if (/slow_input\s+success/.test(text)) resolveStarted(); });
    child.on('exit', () => reject(new Error(`the run ended before its long step:\n${text}`)));
  });
  await started;
  return { child, output: () => text };
}

async function lastRuns(root: string) {
  return (await MetadataStore.open(join(root, metadataFile))).runs();
}

test('kill -9 of the CLI mid-query: the table keeps its last version, the run reads as interrupted, the next run works', async () => {
  const root = workspace(slowModel);
  const first = cli('materialize', root, '--select', '+slow_total');
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.deepEqual(await sql(root, 'select n from slow_total'), [{ n: '1' }]);

  const { child } = await startHeavyRun(root);
  child.kill('SIGKILL');
  await once(child, 'exit');

  assert.deepEqual(await sql(root, 'select n from slow_total'), [{ n: '1' }], 'the previous version of the table is intact');
  const [killed] = await lastRuns(root);
  assert.equal(killed!.status, 'failed');
  assert.equal(killed!.error, INTERRUPTED);

  const again = cli('materialize', root, '--select', '+slow_total', '--vars', '{"slow_n": 100}');
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.deepEqual(await sql(root, 'select n from slow_total'), [{ n: '14' }]);
  const runs = await lastRuns(root);
  assert.deepEqual(runs.slice(0, 3).map((r) => r.status), ['success', 'failed', 'success'], 'history keeps all three runs in order');
});

test('Ctrl+C stops the CLI mid-query: it says the run was cancelled and the table is as it was', async () => {
  const root = workspace(slowModel);
  assert.equal(cli('materialize', root, '--select', '+slow_total').code, 0);

  const { child, output } = await startHeavyRun(root);
  child.kill('SIGINT');
  const [code] = await once(child, 'exit') as [number | null];

  assert.notEqual(code, 0, 'a cancelled run does not exit 0');
  assert.match(output(), /cancelling…/);
  assert.match(output(), /cancelled/);
  const [cancelled] = await lastRuns(root);
  assert.equal(cancelled!.status, 'cancelled');
  assert.deepEqual(await sql(root, 'select n from slow_total'), [{ n: '1' }]);
});
