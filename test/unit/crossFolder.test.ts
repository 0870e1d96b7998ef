// How a selection that spans the folders of a multi-root workspace is cut into parts: one per run
// of consecutive steps in a folder, ordered so the run switches folders only when it must.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import type { AssetKey } from '../../src/core/model';
import { crossFolderParts, mergeSummaries } from '../../src/server/crossFolder';
import type { Folder } from '../../src/server/workspace';

/** Two dbt projects in one index standing for two folders: `a/` and `b/`. */
function joined(files: Record<string, string>) {
  const index = new WorkspaceIndex();
  index.setFile('a/dbt_project.yml', 'name: a\nprofile: a\n');
  index.setFile('b/dbt_project.yml', 'name: b\nprofile: b\n');
  for (const [path, text] of Object.entries(files)) index.setFile(path, text);
  const graph = index.graph();
  const folders = { a: { name: 'a' } as Folder, b: { name: 'b' } as Folder };
  return { graph, folderOf: (k: AssetKey) => (graph.assets.get(k)?.file.startsWith('a/') ? folders.a : folders.b) };
}

const names = (parts: ReturnType<typeof crossFolderParts>) => parts?.map((p) => `${p.folder.name}: ${p.keys.join(' ')}`);

test('upstream in the other folder runs first, and a folder is finished before the run switches back', () => {
  const j = joined({
    'a/models/a1.sql': 'select 1 as x',
    'a/models/a2.sql': "select * from {{ ref('a1') }}",
    'a/models/a3.sql': "select * from {{ ref('a1') }}",
    'b/models/b1.sql': "select * from {{ ref('a', 'a2') }}",
    'b/models/b2.sql': "select * from {{ ref('a', 'a3') }} join {{ ref('b1') }} using (x)",
  });
  // a3 is ready as soon as a1 is: it runs with a's part rather than after b1 in a part of its own.
  assert.deepEqual(names(crossFolderParts(j, '+b2')), ['a: a1 a2 a3', 'b: b1 b2']);
  assert.equal(crossFolderParts(j, '+a2'), undefined, 'one folder: the single-folder path runs it');
  assert.equal(crossFolderParts(j, 'nope'), undefined, 'an unknown name: the single-folder path explains');
});

test('the merged summary numbers every step once and skips the parts after a failure, saying where', () => {
  const j = joined({ 'a/models/a1.sql': 'select 1 as x', 'b/models/b1.sql': "select * from {{ ref('a', 'a1') }}" });
  const parts = crossFolderParts(j, '+b1')!;
  const t0 = new Date('2026-12-03T10:00:00Z');
  const failed = { runId: 'r1', status: 'failed' as const, selection: 'x', startedAt: t0.toISOString(), durationMs: 5, error: 'a1 failed',
    steps: [{ runId: 'r1', key: 'a1', status: 'failed' as const, index: 0, total: 1 }] };
  const merged = mergeSummaries('+b1', parts, [failed], t0, new Date(t0.getTime() + 9));
  assert.deepEqual(merged.steps.map((s) => [s.key, s.status, s.index, s.total]), [['a1', 'failed', 0, 2], ['b1', 'skipped', 1, 2]]);
  assert.match(merged.steps[1]!.note ?? '', /the part of this run in a failed/);
  assert.deepEqual([merged.status, merged.error, merged.durationMs, merged.selection], ['failed', 'a1 failed', 9, '+b1']);
});
