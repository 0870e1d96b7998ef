// Faults around the metadata store during a real run: kill -9 mid-run (the store reads the run as
// failed on the next open, the records written before the crash are whole, the warehouse holds
// what was built), and a store that rejects the step records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INTERRUPTED, MetadataStore } from '../../src/adapters/metadataStore';
import { metadataFile } from '../../src/core/warehouse';
import { lastByKey, run, sql, workspace } from './runnerFixture';

test('kill -9 mid-run: the run reads as failed, stored steps are whole, the next run completes', async () => {
  const root = workspace();
  const script = join(root, 'crash.mts');
  writeFileSync(script, `
    import { run } from ${JSON.stringify(resolve('test/slow/runnerFixture.ts'))};
    await run(${JSON.stringify(root)}, '+customers', {
      onEvent: (e) => { if (e.key === 'stg_customers' && e.status === 'success') process.kill(process.pid, 'SIGKILL'); },
    });
  `);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  const store = await MetadataStore.open(join(root, metadataFile));
  const [crashed] = await store.runs();
  store.close();
  assert.deepEqual([crashed!.selection, crashed!.status, crashed!.error], ['+customers', 'failed', INTERRUPTED]);
  // Records of the steps that ended just before the crash may not have reached the store; those that did are whole.
  for (const m of (await lastByKey(root)).values()) assert.ok(m.status === 'success' && m.profile && m.checks, JSON.stringify(m));
  const [{ n }] = await sql(root, "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'customers'") as [{ n: number }];
  assert.equal(n, 0, 'customers was never built');
  const again = await run(root, '+customers');
  assert.equal(again.summary.status, 'success', again.summary.error);
  assert.equal((await lastByKey(root)).get('customers')?.rows, 200);
});

test('a store that rejects step records: the run still ends, keeps its status and says how many records were lost', async () => {
  const root = workspace();
  const store = await MetadataStore.open(join(root, metadataFile));
  await store.use((db) => db.run('DROP TABLE check_results'));
  store.close();
  const { summary } = await run(root, '+customers');
  assert.equal(summary.status, 'success');
  assert.match(summary.error ?? '', /^\d+ step records? could not be stored: .*check_results/);
  assert.deepEqual(await sql(root, 'SELECT count(*)::INTEGER AS n FROM main.customers'), [{ n: 200 }], 'the warehouse holds the results');
});
