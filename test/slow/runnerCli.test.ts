// The CLI's run options and `test` on the jaffle_shop sample, as a user types them:
// --full-refresh, --vars (JSON and YAML), --exclude, --threads, and test/check against the warehouse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunHistoryResult } from '../../src/shared/protocol';
import type { RunSummary } from '../../src/shared/dto';
import { cli, lastByKey, sql, workspace } from './runnerFixture';

const orderLog = {
  'models/order_log.sql': "{{ config(materialized='incremental') }}\nselect order_id, status from {{ ref('stg_orders') }}\n{% if is_incremental() %}where order_id > (select max(order_id) - 10 from {{ this }}){% endif %}\n",
};

test('--full-refresh rebuilds an incremental model instead of appending to it', () => {
  const root = workspace(orderLog);
  assert.equal(cli('materialize', root, '--select', '+order_log').code, 0);
  const again = JSON.parse(cli('materialize', root, '--select', 'order_log', '--json').stdout) as RunSummary;
  assert.equal(again.steps[0]!.rows, 410, 'an incremental run appends the last 10 orders again');
  const refreshed = JSON.parse(cli('materialize', root, '--select', 'order_log', '--full-refresh', '--json').stdout) as RunSummary;
  assert.equal(refreshed.status, 'success');
  assert.equal(refreshed.steps[0]!.rows, 400);
});

test('--vars as JSON or YAML overrides the project vars for the run', async () => {
  const root = workspace();
  const json = cli('materialize', root, '--select', '+orders', '--vars', '{"payment_methods": ["coupon"]}');
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const columns = async () => (await sql(root, "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' AND column_name LIKE '%_amount'")).map((r) => r.column_name);
  assert.deepEqual(await columns(), ['coupon_amount']);
  assert.equal(cli('materialize', root, '--select', 'orders', '--vars', 'payment_methods: [credit_card, gift_card]').code, 0);
  assert.deepEqual((await columns()).sort(), ['credit_card_amount', 'gift_card_amount']);
  const bad = cli('materialize', root, '--select', 'orders', '--vars', '[1, 2]');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--vars needs a mapping/);
});

test('--exclude leaves assets out and --threads runs the rest in parallel', () => {
  const root = workspace();
  const r = cli('materialize', root, '--select', '*', '--exclude', 'orders stg_payments+', '--threads', '3', '--json');
  const summary = JSON.parse(r.stdout) as RunSummary;
  assert.equal(summary.status, 'success', summary.error);
  assert.deepEqual(summary.steps.map((s) => s.key).sort(), ['raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders']);
});

test('test runs the checks against the warehouse without building, fails on a failing error check, and records it', async () => {
  const root = workspace();
  const never = cli('test', root, '--select', 'customers');
  assert.equal(never.code, 1);
  assert.match(never.stdout, /main\.customers is not in the warehouse: materialize customers first/);

  assert.equal(cli('materialize', root, '--select', '*').code, 0);
  const ok = cli('test', root);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /✓ customers {2}unique\(customer_id\) {2}pass/);
  assert.match(ok.stdout, /test success: 17\/17 checks passed on 5 assets/);
  // profile prints the column table, then the top values of low-cardinality text columns.
  const profile = cli('profile', root, 'orders');
  const counts = await sql(root, 'SELECT status, count(*)::INTEGER AS n FROM main.orders GROUP BY status ORDER BY n DESC, status');
  assert.match(profile.stdout, /^status +VARCHAR +0\.0 +5 /m);
  assert.ok(profile.stdout.includes(`top status: ${counts.map((r) => `${String(r.status)} (${String(r.n)})`).join(', ')}\n`), profile.stdout);

  // Someone writes a duplicate customer into the warehouse after the run.
  await sql(root, 'INSERT INTO main.customers SELECT * FROM main.customers WHERE customer_id = 1');
  const failing = cli('check', root, '--select', 'customers');
  assert.equal(failing.code, 1, failing.stdout);
  assert.match(failing.stdout, /✗ customers {2}unique\(customer_id\) {2}fail {2}2 rows share a customer_id value with another row/);
  assert.equal((await sql(root, 'SELECT count(*)::INTEGER AS n FROM main.customers'))[0]!.n, 201, 'test builds nothing');

  const customers = (await lastByKey(root)).get('customers')!;
  assert.equal(customers.rows, 200, 'the last materialization is still the run’s');
  assert.equal(customers.profile?.rows, 200);
  assert.equal(customers.checks!.find((c) => c.name === 'unique')!.status, 'fail', 'the status shows the latest check results');
  const status = JSON.parse(cli('status', root, '--json').stdout) as { assets: { key: string; lastMaterialization: { checks: { status: string }[] } | null }[] };
  assert.ok(status.assets.find((a) => a.key === 'customers')!.lastMaterialization!.checks.some((c) => c.status === 'fail'));
});

test('runs lists the history newest first with steps, as text and as JSON', () => {
  const root = workspace();
  assert.match(cli('runs', root).stdout, /No runs yet/);
  assert.equal(cli('materialize', root, '--select', '+stg_orders').code, 0);
  assert.equal(cli('test', root, '--select', 'stg_orders').code, 0);
  const text = cli('runs', root).stdout;
  const lines = text.split('\n');
  assert.match(lines[0]!, /^✓ \S+Z {2}stg_orders {2}success .*\(check\)/);
  assert.match(text, /✓ \S+Z {2}\+stg_orders {2}success {2}\d+ ms {2}\(user\)/);
  assert.match(text, / {2}✓ stg_orders {2}success {2}400 rows {2}\d+ ms/);
  const page = JSON.parse(cli('runs', root, '--json', '--limit', '1').stdout) as RunHistoryResult;
  assert.equal(page.runs.length, 1);
  assert.equal(page.more, true);
  assert.equal(cli('runs', root, '--limit', 'x').code, 2);
});

test('status names where a failed asset broke: file, line and the error; the profile shows the size', () => {
  const root = workspace();
  const path = 'models/staging/stg_orders.sql';
  const text = readFileSync(join(root, path), 'utf8');
  writeFileSync(join(root, path), text.replace('status', 'no_such_status'));
  assert.equal(cli('materialize', root, '--select', '+stg_orders').code, 1);
  const line = text.split('\n').findIndex((l) => l.includes('status')) + 1;
  const status = cli('status', root).stdout.split('\n').find((l) => l.startsWith('stg_orders '));
  assert.match(status ?? '', new RegExp(`^stg_orders  failed  just now  models/staging/stg_orders\\.sql:${line}  Binder Error: .*no_such_status`));
  assert.equal(cli('materialize', root, '--select', 'raw_orders').code, 0);
  assert.match(cli('profile', root, 'raw_orders').stdout, /^raw_orders: 400 rows, 4 columns, [\d.]+ kB uncompressed \(main\.raw_orders, /);
});
