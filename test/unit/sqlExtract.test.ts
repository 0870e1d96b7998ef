import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSql } from '../../src/core/dbt/sqlExtract';

const lines = (...l: string[]) => l.join('\n');

test('finds ref, two-argument ref, versioned ref and source with positions', () => {
  const x = extractSql(lines(
    "select * from {{ ref('stg_orders') }}",
    "join {{ ref(\"other_pkg\", \"dim\") }} using (id)",
    "join {{ ref('m', v=2) }} using (id)",
    "join {{ source('raw', 'events') }} using (id)",
  ));
  assert.deepEqual(x.refs.map((r) => [r.package, r.name, r.version, r.line, r.startCol]), [
    [undefined, 'stg_orders', undefined, 0, 22], ['other_pkg', 'dim', undefined, 1, 26], [undefined, 'm', 2, 2, 13],
  ]);
  assert.deepEqual(x.sources.map((s) => [s.source, s.table, s.line]), [['raw', 'events', 3]]);
  assert.equal(x.dynamic, undefined);
});

test('reads config() keyword literals and marks non-literal calls dynamic', () => {
  const x = extractSql("{{ config(materialized='incremental', unique_key='id', tags=['a', \"b\"], enabled=True) }}\nselect * from {{ ref(var('model')) }}");
  assert.deepEqual(x.config, { materialized: 'incremental', unique_key: 'id', tags: ['a', 'b'], enabled: true });
  assert.match(x.dynamic ?? '', /ref\(var\('model'\)\)/);
});

test('ignores refs in Jinja and SQL comments and outside Jinja blocks', () => {
  const x = extractSql("{# {{ ref('gone') }} #}\n-- ref('also_gone')\nselect 'ref(''x'')' as t from {{ ref('kept') }}");
  assert.deepEqual(x.refs.map((r) => r.name), ['kept']);
});

test('reports unclosed tags and unbalanced blocks with their lines', () => {
  const x = extractSql("select 1\n{% if is_incremental() %}\nwhere x > 1\n{{ ref('a') \n");
  assert.deepEqual(x.problems.map((p) => [p.line, p.message]), [
    [3, "Unclosed '{{': expected '}}'"],
    [1, "'{% if %}' is never closed with '{% endif %}'"],
  ]);
});

test('finds snapshot blocks and macro definitions', () => {
  const x = extractSql("{% snapshot orders_snap %}\n{{ config(strategy='timestamp') }}\nselect * from {{ source('s','orders') }}\n{% endsnapshot %}\n{% macro m(x) %}{% endmacro %}");
  assert.deepEqual(x.snapshots.map((s) => [s.name, s.line]), [['orders_snap', 0]]);
  assert.deepEqual(x.macros.map((m) => m.name), ['m']);
  assert.equal(x.config.strategy, 'timestamp');
});
