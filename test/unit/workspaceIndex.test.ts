import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadWorkspace } from '../../src/adapters/workspaceFs';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { toGraphDto, referenceAt, hoverMarkdown } from '../../src/core/present';
import { keyFromString } from '../../src/core/model';

const sample = 'seeds/jaffle_shop';

test('the jaffle_shop sample indexes to its expected graph exactly', () => {
  const expected = JSON.parse(readFileSync(`${sample}/expected_graph.json`, 'utf8'));
  const dto = toGraphDto(loadWorkspace(sample).graph());
  const actual = {
    assets: dto.assets.map((a) => ({ key: a.key, kind: a.kind, file: a.file, line: a.line, deps: a.deps, ...(a.dbt ? { dbt: a.dbt } : {}), materialized: a.materialized, relation: a.relation })),
    diagnostics: dto.diagnostics,
  };
  assert.deepEqual(actual, expected);
  assert.equal(dto.assets.length, 8);
  assert.equal(dto.assets.reduce((n, a) => n + a.deps.length, 0), 8);
});

test('YAML tests, column docs, singular tests and seed column_types reach the assets', () => {
  const g = loadWorkspace(sample).graph();
  const orders = g.assets.get(keyFromString('orders'))!;
  assert.deepEqual(orders.tests.map((t) => `${t.name}${t.column ? `(${t.column})` : ''}:${t.severity}`), [
    'unique(order_id):error', 'not_null(order_id):error', 'not_null(customer_id):error', 'relationships(customer_id):error',
    'accepted_values(status):error', 'not_null(amount):error', 'assert_positive_total_for_payments:error',
  ]);
  assert.deepEqual(orders.tests.find((t) => t.name === 'relationships')!.args, { to: "ref('customers')", field: 'customer_id' });
  assert.equal(orders.columns.find((c) => c.name === 'customer_id')!.description, 'Foreign key to the customers table');
  assert.deepEqual(g.assets.get(keyFromString('raw_orders'))!.columnTypes, { order_date: 'date' });
  assert.equal(g.projects[0]!.warehouse, 'jaffle_shop.duckdb');
});

function tinyProject(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('dbt_project.yml', "name: p\nprofile: p\nmodels:\n  p:\n    marts:\n      +materialized: table\n      +schema: analytics\n");
  for (const [p, t] of Object.entries(files)) index.setFile(p, t);
  return index;
}

test('an unknown ref is a diagnostic naming file, line and the closest model', () => {
  const g = tinyProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select *\nfrom {{ ref('aa') }}" }).graph();
  assert.deepEqual(g.diagnostics, [{ file: 'models/b.sql', line: 2, column: 14, severity: 'error', message: "ref('aa') does not match any model, seed or snapshot. Did you mean 'a'?" }]);
});

test('project config tree, property YAML and config() follow dbt precedence; custom schema shapes key and relation', () => {
  const g = tinyProject({
    'models/marts/m.sql': "{{ config(alias='m_final') }}\nselect 1",
    'models/marts/n.sql': 'select 1',
    'models/marts/props.yml': 'version: 2\nmodels:\n  - name: n\n    config:\n      materialized: view\n      enabled: false\n',
  }).graph();
  const m = g.assets.get(keyFromString('analytics/m'))!;
  assert.equal(m.materialized, 'table');
  assert.deepEqual(m.relation, { schema: 'main_analytics', identifier: 'm_final' });
  assert.equal(g.assets.has(keyFromString('analytics/n')), false, 'disabled nodes leave the graph');
});

test('a broken file costs that file only; an edit re-links', () => {
  const index = tinyProject({ 'models/a.sql': 'select 1', 'models/b.sql': "select * from {{ ref('a') }}", 'models/bad.yml': 'models: [\n  - name: x\n' });
  let g = index.graph();
  assert.equal(g.assets.size, 2);
  assert.equal(g.diagnostics.length, 1);
  assert.equal(g.diagnostics[0]!.file, 'models/bad.yml');
  assert.match(g.diagnostics[0]!.message, /^YAML: /);
  assert.equal(index.setFile('models/b.sql', "select * from {{ ref('a') }}"), false, 'same text: nothing to do');
  index.setFile('models/c.sql', "select * from {{ ref('b') }}");
  g = index.graph();
  assert.deepEqual(g.order, ['a', 'b', 'c']);
  index.deleteFile('models/a.sql');
  assert.match(index.graph().diagnostics.map((d) => d.message).join('\n'), /ref\('a'\) does not match/);
});

test('references resolve for go-to-definition, and the hover names the asset', () => {
  const g = loadWorkspace(sample).graph();
  const text = readFileSync(`${sample}/models/orders.sql`, 'utf8').split('\n');
  const line = text.findIndex((l) => l.includes("ref('stg_orders')"));
  const ref = referenceAt(g, 'models/orders.sql', line, text[line]!.indexOf('stg_orders') + 2)!;
  assert.equal(ref.target, 'stg_orders');
  const md = hoverMarkdown(g, ref.target, undefined, new Date());
  assert.match(md, /\*\*stg\\_orders\*\* — dbt model \(view\)/);
  assert.match(md, /Never materialized/);
  assert.match(md, /Upstream 1 · Downstream 2/);
});

test('completion offers models in ref(, sources and their tables in source(, and keys in deps=[', async () => {
  const { completionsAt } = await import('../../src/core/complete');
  const index = tinyProject({
    'models/a.sql': 'select 1', 'models/b.sql': 'select 2',
    'models/src.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n      - name: customers\n',
  });
  const g = index.graph();
  assert.deepEqual(completionsAt(g, 'models/c.sql', "select * from {{ ref('").map((c) => c.label).sort(), ['a', 'b']);
  assert.deepEqual(completionsAt(g, 'models/c.sql', 'select * from {{ source("').map((c) => c.label), ['raw']);
  assert.deepEqual(completionsAt(g, 'models/c.sql', "{{ source('raw', 'c").map((c) => c.label).sort(), ['customers', 'orders']);
  assert.deepEqual(completionsAt(g, 'defs/x.py', '@asset(deps=["raw/').map((c) => c.label).sort(), ['a', 'b', 'raw/customers', 'raw/orders']);
  assert.deepEqual(completionsAt(g, 'models/c.sql', 'select * from a'), []);
});
