// Fuzzing the extractors: truncated and mutated sample files, random bytes, huge and deeply
// nested input. Every case must return (no throw, no hang) and report problems as diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { listWorkspaceFiles } from '../../src/adapters/workspaceFs';
import { loadPythonParser } from '../../src/adapters/pythonParser';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const sample = 'seeds/jaffle_shop';
const originals = listWorkspaceFiles(sample).map((p) => [p, readFileSync(`${sample}/${p}`, 'utf8')] as const);
const pythonSnippet = '@asset(deps=["a", AssetKey(["b", "c"])], partitions_def=daily)\ndef x(up: str, context) -> str:\n    return """select * from {{ up }}"""\n';

async function indexWith(mutate: (path: string, text: string) => string): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex({ parsePython: await loadPythonParser() });
  for (const [p, t] of originals) index.setFile(p, mutate(p, t));
  index.setFile('defs/assets.py', mutate('defs/assets.py', pythonSnippet));
  return index;
}

test('truncated files at every tenth of their length never throw', async () => {
  for (let cut = 0; cut <= 10; cut++) {
    const g = (await indexWith((_, t) => t.slice(0, Math.floor((t.length * cut) / 10)))).graph();
    assert.ok(g.assets.size >= 0);
    for (const d of g.diagnostics) assert.ok(d.file && d.line >= 1 && d.message, JSON.stringify(d));
  }
});

test('randomly mutated files (bytes flipped, lines dropped, brackets added) never throw', async () => {
  const r = rng(7);
  const pool = ['{{', '}}', '{%', '%}', "'", '"', '(', ')', '[', ']', ':', '\n', '- ', '\t', '\0', 'ref(', 'source(', '@asset'];
  for (let round = 0; round < 40; round++) {
    const g = (await indexWith((_, t) => {
      const chars = t.split('');
      for (let i = 0; i < 8; i++) chars.splice(Math.floor(r() * chars.length), Math.floor(r() * 3), pool[Math.floor(r() * pool.length)]!);
      return chars.join('');
    })).graph();
    assert.ok(Array.isArray(g.order));
  }
});

test('random bytes, a 5 MB file and deep nesting each cost only their own file', async () => {
  const r = rng(11);
  const noise = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(r() * 256))).join('');
  const index = await indexWith((p, t) => t);
  index.setFile('models/noise.sql', noise);
  index.setFile('models/noise.yml', noise);
  index.setFile('defs/noise.py', '@asset\n' + noise);
  index.setFile('models/huge.sql', "select * from {{ ref('stg_orders') }}\n" + 'select 1 union all\n'.repeat(280000));
  index.setFile('models/deep.sql', '{{ ' + '('.repeat(5000) + ' }}');
  index.setFile('models/deep.yml', 'models:\n' + '  - '.repeat(1) + '['.repeat(3000));
  index.setFile('defs/deep.py', '@asset(deps=' + '['.repeat(3000) + ']'.repeat(3000) + ')\ndef deep(): ...\n');
  const started = Date.now();
  const g = index.graph();
  assert.ok(Date.now() - started < 20000, 'no hang');
  assert.ok(g.assets.has('customers' as never), 'the rest of the graph is intact');
  assert.ok(g.assets.has('huge' as never));
  assert.deepEqual(g.upstream.get('huge' as never), ['stg_orders']);
  const files = new Set(g.diagnostics.map((d) => d.file));
  for (const f of ['models/noise.yml', 'defs/noise.py', 'models/deep.sql', 'models/deep.yml']) assert.ok(files.has(f), `a diagnostic for ${f}`);
  assert.ok(g.assets.has('deep' as never), 'a deeply nested decorator still defines its asset');
});
