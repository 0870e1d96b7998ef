// dbt's Jinja context beyond ref/source/var, snapshots and seed options, on the jaffle_shop sample:
// what the built tables hold and what a user reads when something is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, sql, workspace } from './runnerFixture';

test('log, return, adapter.dispatch, run_query, invocation_id, run_started_at and modules.datetime render as in dbt', async () => {
  const root = workspace({
    'macros/helpers.sql': [
      "{% macro status_list() %}{% set r = run_query('select distinct status from main.raw_orders order by 1') %}{{ return(r.columns[0].values()) }}{% endmacro %}",
      "{% macro default__label(x) %}'default {{ x }}'{% endmacro %}",
      "{% macro duckdb__label(x) %}'duck {{ x }}'{% endmacro %}",
      "{% macro label(x) %}{{ return(adapter.dispatch('label')(x)) }}{% endmacro %}",
      "{% macro only_default() %}{{ return(adapter.dispatch('fallback')()) }}{% endmacro %}",
      "{% macro default__fallback() %}'fell back'{% endmacro %}",
    ].join('\n'),
    'models/context_probe.sql': [
      "{{ config(materialized='table') }}",
      "{{ log('probing the context', info=True) }}",
      "{% set n = run_query('select count(*) from main.raw_orders')[0][0] %}",
      'select {{ n }} as order_count,',
      "  '{{ status_list() | join(',') }}' as statuses,",
      '  {{ label(1) }} as label, {{ only_default() }} as fallback,',
      "  '{{ invocation_id }}' as invocation_id,",
      "  '{{ run_started_at.strftime('%Y') }}' as year,",
      "  '{{ modules.datetime.datetime.strptime('2024-03-01', '%Y-%m-%d').isoformat() }}' as parsed,",
      "  {{ modules.datetime.timedelta(days=2).total_seconds() }} as two_days",
      "from {{ ref('raw_orders') }} limit 1",
    ].join('\n'),
  });
  const logs: string[] = [];
  const { summary } = await run(root, '+context_probe', { onLog: (key, m) => logs.push(`${key}: ${m}`) });
  assert.equal(summary.status, 'success', summary.error);
  const [row] = await sql(root, 'SELECT order_count::INTEGER AS order_count, statuses, label, fallback, invocation_id, year, parsed, two_days::INTEGER AS two_days FROM main.context_probe');
  assert.deepEqual(row, {
    order_count: 400, statuses: 'completed,placed,return_pending,returned,shipped', label: 'duck 1', fallback: 'fell back',
    invocation_id: summary.runId, year: summary.startedAt.slice(0, 4), parsed: '2024-03-01T00:00:00.000000+00:00', two_days: 172800,
  });
  assert.ok(logs.includes('context_probe: probing the context'), logs.join('\n'));
});

test('run_query with bad SQL fails the step with DuckDB’s reason', async () => {
  const root = workspace({ 'models/bad_query.sql': "{% set r = run_query('select * from nowhere') %}\nselect 1 as a\n" });
  const { summary } = await run(root, 'bad_query');
  assert.match(summary.steps[0]!.error!, /run_query failed: .*nowhere/);
});

const snapshotSql = (strategy: string) => [
  '{% snapshot customer_history %}',
  `{{ config(target_schema='snapshots', unique_key='id', ${strategy}) }}`,
  "select * from {{ ref('customer_updates') }}",
  '{% endsnapshot %}', '',
].join('\n');

async function history(root: string) {
  return sql(root, `SELECT id::INTEGER AS id, name, dbt_valid_to IS NULL AS current, dbt_scd_id IS NOT NULL AS has_id,
    dbt_valid_from = dbt_updated_at AS from_is_updated FROM snapshots.customer_history ORDER BY id, dbt_valid_from`);
}

for (const [strategy, config] of [['timestamp', "strategy='timestamp', updated_at='updated_at'"], ['check', "strategy='check', check_cols=['name']"]] as const) {
  test(`a ${strategy} snapshot keeps the old version of a changed row and adds the new one`, async () => {
    const root = workspace({
      'seeds/customer_updates.csv': 'id,name,updated_at\n1,Ann,2024-01-01 00:00:00\n2,Bob,2024-01-01 00:00:00\n',
      'snapshots/customer_history.sql': snapshotSql(config),
    });
    const first = await run(root, '+customer_history');
    assert.equal(first.summary.status, 'success', first.summary.error);
    assert.equal(first.summary.steps.find((s) => s.key === 'customer_history')!.rows, 2);
    writeFileSync(join(root, 'seeds/customer_updates.csv'), 'id,name,updated_at\n1,Ann,2024-01-01 00:00:00\n2,Robert,2024-02-01 00:00:00\n3,Cy,2024-02-01 00:00:00\n');
    const second = await run(root, '+customer_history');
    assert.equal(second.summary.status, 'success', second.summary.error);
    assert.deepEqual((await history(root)).map((r) => [r.id, r.name, r.current]), [[1, 'Ann', true], [2, 'Bob', false], [2, 'Robert', true], [3, 'Cy', true]]);
    assert.ok((await history(root)).every((r) => r.has_id && r.from_is_updated));
    const third = await run(root, 'customer_history');
    assert.equal(third.summary.steps[0]!.rows, 4, 'an unchanged source adds no versions');
  });
}

test('a snapshot without a strategy fails with what its config needs', async () => {
  const root = workspace({ 'snapshots/customer_history.sql': snapshotSql("updated_at='x'"), 'seeds/customer_updates.csv': 'id,name\n1,a\n' });
  const { summary } = await run(root, '+customer_history');
  assert.match(summary.steps.find((s) => s.key === 'customer_history')!.error!, /Snapshot customer_history needs strategy 'timestamp' or 'check'/);
});

test('seeds honour delimiter and quote_columns; quoted values keep their delimiters', async () => {
  const root = workspace({
    'seeds/semi.csv': 'id;label\n1;"a;b"\n2;c\n',
    'seeds/semi.yml': 'version: 2\nseeds:\n  - name: semi\n    config:\n      delimiter: ";"\n      quote_columns: true\n',
  });
  const { summary } = await run(root, 'semi');
  assert.equal(summary.status, 'success', summary.error);
  assert.deepEqual(await sql(root, 'SELECT id::INTEGER AS id, label FROM main.semi ORDER BY id'), [{ id: 1, label: 'a;b' }, { id: 2, label: 'c' }]);
});

test('a seed with bad rows fails with the file and line, and the previous table stays', async () => {
  const root = workspace();
  await run(root, 'raw_customers');
  writeFileSync(join(root, 'seeds/raw_customers.csv'), 'id,first_name,last_name\n1,Paul,L.\n2,Norma,R.,extra\n');
  const ragged = (await run(root, 'raw_customers')).summary.steps[0]!;
  assert.equal(ragged.status, 'failed');
  assert.equal(ragged.error, 'seeds/raw_customers.csv line 3: 4 values, but the header has 3 columns');
  assert.equal(ragged.errorLine, 3);
  assert.equal((await sql(root, 'SELECT count(*)::INTEGER AS n FROM main.raw_customers'))[0]!.n, 200);

  writeFileSync(join(root, 'seeds/raw_orders.csv'), 'id,user_id,order_date,status\n1,1,2018-01-01,placed\n2,1,not a date,placed\n');
  const typed = (await run(root, 'raw_orders')).summary.steps[0]!;
  assert.match(typed.error!, /^seeds\/raw_orders\.csv line 3: .*not a date.*\(column "order_date"\)/);
  assert.equal(typed.errorLine, 3);
});
