// dbt exposures: read from property YAML into the graph downstream of what they depend on, with
// references on their depends_on entries and a hover that says what they are; nothing refs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { hoverMarkdown, referenceAt } from '../../src/core/present';
import { keyFromString } from '../../src/core/model';
import { parseSelection, resolveSelection } from '../../src/core/selection';

const exposures = [
  'version: 2',
  'exposures:',
  '  - name: weekly_dashboard',
  '    label: Weekly',
  '    type: dashboard',
  '    maturity: high',
  '    url: https://bi.example/d/1',
  '    description: Orders by week.',
  '    depends_on:',
  "      - ref('orders')",
  '      - source("raw", "payments")',
  "      - metric('count_orders')",
  '    owner:',
  '      name: Ana',
  '      email: ana@example.com',
  '  - name: lost_notebook',
  '    type: notebook',
  "    depends_on: [ref('nope')]",
  '',
].join('\n');

function project(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('dbt_project.yml', 'name: shop\nprofile: shop\n');
  index.setFile('models/sources.yml', 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: payments\n');
  index.setFile('models/orders.sql', "select * from {{ source('raw', 'payments') }}");
  index.setFile('models/exposures.yml', exposures);
  return index;
}

test('an exposure is a node downstream of its refs and sources, on its YAML line', () => {
  const g = project().graph();
  const e = g.assets.get(keyFromString('weekly_dashboard'))!;
  assert.equal(e.kind, 'exposure');
  assert.equal(e.file, 'models/exposures.yml');
  assert.equal(e.line, 3);
  assert.deepEqual(e.deps, ['orders', 'raw/payments']);
  assert.equal(e.dbt?.uniqueId, 'exposure.shop.weekly_dashboard');
  assert.deepEqual(e.exposure, { type: 'dashboard', owner: 'Ana ana@example.com', url: 'https://bi.example/d/1', maturity: 'high' });
  assert.deepEqual(g.downstream.get(keyFromString('orders')), ['weekly_dashboard']);
  assert.deepEqual(resolveSelection(g, parseSelection('+weekly_dashboard')), ['raw/payments', 'orders', 'weekly_dashboard']);
});

test("depends_on entries are references for go-to-definition; an unknown ref is a diagnostic on its line", () => {
  const g = project().graph();
  const r = referenceAt(g, 'models/exposures.yml', 9, 15)!;
  assert.equal(r.target, 'orders');
  assert.equal(r.startCol, 13);
  assert.equal(referenceAt(g, 'models/exposures.yml', 10, 23)?.target, 'raw/payments');
  assert.deepEqual(g.diagnostics.map((d) => [d.file, d.line, d.message.split('.')[0]]), [['models/exposures.yml', 18, "ref('nope') does not match any model, seed or snapshot"]]);
});

test('nothing can ref an exposure, and its hover says what it is instead of a run', () => {
  const index = project();
  index.setFile('models/uses.sql', "select * from {{ ref('weekly_dashboard') }}");
  const g = index.graph();
  assert.ok(g.diagnostics.some((d) => d.file === 'models/uses.sql' && /ref\('weekly_dashboard'\) does not match/.test(d.message)));
  const card = hoverMarkdown(g, keyFromString('weekly_dashboard'), undefined, new Date());
  assert.match(card, /\*\*weekly\\_dashboard\*\* — dbt exposure/);
  assert.match(card, /Type: dashboard \(maturity high\)/);
  assert.match(card, /Owner: Ana ana@example.com/);
  assert.match(card, /Upstream 2 · Downstream 0/);
  assert.doesNotMatch(card, /Never materialized/);
});
