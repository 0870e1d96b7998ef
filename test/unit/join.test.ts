// A multi-root workspace: each folder indexed alone, then joined. Split stargazer in two folders
// (dbt_project_2 on its own) and the joined graph must be the one-folder graph: same keys, same
// edges across the folder boundary, no diagnostics about deps the other folder defines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { listWorkspaceFiles } from '../../src/adapters/workspaceFs';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { joinGraphs } from '../../src/core/join';
import { keyFromString } from '../../src/core/model';

const seed = 'seeds/stargazer';

async function folder(files: readonly string[], strip = ''): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex({ parsePython: await loadPythonParser() });
  for (const f of files) index.setFile(f.slice(strip.length), readFileSync(`${seed}/${f}`, 'utf8'));
  return index;
}

test('two folders join into the graph one folder gives: keys, edges and no unresolved deps', async () => {
  const all = listWorkspaceFiles(seed);
  const a = await folder(all.filter((f) => !f.startsWith('dbt_project_2/')));
  const b = await folder(all.filter((f) => f.startsWith('dbt_project_2/')), 'dbt_project_2/');
  const g = joinGraphs([{ prefix: 'one', graph: a.graph() }, { prefix: 'two', graph: b.graph() }]);
  const expected = JSON.parse(readFileSync(`${seed}/expected_graph.json`, 'utf8')) as { assets: { key: string; deps: string[]; file: string }[] };
  assert.deepEqual([...g.assets.values()].map((x) => [x.key, x.deps]), expected.assets.map((x) => [x.key, x.deps]));
  const join = g.assets.get(keyFromString('mart/mart_gh_join'))!;
  assert.equal(join.file, 'two/models/mart/mart_gh_join.sql');
  assert.equal(g.assets.get(keyFromString('mart/mart_gh_stargazer'))!.file, 'one/dbt_project_1/models/mart/mart_gh_stargazer.sql', 'the source joins the model of the other folder');
  assert.deepEqual(g.downstream.get(keyFromString('mart/mart_gh_stargazer')), ['mart/mart_gh_join']);
  assert.deepEqual(g.diagnostics, []);
  assert.equal(g.order.indexOf(keyFromString('mart/mart_gh_stargazer')) < g.order.indexOf(keyFromString('mart/mart_gh_join')), true);
});

test("a dep one folder cannot resolve resolves in the other: ref by name, a Python key, and go-to-definition's reference", async () => {
  const dbt = new WorkspaceIndex();
  dbt.setFile('dbt_project.yml', 'name: shop\nprofile: shop\n');
  dbt.setFile('models/customers.sql', 'select 1 as id');
  const py = new WorkspaceIndex({ parsePython: await loadPythonParser() });
  py.setFile('defs/report.py', 'import dagster as dg\n\n@dg.asset(deps=["customers"])\ndef report() -> None:\n    ...\n\n@dg.asset(deps=["nowhere"])\ndef lost() -> None:\n    ...\n');
  assert.match(py.graph().diagnostics.map((d) => d.message).join('\n'), /'customers' does not match/);
  const g = joinGraphs([{ prefix: 'shop', graph: dbt.graph() }, { prefix: 'orchestration', graph: py.graph() }]);
  assert.deepEqual(g.assets.get(keyFromString('report'))!.deps, ['customers']);
  assert.deepEqual(g.upstream.get(keyFromString('report')), ['customers']);
  const ref = g.references.find((r) => r.file === 'orchestration/defs/report.py' && r.target === 'customers');
  assert.ok(ref, 'a reference for go-to-definition across folders');
  assert.equal(ref.line, 2);
  assert.deepEqual(g.diagnostics.map((d) => [d.file, d.message.split('.')[0]]), [['orchestration/defs/report.py', "Dependency 'nowhere' does not match any asset in the workspace"]]);
});

test('the same key defined in two folders is a duplicate, named with both places', async () => {
  const one = new WorkspaceIndex();
  one.setFile('dbt_project.yml', 'name: a\n');
  one.setFile('models/x.sql', 'select 1');
  const two = new WorkspaceIndex();
  two.setFile('dbt_project.yml', 'name: b\n');
  two.setFile('models/x.sql', 'select 2');
  const g = joinGraphs([{ prefix: 'one', graph: one.graph() }, { prefix: 'two', graph: two.graph() }]);
  assert.equal(g.assets.size, 1);
  assert.deepEqual(g.diagnostics.map((d) => [d.file, d.message]), [['two/models/x.sql', "Duplicate asset key 'x' (also defined in one/models/x.sql:1)"]]);
});
