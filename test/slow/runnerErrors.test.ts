// Errors point at the source: a DuckDB error in rendered SQL names the model's file and the line
// that wrote the failing SQL, through Jinja that adds or removes lines, in Python SQL assets too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, run, workspace } from './runnerFixture';

/** The 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('a bad column after a Jinja loop is reported at its line in the model, not the rendered line', async () => {
  const root = workspace();
  const path = join(root, 'models/orders.sql');
  const text = readFileSync(path, 'utf8').replace('order_payments.total_amount as amount', 'order_payments.total_amt as amount');
  writeFileSync(path, text);
  const { summary } = await run(root, '+orders');
  const step = summary.steps.find((s) => s.key === 'orders')!;
  assert.equal(step.status, 'failed');
  assert.match(step.error!, /^models\/orders\.sql: .*total_amt/);
  // The loops above expand into more lines than the template has; the error still lands on the line written.
  assert.equal(step.errorLine, lineOf(text, 'total_amt as amount'));
  assert.equal(summary.errorLine, step.errorLine);
});

test('the CLI prints file:line before the error', () => {
  const root = workspace({ 'models/broken.sql': "{{ config(materialized='table') }}\n\nselect\n  1 as a,\n  nope as b\nfrom {{ ref('raw_orders') }}\n" });
  cli('materialize', root, '--select', 'raw_orders');
  const r = cli('materialize', root, '--select', 'broken');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ \[1\/1\] broken {2}failed {2}.*models\/broken\.sql:5: Binder Error: .*nope/);
});

test('a Jinja error and a compiler error carry the template line', async () => {
  const root = workspace({
    'models/bad_var.sql': "select 1 as a\n, {{ var('not_defined') }} as b\n",
    'models/guard.sql': "select 1 as a\n{% if var('payment_methods') | length > 1 %}{{ exceptions.raise_compiler_error('guard needs a single payment method') }}{% endif %}\n",
  });
  const { summary } = await run(root, 'bad_var guard');
  const steps = new Map(summary.steps.map((s) => [s.key, s]));
  assert.equal(steps.get('bad_var')!.errorLine, 2);
  assert.equal(steps.get('guard')!.error, 'Compilation error in model guard (models/guard.sql line 2): guard needs a single payment method');
  assert.equal(steps.get('guard')!.errorLine, 2);
});

test('a Python asset’s SQL error points into the .py file', async () => {
  const py = [
    'from dagster import asset', '',
    '@asset(deps=["stg_orders"])', 'def order_stats():', '    return """',
    "        select count(*) as n,", '               max(nope) as m', "        from {{ ref('stg_orders') }}", '    """', '',
  ].join('\n');
  const root = workspace({ 'defs/assets.py': py });
  await run(root, '+stg_orders');
  const { summary } = await run(root, 'order_stats');
  assert.equal(summary.steps[0]!.status, 'failed');
  assert.equal(summary.steps[0]!.errorLine, lineOf(py, 'max(nope)'));
});

test('an error DuckDB gives no line for still points at the asset', async () => {
  const root = workspace({ 'models/order_state.sql': "{{ config(materialized='incremental', unique_key='order_id') }}\nselect order_id, order_date from {{ ref('stg_orders') }}\n" });
  await run(root, '+order_state');
  // The insert casts the text into the table's DATE column: a conversion error of no line of the model.
  writeFileSync(join(root, 'models/order_state.sql'), "{{ config(materialized='incremental', unique_key='order_id') }}\nselect order_id, status as order_date from {{ ref('stg_orders') }}\n");
  const { summary } = await run(root, 'order_state');
  assert.equal(summary.steps[0]!.status, 'failed');
  assert.match(summary.steps[0]!.error!, /^models\/order_state\.sql: Conversion Error/);
  assert.equal(summary.steps[0]!.errorLine, 1);
});
