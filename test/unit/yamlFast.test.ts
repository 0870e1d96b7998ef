// The fast YAML reader against the full parser: on every text it accepts it must give the same
// value and the same lines; texts it does not accept go to the full parser (undefined).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readSimpleYaml } from '../../src/core/dbt/yamlFast';
import { parsePositioned } from '../../src/core/dbt/yamlFiles';
import { listWorkspaceFiles } from '../../src/adapters/workspaceFs';
import type { Positioned } from '../../src/core/dbt/yamlFast';

/** Every mapping's line and value lines, in document order, as text a failure can show. */
function linesOf(p: Positioned): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${path}[${i}]`)); return; }
    const l = p.lines.get(v);
    out.push(`${path} @${l?.line} ${[...(l?.keys ?? [])].map(([k, n]) => `${k}:${n}`).join(',')}`);
    for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(p.value, '$');
  return out;
}

/** Returns whether the fast reader accepted the text, after checking it agrees with the full parser. */
function agrees(text: string): boolean {
  const fast = readSimpleYaml(text);
  if (!fast) return false;
  const full = parsePositioned(text);
  assert.deepEqual(full.problems, [], `the fast reader accepted text the parser rejects:\n${text}`);
  assert.deepEqual(fast.value, full.value, text);
  assert.deepEqual(linesOf(fast), linesOf(full), text);
  return true;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const sampleYaml = listWorkspaceFiles('seeds').filter((p) => /\.ya?ml$/.test(p)).map((p) => readFileSync(`seeds/${p}`, 'utf8'));

test('sample YAML files read the same as with the full parser, and most take the fast path', () => {
  const accepted = sampleYaml.filter(agrees).length;
  assert.ok(accepted >= sampleYaml.length / 2, `${accepted} of ${sampleYaml.length}`);
});

test('hand-written edge cases agree or fall back', () => {
  const cases = [
    'models:\n- name: a\n  description: "x \\"q\\" \\u00e9"\n  columns:\n  - name: id\n    tests: [unique, not_null]\n',
    "models:\n  - name: 'it''s'\n    meta: {a: 1, b: [x, 'y'], c: {d: null}, e: }\n    tags: []\n    config: {}\n",
    'a: ~\nb: null\nc: true\nd: FALSE\ne: 0o17\nf: 0x1F\ng: -12\nh: +3.5\ni: 1e3\nj: .inf\nk: -.Inf\nl: .nan\nm: 1.0\nn: 007\no: 12:30\np: http://x/y#z\nq: a #comment\nr: "#not"\n',
    'x:\n  - - a\n    - b\n  -\n  - c\n  -   name: d\n      v: 2\n',
    '  indented:\n    root: 1\n',
    '# only a comment\n',
    '',
    'k: [a, b]  # trailing\nk2: {a: b} # t\n',
    'desc: >\n  folded\n',
    'desc: |\n  literal\n',
    'multi: first\n  second\n',
    'a: &x 1\nb: *x\n',
    'dup: 1\ndup: 2\n',
    '"quoted key": 1\n',
    'a: b: c\n',
    'seq:\n- a\n -b\n',
    'a:\n  b: 1\n c: 2\n',
    'k: [a, b\n  , c]\n',
    'k: {a: 1, a: 2}\n',
    'k: [a: b]\n',
    'k: "unterminated\n',
    "k: 'a'b\n",
    'k: -\n',
    'k: - x\n',
    '- a\nb: 1\n',
    'a: 1\r\nb:\r\n  - c\r\n',
    '---\na: 1\n',
    'a: "\\x41"\n',
    'a: [1, 2,]\n',
    '__proto__: 1\n',
    'a: {b: [c, {d: e}], f: "g, h"}\n',
    'a: !!str 1\n',
    'k: v\n\n\n  # indented comment\nk2: v2\n',
    'a:\n\n  - x\n\n  - y\n',
  ];
  for (const c of cases) agrees(c);
  assert.equal(readSimpleYaml('desc: >\n  folded\n'), undefined);
  assert.ok(readSimpleYaml(cases[0]!));
});

test('randomly mutated property files agree with the full parser or fall back', () => {
  const r = rng(3);
  const pool = [' ', '  ', '\n', '- ', ': ', ':', '#', ' #', "'", '"', '[', ']', '{', '}', ',', '~', '-', '?', '&a ', '*a', '|', '>', 'x', '1', '.5', 'true', '\\'];
  let accepted = 0;
  for (let round = 0; round < 1500; round++) {
    const base = sampleYaml[round % sampleYaml.length]!;
    const chars = base.split('');
    const edits = 1 + Math.floor(r() * 4);
    for (let i = 0; i < edits; i++) chars.splice(Math.floor(r() * chars.length), Math.floor(r() * 3), pool[Math.floor(r() * pool.length)]!);
    if (agrees(chars.join(''))) accepted++;
  }
  assert.ok(accepted > 100, `only ${accepted} mutated files took the fast path`);
});
