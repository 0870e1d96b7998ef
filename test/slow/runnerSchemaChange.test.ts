// on_schema_change for incremental models with real DuckDB: a model whose SQL gains and loses a
// column between two runs, under each mode, and what the table holds afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastByKey, run, sql, workspace } from './runnerFixture';

const file = 'models/order_events.sql';
const model = (mode: string | undefined, columns: string) =>
  `{{ config(materialized='incremental', unique_key='order_id'${mode ? `, on_schema_change='${mode}'` : ''}) }}\n` +
  `select ${columns} from {{ ref('stg_orders') }}\n{% if is_incremental() %}where order_id > 395{% endif %}\n`;

/** Builds the model with `before`, rewrites it to `after` and runs it again (incrementally). */
async function change(mode: string | undefined, before: string, after: string) {
  const root = workspace({ [file]: model(mode, before) });
  const first = await run(root, '+order_events');
  assert.equal(first.summary.status, 'success', first.summary.error);
  writeFileSync(join(root, file), model(mode, after));
  const second = await run(root, 'order_events');
  return { root, second };
}

const columnsOf = async (root: string) => (await sql(root,
  "SELECT column_name || ' ' || data_type AS c FROM information_schema.columns WHERE table_name = 'order_events' ORDER BY ordinal_position")).map((r) => r.c);
const count = async (root: string, where: string) =>
  Number((await sql(root, `SELECT count(*)::INTEGER AS n FROM main.order_events WHERE ${where}`))[0]!.n);

test('ignore (the default): a new column is left out and the rows are merged into the table as it is', async () => {
  const { root, second } = await change(undefined, 'order_id, status, order_date', 'order_id, status, order_date, customer_id');
  assert.equal(second.summary.status, 'success', second.summary.error);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'status VARCHAR', 'order_date DATE']);
  assert.equal(await count(root, 'true'), 400);
  assert.equal(await count(root, 'order_date IS NOT NULL'), 400);
});

test('ignore: a column removed from the model fails the step, names it, and leaves the table as it was', async () => {
  const { root, second } = await change('ignore', 'order_id, status, order_date', 'order_id, status');
  assert.equal(second.summary.status, 'failed');
  const step = second.summary.steps[0]!;
  assert.match(step.error!, /^models\/order_events\.sql: the columns of order_events no longer match main\.order_events \(removed order_date \(DATE\)\), and on_schema_change is 'ignore'/);
  assert.match(step.error!, /nothing was written/);
  assert.equal(step.errorLine, 1);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'status VARCHAR', 'order_date DATE']);
  assert.equal(await count(root, 'order_date IS NOT NULL'), 400);
});

test('append_new_columns: the new column is added, the removed one stays and is NULL in the new rows', async () => {
  const { root, second } = await change('append_new_columns', 'order_id, status, order_date', 'order_id, status, customer_id');
  assert.equal(second.summary.status, 'success', second.summary.error);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'status VARCHAR', 'order_date DATE', 'customer_id BIGINT']);
  assert.equal(await count(root, 'true'), 400);
  assert.equal(await count(root, 'customer_id IS NOT NULL'), 5, 'only the 5 rows of the incremental run have the new column');
  assert.equal(await count(root, 'order_date IS NULL'), 5, 'the 5 replaced rows no longer carry the removed column');
  assert.equal((await lastByKey(root)).get('order_events')!.profile!.columns.length, 4, 'the profile sees the new column');
});

test('sync_all_columns: new columns added, removed ones dropped, a changed type changed', async () => {
  const { root, second } = await change('sync_all_columns', 'order_id, status, order_date', 'order_id, order_date::VARCHAR AS order_date, customer_id');
  assert.equal(second.summary.status, 'success', second.summary.error);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'order_date VARCHAR', 'customer_id BIGINT']);
  assert.equal(await count(root, 'true'), 400);
  assert.equal(await count(root, 'customer_id IS NOT NULL'), 5);
  const [d] = await sql(root, 'SELECT order_date FROM main.order_events WHERE order_id = 1');
  assert.equal(d!.order_date, '2018-01-01', 'old rows keep their values, cast to the new type');
});

test('fail: a schema change fails the step with the columns that differ; nothing is written', async () => {
  const root = workspace({ [file]: model('fail', 'order_id, status, order_date') });
  assert.equal((await run(root, '+order_events')).summary.status, 'success');
  const before = await sql(root, 'SELECT * FROM main.order_events ORDER BY order_id');
  // An unchanged model still runs incrementally under 'fail'.
  const same = await run(root, 'order_events');
  assert.equal(same.summary.status, 'success', same.summary.error);
  writeFileSync(join(root, file), model('fail', 'order_id, order_date::VARCHAR AS order_date, customer_id'));
  const { summary } = await run(root, 'order_events');
  assert.equal(summary.status, 'failed');
  assert.equal(summary.error?.split(':')[0], 'order_events failed');
  assert.equal(summary.steps[0]!.error,
    "models/order_events.sql: the columns of order_events no longer match main.order_events (added customer_id (BIGINT); removed status (VARCHAR); " +
    "order_date changed from DATE to VARCHAR), and on_schema_change is 'fail': nothing was written. " +
    "Run with --full-refresh to rebuild the table, or set on_schema_change to 'append_new_columns' or 'sync_all_columns'.");
  assert.deepEqual(await sql(root, 'SELECT * FROM main.order_events ORDER BY order_id'), before);
  assert.equal((await lastByKey(root)).get('order_events')!.status, 'failed', 'the failure is in the run history');
  // --full-refresh rebuilds with the new columns.
  const rebuilt = await run(root, 'order_events', { fullRefresh: true });
  assert.equal(rebuilt.summary.status, 'success', rebuilt.summary.error);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'order_date VARCHAR', 'customer_id BIGINT']);
});

test('on_schema_change from schema YAML applies, and a value dbt does not know fails naming the file', async () => {
  const yml = (mode: string) => `version: 2\nmodels:\n  - name: order_events\n    config:\n      on_schema_change: ${mode}\n`;
  const root = workspace({ [file]: model(undefined, 'order_id, status'), 'models/order_events.yml': yml('append_new_columns') });
  assert.equal((await run(root, '+order_events')).summary.status, 'success');
  writeFileSync(join(root, file), model(undefined, 'order_id, status, customer_id'));
  const appended = await run(root, 'order_events');
  assert.equal(appended.summary.status, 'success', appended.summary.error);
  assert.deepEqual(await columnsOf(root), ['order_id BIGINT', 'status VARCHAR', 'customer_id BIGINT']);
  writeFileSync(join(root, 'models/order_events.yml'), yml('append'));
  const bad = await run(root, 'order_events');
  assert.equal(bad.summary.status, 'failed');
  assert.equal(bad.summary.steps[0]!.error, `${file}: on_schema_change is "append"; it must be one of 'ignore', 'append_new_columns', 'sync_all_columns', 'fail'.`);
});
