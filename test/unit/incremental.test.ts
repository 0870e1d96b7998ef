// An index patched edit after edit must equal an index built from scratch on the same files: same
// assets, edges, topological order, diagnostics (cycles included) and references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import type { Graph } from '../../src/core/graph';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const project = "name: p\nprofile: p\n";

/** A model reading up to three random others (cycles included: the index must name them). */
function model(r: () => number, n: number): string {
  const refs = Array.from({ length: Math.floor(r() * 4) }, () => `select * from {{ ref('m${Math.floor(r() * n)}') }}`);
  return refs.length ? refs.join('\nunion all\n') : 'select 1 as id';
}

/** `n` models, each reading one lower-numbered model, indexed (and linked) once. */
function chain(r: () => number, n: number): { files: Map<string, string>; index: WorkspaceIndex } {
  const files = new Map<string, string>([['dbt_project.yml', project]]);
  for (let i = 0; i < n; i++) files.set(`models/m${i}.sql`, i === 0 ? 'select 1 as id' : `select * from {{ ref('m${Math.floor(r() * i)}') }}`);
  const index = new WorkspaceIndex();
  for (const [p, t] of files) index.setFile(p, t);
  index.graph();
  return { files, index };
}

function fresh(files: Map<string, string>): Graph {
  const index = new WorkspaceIndex();
  for (const [p, t] of files) index.setFile(p, t);
  return index.graph();
}

function assertSame(patched: Graph, full: Graph, step: number): void {
  const msg = `after edit ${step}`;
  assert.deepEqual([...patched.assets.entries()], [...full.assets.entries()], msg);
  assert.deepEqual([...patched.upstream.entries()], [...full.upstream.entries()], msg);
  assert.deepEqual([...patched.downstream.entries()], [...full.downstream.entries()], msg);
  assert.deepEqual(patched.order, full.order, msg);
  assert.deepEqual(patched.diagnostics, full.diagnostics, msg);
  const byPlace = (g: Graph) => [...g.references].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.startCol - b.startCol);
  assert.deepEqual(byPlace(patched), byPlace(full), msg);
}

test('edits that add, remove and cycle refs give the graph a full index gives', () => {
  const r = rng(5);
  const n = 40;
  const { files, index } = chain(r, n);
  let cycles = 0;
  for (let step = 0; step < 150; step++) {
    const path = `models/m${Math.floor(r() * n)}.sql`;
    files.set(path, model(r, n));
    index.setFile(path, files.get(path)!);
    const g = index.graph();
    if (step % 3 === 0) void g.order; // some graphs are read, some never are
    if (g.diagnostics.some((d) => d.message.startsWith('Dependency cycle'))) cycles++;
    assertSame(g, fresh(files), step);
  }
  assert.ok(cycles > 10, `only ${cycles} graphs had a cycle: the test must exercise them`);
});

test('hundreds of edits across many models stay equal to a full index', () => {
  const r = rng(9);
  const n = 400;
  const { files, index } = chain(r, n);
  for (let step = 0; step < 400; step++) {
    // Refs only to lower-numbered models: no cycles, so every edit takes the patch path.
    const i = 1 + Math.floor(r() * (n - 1));
    files.set(`models/m${i}.sql`, `select * from {{ ref('m${Math.floor(r() * i)}') }} -- ${step}`);
    index.setFile(`models/m${i}.sql`, files.get(`models/m${i}.sql`)!);
    const g = index.graph();
    if (step % 100 === 99) assertSame(g, fresh(files), step);
  }
});
