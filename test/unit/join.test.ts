// A multi-root workspace: each folder indexed alone, then joined. Split stargazer in two folders
// (dbt_project_2 on its own) and the joined graph must be the one-folder graph: same keys, same
// edges across the folder boundary, no diagnostics about deps the other folder defines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { listWorkspaceFiles } from '../../src/adapters/workspaceFs';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { joinGraphs, rejoin, type Joined } from '../../src/core/join';
import type { Graph } from '../../src/core/graph';
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

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** What a user sees of a graph, with references in a stable order. */
function seen(g: Graph): unknown {
  const refs = [...g.references].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.startCol - b.startCol);
  return { assets: [...g.assets.entries()], up: [...g.upstream.entries()], down: [...g.downstream.entries()], order: g.order, diagnostics: JSON.parse(JSON.stringify(g.diagnostics)), refs };
}

test('edits in one folder patch the joined graph into the graph a join from scratch gives', () => {
  const r = rng(13);
  const n = 30;
  // Folder a refs models of folder b (resolved only by the join); b refs its own models; some refs name nothing.
  const a = new WorkspaceIndex(), b = new WorkspaceIndex();
  a.setFile('dbt_project.yml', 'name: a\n');
  b.setFile('dbt_project.yml', 'name: b\n');
  const body = (own: string, other: string) => Array.from({ length: Math.floor(r() * 3) }, () => {
    const x = r();
    return `select * from {{ ref('${x < 0.45 ? other : x < 0.9 ? own : 'missing'}${Math.floor(r() * n)}') }}`;
  }).join('\nunion all\n') || 'select 1';
  for (let i = 0; i < n; i++) { a.setFile(`models/a${i}.sql`, body('a', 'b')); b.setFile(`models/b${i}.sql`, body('b', 'a')); }
  let joined: Joined | undefined;
  const parts = () => [{ prefix: 'one', graph: a.graph() }, { prefix: 'two', graph: b.graph() }];
  joined = rejoin(joined, parts());
  let patched = 0;
  for (let step = 0; step < 120; step++) {
    const [index, own, other] = r() < 0.5 ? [a, 'a', 'b'] : [b, 'b', 'a'];
    index.setFile(`models/${own}${Math.floor(r() * n)}.sql`, body(own, other));
    const before = joined;
    joined = rejoin(joined, parts());
    if (joined.owner === before.owner) patched++;
    assert.deepEqual(seen(joined.graph), seen(joinGraphs(parts())), `after edit ${step}`);
  }
  assert.ok(patched > 100, `only ${patched} edits patched the joined graph`);
});
