// Refs the static fast path cannot see are found by rendering, as dbt does at parse time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { captureDeps } from '../../src/adapters/depCapture';
import { keyFromString } from '../../src/core/model';

function index(files: Record<string, string>): WorkspaceIndex {
  const ix = new WorkspaceIndex({ captureDeps });
  ix.setFile('dbt_project.yml', "name: vault\nprofile: vault\nvars:\n  upstream_model: hub_customer\n  sats: ['sat_a', 'sat_b']\n");
  for (const [p, t] of Object.entries(files)) ix.setFile(p, t);
  return ix;
}

test('refs built from vars, loops and macros (also in installed packages) become edges', () => {
  const g = index({
    'models/hub_customer.sql': 'select 1 as id',
    'models/sat_a.sql': 'select 1 as id',
    'models/sat_b.sql': 'select 1 as id',
    'models/link.sql': 'select 1 as id',
    'models/from_var.sql': "select * from {{ ref(var('upstream_model')) }}",
    'models/from_loop.sql': "{% for s in var('sats') %}select * from {{ ref(s) }}{% if not loop.last %} union all {% endif %}{% endfor %}",
    'macros/hub.sql': "{% macro hub_of(name) %}select * from {{ ref(name) }}{% endmacro %}",
    'models/from_macro.sql': "{{ hub_of('hub_customer') }}",
    'dbt_packages/dv/macros/link.sql': "{% macro dv_link() %}select * from {{ ref('link') }}{% endmacro %}",
    'models/from_package.sql': '{{ dv_link() }}',
  }).graph();
  assert.deepEqual(g.upstream.get(keyFromString('from_var')), ['hub_customer']);
  assert.deepEqual(g.upstream.get(keyFromString('from_loop')), ['sat_a', 'sat_b']);
  assert.deepEqual(g.upstream.get(keyFromString('from_macro')), ['hub_customer']);
  assert.deepEqual(g.upstream.get(keyFromString('from_package')), ['link']);
  assert.deepEqual(g.diagnostics, []);
});

test('a model that cannot be rendered keeps its literal refs and says why', () => {
  const g = index({
    'models/a.sql': 'select 1',
    'models/broken.sql': "select * from {{ ref('a') }} join {{ ref(unknown_fn()) }}",
  }).graph();
  assert.deepEqual(g.upstream.get(keyFromString('broken')), ['a']);
  assert.equal(g.diagnostics.length, 1);
  assert.match(g.diagnostics[0]!.message, /^Could not render this model to find all its refs: /);
  assert.equal(g.diagnostics[0]!.file, 'models/broken.sql');
});
