// Seed 000 (Dagster's Jaffle Shop) run for real: Python assets that return Jinja SQL render with
// their parameters as the upstream tables and run in DuckDB; every table is profiled and the
// primary keys declared in each asset's Dagster column schema are checked, as the seed's job did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastByKey, run, sql, workspace } from './runnerFixture';

test('+customers runs the 7 SQL-returning assets; each is profiled and its primary key checked', async () => {
  const root = workspace({}, 'dagster_jaffle');
  const { summary } = await run(root, '+customers');
  assert.equal(summary.status, 'success', summary.error);
  assert.deepEqual(summary.steps.map((s) => s.status), Array(7).fill('success'));
  const last = await lastByKey(root);
  const customers = last.get('customers')!;
  assert.equal(customers.profile?.rows, 200);
  assert.ok(customers.profile!.columns.some((c) => c.name === 'customer_lifetime_value' && c.mean !== undefined));
  assert.deepEqual(customers.checks!.map((c) => `${c.name}(${c.column}):${c.status}`), ['not_null(customer_id):pass', 'unique(customer_id):pass']);
  assert.deepEqual(last.get('stg_payments')!.checks!.map((c) => `${c.name}(${c.column}):${c.status}`), ['not_null(payment_id):pass', 'unique(payment_id):pass']);
  // With no dbt profile to name one, runs write the default warehouse.
  assert.equal(Number((await sql(root, 'SELECT count(*) AS n FROM main.customers', '.assetlens/warehouse.duckdb'))[0]!.n), 200);
});

test('a duplicated primary key fails its unique check, counting the rows that share a key; the table is still written', async () => {
  const root = workspace({}, 'dagster_jaffle');
  const path = join(root, 'dagster_jaffle_shop/assets/raw_customers.py');
  writeFileSync(path, readFileSync(path, 'utf8').replace(
    `return "select * from read_csv_auto('data/raw_customers.csv')"`,
    `return "select * from read_csv_auto('data/raw_customers.csv') union all select * from read_csv_auto('data/raw_customers.csv') where id <= 2"`));
  const { summary } = await run(root, 'raw_customers');
  assert.equal(summary.steps[0]!.status, 'success', 'checks do not undo a build: the step succeeds and its checks fail');
  const raw = (await lastByKey(root)).get('raw_customers')!;
  assert.equal(raw.rows, 202);
  const unique = raw.checks!.find((c) => c.name === 'unique')!;
  // Ids 1 and 2 appear twice each: four rows share a key with another row.
  assert.deepEqual([unique.status, unique.failingRows], ['fail', 4]);
  assert.equal(raw.checks!.find((c) => c.name === 'not_null')!.status, 'pass');
});
