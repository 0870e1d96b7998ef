// The embedded runner against real DuckDB and nunjucks, on the jaffle_shop sample copied to a temp
// dir per test. Each test asserts what a user would see: statuses, row counts, error text, and
// what the metadata store reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import type { StepEvent } from '../../src/shared/dto';
import { metadataFile } from '../../src/core/warehouse';
import { PYTHON_NOTE } from '../../src/adapters/runner';
import { MetadataStore, INTERRUPTED } from '../../src/adapters/metadataStore';
import { lastByKey, run, sql, workspace } from './runnerFixture';
import { DbtRenderer, relationRef } from '../../src/adapters/jinja';

const finals = (events: readonly StepEvent[]) => events.filter((e) => e.status !== 'running').map((e) => `${e.key}:${e.status}`);

test('+customers builds the three seeds, the staging views and customers, in order, into the dbt warehouse', async () => {
  const root = workspace();
  const { summary, events } = await run(root, '+customers');
  assert.equal(summary.status, 'success', summary.error);
  assert.deepEqual(finals(events), [
    'raw_customers:success', 'raw_orders:success', 'raw_payments:success',
    'stg_customers:success', 'stg_orders:success', 'stg_payments:success', 'customers:success',
  ]);
  // Every step announces itself before it ends, with its position in the run; with one thread each
  // step ends before the next starts (their records reach the store in batches meanwhile).
  assert.deepEqual(events[0] && [events[0].key, events[0].status, events[0].index, events[0].total], ['raw_customers', 'running', 0, 7]);
  assert.deepEqual(events.map((e) => `${e.key}:${e.status}`), summary.steps.flatMap((s) => [`${s.key}:running`, `${s.key}:success`]));
  for (const e of events.filter((x) => x.status === 'success')) {
    const started = events.findIndex((x) => x.key === e.key && x.status === 'running');
    assert.ok(started >= 0 && started < events.indexOf(e), `${e.key} runs before it succeeds`);
    assert.equal(events[started]!.index, e.index);
  }
  const rows = Object.fromEntries(summary.steps.map((s) => [s.key, s.rows]));
  assert.deepEqual(rows, { raw_customers: 200, raw_orders: 400, raw_payments: 464, stg_customers: 200, stg_orders: 400, stg_payments: 464, customers: 200 });
  assert.ok(summary.steps.every((s) => typeof s.durationMs === 'number'));

  const kinds = await sql(root, "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1");
  assert.deepEqual(kinds.map((r) => `${r.table_name}:${r.table_type}`), [
    'customers:BASE TABLE', 'raw_customers:BASE TABLE', 'raw_orders:BASE TABLE', 'raw_payments:BASE TABLE',
    'stg_customers:VIEW', 'stg_orders:VIEW', 'stg_payments:VIEW',
  ]);
  // The project macro cents_to_dollars ran: amounts are dollars, not cents.
  const [pay] = await sql(root, 'SELECT (SELECT max(amount) FROM main.stg_payments) * 100 = (SELECT max(amount) FROM main.raw_payments) AS ok');
  assert.equal(pay!.ok, true);
});

test('profiles and check results land in the metadata store and read back per asset', async () => {
  const root = workspace();
  await run(root, '+orders');
  // relationships(customer_id) reads customers, which +orders does not build: the check says so.
  const early = (await lastByKey(root)).get('orders')!.checks!.find((c) => c.name === 'relationships')!;
  assert.equal(early.status, 'error');
  assert.match(early.message!, /customers does not exist/);
  await run(root, '+customers orders');
  const last = await lastByKey(root);
  const orders = last.get('orders')!;
  assert.equal(orders.status, 'success');
  assert.equal(orders.rows, 400);
  assert.equal(orders.relation, 'main.orders');
  assert.equal(orders.profile?.rows, 400);
  const id = orders.profile!.columns.find((c) => c.name === 'order_id')!;
  assert.deepEqual([id.type, id.nullCount, id.nullPct, id.min, id.max, id.mean], ['BIGINT', 0, 0, '1', '400', 200.5]);
  assert.ok(id.approxDistinct > 350 && id.approxDistinct <= 400);
  // var('payment_methods') expanded into one column per method.
  assert.ok(orders.profile!.columns.some((c) => c.name === 'gift_card_amount'));
  assert.deepEqual(orders.checks!.map((c) => `${c.name}${c.column ? `(${c.column})` : ''}:${c.status}`), [
    'unique(order_id):pass', 'not_null(order_id):pass', 'not_null(customer_id):pass', 'relationships(customer_id):pass',
    'accepted_values(status):pass', 'not_null(amount):pass', 'assert_positive_total_for_payments:pass',
  ]);
  // column_types from seeds/properties.yml reach read_csv.
  const orderDate = last.get('raw_orders')!.profile!.columns.find((c) => c.name === 'order_date')!;
  assert.equal(orderDate.type, 'DATE');
  assert.equal(last.get('stg_payments')!.checks!.length, 3);
  // A low-cardinality text column carries its most frequent values, counted as SQL counts them.
  const [statusCounts] = await sql(root, "SELECT list(status || ':' || n ORDER BY n DESC, status) AS l FROM (SELECT status, count(*)::INTEGER AS n FROM main.orders GROUP BY status)");
  const status = orders.profile!.columns.find((c) => c.name === 'status')!;
  assert.deepEqual(status.topValues?.map((v) => `${v.value}:${v.count}`), statusCounts!.l);
  assert.equal(id.topValues, undefined, 'a numeric column has no top values');
});

test('a failing check is reported with its failing rows; the step still succeeds', async () => {
  const root = workspace();
  const yml = readFileSync(join(root, 'models/staging/schema.yml'), 'utf8').replace("values: ['placed', 'shipped', 'completed', 'return_pending', 'returned']", "values: ['placed', 'shipped']");
  writeFileSync(join(root, 'models/staging/schema.yml'), yml);
  const { summary } = await run(root, 'raw_orders stg_orders');
  assert.equal(summary.status, 'success');
  const check = (await lastByKey(root)).get('stg_orders')!.checks!.find((c) => c.name === 'accepted_values')!;
  const [expected] = await sql(root, "SELECT count(*)::INTEGER AS n FROM main.raw_orders WHERE status NOT IN ('placed', 'shipped')");
  assert.equal(check.status, 'fail');
  assert.equal(check.failingRows, expected!.n);
  assert.match(check.message!, /rows with status outside the accepted values/);
});

test('a SQL error mid-run keeps the previous table, skips downstream, and the rest carries on', async () => {
  const root = workspace({ 'models/customer_count.sql': "select count(*) as n from {{ ref('customers') }}\n" });
  assert.equal((await run(root, '+customer_count')).summary.status, 'success');

  const broken = readFileSync(join(root, 'models/customers.sql'), 'utf8').replace('select * from final', 'select no_such_column from final');
  writeFileSync(join(root, 'models/customers.sql'), broken);
  const { summary, events } = await run(root, 'customers+ orders');
  assert.equal(summary.status, 'failed');
  assert.match(summary.error!, /^customers failed: models\/customers\.sql: .*no_such_column/);
  // In plan order.
  assert.deepEqual(summary.steps.map((e) => `${e.key}:${e.status}`), ['customers:failed', 'customer_count:skipped', 'orders:success']);
  assert.match(events.find((e) => e.key === 'customer_count' && e.status === 'skipped')!.note!, /upstream customers failed/);

  const [count] = await sql(root, 'SELECT count(*)::INTEGER AS n FROM main.customers');
  assert.equal(count!.n, 200, 'the previous customers table is intact');
  const staging = await sql(root, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '__assetlens%'");
  assert.deepEqual(staging, []);
  const last = await lastByKey(root);
  assert.equal(last.get('customers')!.status, 'failed');
  assert.match(last.get('customers')!.error!, /no_such_column/);
  assert.equal(last.get('customer_count')!.status, 'success', 'a skipped step does not hide the last real materialization');
  const runs = await (await MetadataStore.open(join(root, metadataFile))).runs();
  assert.deepEqual(runs.map((r) => r.status).sort(), ['failed', 'success']);
});

test('a Jinja error names the model file and line', async () => {
  const root = workspace({ 'models/bad_var.sql': "select 1 as a\n, {{ var('not_defined') }} as b\n" });
  const { summary } = await run(root, 'bad_var');
  assert.equal(summary.status, 'failed');
  assert.match(summary.steps[0]!.error!, /models\/bad_var\.sql line 2: var\('not_defined'\) is not set/);
});

test('cancelling when a step starts stops the run there and marks it cancelled', async () => {
  const root = workspace();
  const controller = new AbortController();
  const { summary, events } = await run(root, '+customers', {
    signal: controller.signal,
    onEvent: (e) => { if (e.key === 'stg_customers' && e.status === 'running') controller.abort(); },
  });
  assert.equal(summary.status, 'cancelled');
  assert.deepEqual(finals(events).slice(3), ['stg_customers:cancelled', 'stg_orders:cancelled', 'stg_payments:cancelled', 'customers:cancelled']);
  const runs = await (await MetadataStore.open(join(root, metadataFile))).runs();
  assert.equal(runs[0]!.status, 'cancelled');
  assert.equal((await sql(root, "SELECT * FROM information_schema.tables WHERE table_name = 'stg_customers'")).length, 0);
});

test('cancelling interrupts a long query in DuckDB', async () => {
  const root = workspace({ 'models/slow.sql': "{{ config(materialized='table') }}\nselect count(*) as n from range(20000000000) t(i) where i % 7 = 3\n" });
  const controller = new AbortController();
  const started = Date.now();
  const { summary } = await run(root, 'slow', {
    signal: controller.signal,
    onEvent: (e) => { if (e.status === 'running') setTimeout(() => controller.abort(), 200); },
  });
  assert.equal(summary.status, 'cancelled');
  assert.equal(summary.steps[0]!.status, 'cancelled');
  assert.ok(Date.now() - started < 5_000, 'the query stopped instead of running to the end');
});

test('incremental models append or merge on unique_key; ephemeral models are inlined', async () => {
  const root = workspace({
    'models/order_log.sql': "{{ config(materialized='incremental') }}\nselect order_id, status from {{ ref('stg_orders') }}\n{% if is_incremental() %}where order_id > (select max(order_id) - 10 from {{ this }}){% endif %}\n",
    'models/order_state.sql': "{{ config(materialized='incremental', unique_key='order_id') }}\nselect order_id, status from {{ ref('stg_orders') }}\n{% if is_incremental() %}where order_id > 390{% endif %}\n",
    'models/big_payments.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('stg_payments') }} where amount > 20 -- trailing comment\n",
    'models/big_payment_count.sql': "select count(*) as n from {{ ref('big_payments') }}\n",
  });
  const first = await run(root, '+order_log +order_state +big_payment_count');
  assert.equal(first.summary.status, 'success', first.summary.error);
  const second = await run(root, 'order_log order_state');
  assert.deepEqual(second.summary.steps.map((s) => [s.key, s.status, s.rows]), [['order_log', 'success', 410], ['order_state', 'success', 400]]);
  const eph = first.summary.steps.find((s) => s.key === 'big_payments')!;
  assert.equal(eph.status, 'skipped');
  assert.match(eph.note!, /inlined/);
  const [n] = await sql(root, 'SELECT n::INTEGER AS n FROM main.big_payment_count');
  const [expected] = await sql(root, 'SELECT count(*)::INTEGER AS n FROM main.stg_payments WHERE amount > 20');
  assert.equal(n!.n, expected!.n);
});

test('Python assets that return SQL run in DuckDB; a Python body is skipped with a note, never faked', async () => {
  const root = workspace();
  mkdirSync(join(root, 'defs'));
  writeFileSync(join(root, 'defs/assets.py'), [
    'from dagster import asset', '',
    '@asset(deps=["stg_orders"])', 'def order_count():', `    return "select count(*) as n from {{ ref('stg_orders') }}"`, '',
    '@asset', 'def first_orders(stg_orders):', '    return "select * from {{ stg_orders }} order by order_id limit 5"', '',
    '@asset', 'def py_only(stg_orders):', '    return stg_orders.head()', '',
  ].join('\n'));
  const { summary } = await run(root, '+order_count first_orders py_only');
  assert.equal(summary.status, 'success', summary.error);
  const steps = new Map(summary.steps.map((s) => [s.key, s]));
  assert.deepEqual([steps.get('order_count')!.status, steps.get('first_orders')!.rows], ['success', 5]);
  assert.deepEqual([steps.get('py_only')!.status, steps.get('py_only')!.note], ['skipped', PYTHON_NOTE]);
  const [n] = await sql(root, 'SELECT n::INTEGER AS n FROM main.order_count');
  assert.equal(n!.n, 400);
  assert.equal((await lastByKey(root)).has('py_only'), false, 'nothing is recorded as materialized for the skipped Python asset');
});

test('a warehouse locked by another process fails the run with a message naming the file', async () => {
  const root = workspace();
  const file = join(root, 'jaffle_shop.duckdb');
  const holder = spawn(process.execPath, ['-e', `
    const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(${JSON.stringify(file)}).then(() => { console.log('ready'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); });
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await once(holder.stdout!, 'data');
    const { summary } = await run(root, 'raw_customers');
    assert.equal(summary.status, 'failed');
    assert.ok(summary.error!.includes(file), summary.error);
    assert.match(summary.error!, /locked by another process \(PID \d+/);
    assert.equal(summary.steps[0]!.status, 'skipped');
  } finally {
    holder.stdin!.end();
    await once(holder, 'exit');
  }
});

test('a run waits for a warehouse another process holds, saying so, and runs once it is let go', async () => {
  const root = workspace();
  const file = join(root, 'jaffle_shop.duckdb');
  const holder = spawn(process.execPath, ['-e', `
    const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(${JSON.stringify(file)}).then(() => { console.log('ready'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); });
  `], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(holder.stdout!, 'data');
  const exited = once(holder, 'exit');
  const waits: string[] = [];
  // The holder lets go as soon as the run says it waits: the run must then go on, not fail.
  const { summary } = await run(root, 'raw_customers', { onWaiting: (m) => { if (!waits.length) holder.stdin!.end(); waits.push(m); } });
  await exited;
  assert.ok(waits.length >= 1, 'the run said it was waiting');
  assert.match(waits[0]!, new RegExp(`waiting for the warehouse .*jaffle_shop\\.duckdb: another process \\(PID \\d+`));
  assert.equal(summary.status, 'success', summary.error);
  assert.equal(summary.steps[0]!.rows, 200);
});

test('a run left running by a killed process reads as failed (interrupted) when the store is opened again', async () => {
  const root = workspace();
  const path = join(root, metadataFile);
  const storeModule = resolve('src/adapters/metadataStore.ts');
  const script = join(root, 'crash.mts');
  writeFileSync(script, `
    import { MetadataStore } from ${JSON.stringify(storeModule)};
    const store = await MetadataStore.open(${JSON.stringify(path)});
    await store.beginRun({ id: 'crashed-run', selection: '+customers', startedAt: new Date().toISOString() });
    process.kill(process.pid, 'SIGKILL');
  `);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  const store = await MetadataStore.open(path);
  const [crashed] = await store.runs();
  assert.deepEqual([crashed!.id, crashed!.status, crashed!.error], ['crashed-run', 'failed', INTERRUPTED]);
});

test('the dbt renderer handles macros, vars, env_var, loops, set blocks and whitespace control', () => {
  const macros = new Map([['macros/m.sql', '{% macro money(col, scale=2) -%}\nround({{ col }} / 100.0, {{ scale }})\n{%- endmacro %}\n{% macro twice(c) %}{{ money(c) }} + {{ money(c) }}{% endmacro %}']]);
  const r = DbtRenderer.for(macros);
  const ctx = {
    ref: (name: string, pkg: string | undefined) => relationRef({ schema: pkg ?? 'main', identifier: name }),
    source: (s: string, t: string) => relationRef({ schema: s, identifier: t }),
    this: relationRef({ schema: 'main', identifier: 'me' }),
    vars: { cols: ['a', 'b'] }, target: { name: 'dev', schema: 'main', type: 'duckdb' as const }, isIncremental: false,
    env: { REGION: 'eu' },
  };
  const out = r.render('m.sql', [
    "{%- set cols = var('cols') -%}",
    "select {% for c in cols %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}, {{ twice('x') }}",
    "from {{ ref('m') }} join {{ ref('pkg', 'n') }} using (id) join {{ source('raw', 'events') }} using (id)",
    "where region = '{{ env_var('REGION') }}' and '{{ env_var('NOPE', 'dflt') }}' = '{{ var('missing', 'd') }}' -- {{ this }} {{ target.type }}{% if is_incremental() %} inc{% endif %}",
  ].join('\n'), ctx);
  assert.equal(out, [
    'select a, b, round(x / 100.0, 2) + round(x / 100.0, 2)',
    'from "main"."m" join "pkg"."n" using (id) join "raw"."events" using (id)',
    `where region = 'eu' and 'dflt' = 'd' -- "main"."me" duckdb`,
  ].join('\n'));
});

test('with 4 threads independent steps overlap, each still waits for its upstream, and results match', async () => {
  const root = workspace({ 'models/staging/stg_orders.sql': "select id as order_id, user_id as customer_id, order_date, status, no_such_column from {{ ref('raw_orders') }}" });
  const { summary, events } = await run(root, '*', { threads: 4 });
  const order = events.map((e) => `${e.key}:${e.status}`);
  // raw_orders → stg_orders fails → customers and orders are skipped; the rest succeed.
  assert.equal(summary.status, 'failed');
  assert.deepEqual(Object.fromEntries(summary.steps.map((s) => [s.key, s.status])), {
    raw_customers: 'success', raw_orders: 'success', raw_payments: 'success', stg_customers: 'success', stg_orders: 'failed', stg_payments: 'success', customers: 'skipped', orders: 'skipped',
  });
  assert.deepEqual(summary.steps.map((s) => s.index), [0, 1, 2, 3, 4, 5, 6, 7], 'the summary lists steps in plan order');
  // Several steps were running at the same time: a second 'running' arrives before the first one ends.
  assert.ok(order.indexOf('raw_orders:running') < order.indexOf('raw_customers:success'), order.join(' '));
  for (const [down, up] of [['stg_customers', 'raw_customers'], ['stg_payments', 'raw_payments']]) {
    assert.ok(order.indexOf(`${down}:running`) > order.indexOf(`${up}:success`), `${down} starts after ${up} ends`);
  }
  const last = await lastByKey(root);
  assert.equal(last.get('stg_payments')?.rows, 464);
  assert.equal(last.get('stg_orders')?.status, 'failed');
});
