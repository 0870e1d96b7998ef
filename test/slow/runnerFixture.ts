// Shared by the runner's slow tests: a copy of a sample workspace per test, a run of a selection
// through the runner, the CLI as a user runs it, and reads of the warehouse and the store.
import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { StepEvent } from '../../src/shared/dto';
import { openWorkspace } from '../../src/adapters/workspaceFs';
import { parseSelection, resolveSelection } from '../../src/core/selection';
import { warehouseFor, metadataFile } from '../../src/core/warehouse';
import { materialize, type MaterializeOptions } from '../../src/adapters/runner';
import { MetadataStore } from '../../src/adapters/metadataStore';
import { DuckDb } from '../../src/adapters/duckdb';

const temps: string[] = [];
after(() => { for (const d of temps) rmSync(d, { recursive: true, force: true }); });

/** A temp copy of `seeds/<sample>` with `extra` files written over it (folders created). */
export function workspace(extra: Record<string, string> = {}, sample = 'jaffle_shop'): string {
  const root = mkdtempSync(join(tmpdir(), 'assetlens-runner-'));
  temps.push(root);
  cpSync(resolve('seeds', sample), root, { recursive: true });
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Indexes `root` as it is now and materializes `selection`, collecting events. */
export async function run(root: string, selection: string, more: Partial<MaterializeOptions> = {}) {
  // openWorkspace loads the Python parser too, so Python assets are in the graph.
  const graph = (await openWorkspace(root)).graph();
  const keys = resolveSelection(graph, parseSelection(selection));
  const events: StepEvent[] = [];
  const summary = await materialize({
    root, graph, keys, selection, threads: 1,
    warehousePath: join(root, warehouseFor(graph, keys)), metadataPath: join(root, metadataFile),
    ...more,
    onEvent: (e) => { events.push(e); more.onEvent?.(e); },
  });
  return { summary, events, graph };
}

/** Runs the built CLI (dist/cli.js) as a user would. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [resolve('dist/cli.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function sql(root: string, query: string, file = 'jaffle_shop.duckdb'): Promise<Record<string, unknown>[]> {
  const db = await DuckDb.open(join(root, file));
  try { return await db.query(query); } finally { db.close(); }
}

export async function lastByKey(root: string) {
  const store = await MetadataStore.open(join(root, metadataFile));
  return new Map((await store.lastMaterializations()).map((m) => [m.key, m]));
}
