import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSelection, formatSelection, resolveSelection, SelectionError } from '../../src/core/selection';
import { buildGraph } from '../../src/core/graph';
import type { Asset } from '../../src/core/model';
import { keyFromString } from '../../src/core/model';

const asset = (key: string, deps: string[], extra: Partial<Asset> = {}): Asset => ({
  key: keyFromString(key), kind: 'model', file: `models/${key}.sql`, line: 1, deps: deps.map(keyFromString), tags: [], columns: [], tests: [], ...extra,
});
// raw_a → stg_a → mart ← stg_b ← raw_b ; mart → report
const g = buildGraph([
  asset('raw_a', [], { kind: 'seed', file: 'seeds/raw_a.csv' }), asset('raw_b', [], { kind: 'seed', file: 'seeds/raw_b.csv' }),
  asset('stg_a', ['raw_a'], { file: 'models/staging/stg_a.sql', tags: ['nightly'] }), asset('stg_b', ['raw_b'], { file: 'models/staging/stg_b.sql' }),
  asset('mart', ['stg_a', 'stg_b'], { group: 'marts' }), asset('target/main/report', ['mart'], { kind: 'python', file: 'defs/report.py' }),
], [], [], []);
const sel = (s: string, ex = '') => resolveSelection(g, parseSelection(s, ex));

test('round-trips its text', () => {
  for (const s of ['mart', '+mart', 'mart+', '2+mart', '+mart+1', 'tag:nightly,+mart', 'key:target/main/* path:models/staging']) {
    assert.equal(formatSelection(parseSelection(s)), s);
  }
});

test('resolves graph operators in topological order', () => {
  assert.deepEqual(sel('+mart'), ['raw_a', 'raw_b', 'stg_a', 'stg_b', 'mart']);
  assert.deepEqual(sel('mart+'), ['mart', 'target/main/report']);
  assert.deepEqual(sel('1+mart'), ['stg_a', 'stg_b', 'mart']);
  assert.deepEqual(sel('stg_a+1'), ['stg_a', 'mart']);
});

test('resolves methods, union, intersection and exclude', () => {
  assert.deepEqual(sel('tag:nightly'), ['stg_a']);
  assert.deepEqual(sel('group:marts kind:seed'), ['raw_a', 'raw_b', 'mart']);
  assert.deepEqual(sel('path:models/staging'), ['stg_a', 'stg_b']);
  assert.deepEqual(sel('+mart,path:models/staging'), ['stg_a', 'stg_b']);
  assert.deepEqual(sel('key:target/main/*'), ['target/main/report']);
  assert.deepEqual(sel('report'), ['target/main/report']);
  assert.deepEqual(sel('*'), ['raw_a', 'raw_b', 'stg_a', 'stg_b', 'mart', 'target/main/report']);
  assert.deepEqual(sel('stg_*'), ['stg_a', 'stg_b']);
  assert.deepEqual(sel('+mart', 'kind:seed'), ['stg_a', 'stg_b', 'mart']);
});

test('an unknown name suggests the closest asset', () => {
  assert.throws(() => sel('+mrat'), (e: unknown) => e instanceof SelectionError && /No asset matches 'mrat'. Did you mean 'mart'\?/.test(e.message));
  assert.throws(() => sel('colour:red'), /Unknown selection method 'colour:'/);
});
