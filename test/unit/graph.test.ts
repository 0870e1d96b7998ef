import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, ancestors, descendants } from '../../src/core/graph';
import type { Asset } from '../../src/core/model';
import { keyFromString } from '../../src/core/model';

const asset = (key: string, deps: string[]): Asset => ({ key: keyFromString(key), kind: 'model', file: `${key}.sql`, line: 1, deps: deps.map(keyFromString), tags: [], columns: [], tests: [] });

test('orders topologically with ties broken by key, whatever the input order', () => {
  const a = [asset('c', ['a', 'b']), asset('b', []), asset('a', []), asset('d', ['c'])];
  for (const input of [a, [...a].reverse()]) {
    const g = buildGraph(input, [], [], []);
    assert.deepEqual(g.order, ['a', 'b', 'c', 'd']);
    assert.deepEqual([...g.assets.keys()], ['a', 'b', 'c', 'd']);
    assert.deepEqual(g.downstream.get(keyFromString('a')), ['c']);
  }
});

test('names the path of a cycle in a diagnostic on the asset', () => {
  const g = buildGraph([asset('x', ['z']), asset('y', ['x']), asset('z', ['y']), asset('ok', [])], [], [], []);
  assert.equal(g.order[0], 'ok');
  assert.equal(g.diagnostics.length, 1);
  assert.equal(g.diagnostics[0]!.message, 'Dependency cycle: x → y → z → x');
  assert.equal(g.diagnostics[0]!.file, 'x.sql');
});

test('walks ancestors and descendants to a depth', () => {
  const g = buildGraph([asset('a', []), asset('b', ['a']), asset('c', ['b']), asset('d', ['c'])], [], [], []);
  assert.deepEqual([...ancestors(g, keyFromString('d'))].sort(), ['a', 'b', 'c']);
  assert.deepEqual([...ancestors(g, keyFromString('d'), 1)], ['c']);
  assert.deepEqual([...descendants(g, keyFromString('a'), 2)].sort(), ['b', 'c']);
});

test('drops deps on unknown keys and self-edges from the maps', () => {
  const g = buildGraph([asset('a', ['missing', 'a'])], [], [], []);
  assert.deepEqual(g.upstream.get(keyFromString('a')), []);
});
