// A selection across the folders of a multi-root workspace: resolved in the joined graph, then cut
// into parts, one per run of consecutive steps in the same folder, in topological order. Each part
// runs in its own folder (its warehouse, its run history); folders that read each other's tables
// share one warehouse file (dbt profiles pointing at the same path), as a repository of several
// dbt projects does.
import type { RunSummary, StepEvent } from '../shared/dto';
import type { Graph } from '../core/graph';
import type { AssetKey } from '../core/model';
import { parseSelection, resolveSelection } from '../core/selection';
import type { Folder } from './workspace';

/** The workspace graph of every folder joined, and the folder that defines each of its assets. */
export interface JoinedGraph {
  readonly graph: Graph;
  folderOf(key: AssetKey): Folder | undefined;
}

export interface Part { readonly folder: Folder; readonly keys: readonly AssetKey[] }

/**
 * The parts of `selection` when it spans several folders; undefined when it stays in one folder
 * (or does not resolve in the joined graph), so the single-folder path answers as before.
 */
export function crossFolderParts(joined: JoinedGraph, selection: string): Part[] | undefined {
  let keys: AssetKey[];
  try {
    keys = resolveSelection(joined.graph, parseSelection(selection));
  } catch {
    return undefined;
  }
  const folders = new Map<AssetKey, Folder>();
  for (const key of keys) {
    const folder = joined.folderOf(key);
    if (!folder) return undefined;
    folders.set(key, folder);
  }
  if (new Set(folders.values()).size < 2) return undefined;
  const parts: { folder: Folder; keys: AssetKey[] }[] = [];
  for (const key of folderGroupedOrder(joined.graph, keys, folders)) {
    const folder = folders.get(key)!;
    const last = parts.at(-1);
    if (last?.folder === folder) last.keys.push(key);
    else parts.push({ folder, keys: [key] });
  }
  return parts;
}

/**
 * A topological order of `keys` (given in one) that stays in a folder while it can, so the run
 * switches folders, and so starts a new part, only when a step needs another folder's first.
 */
function folderGroupedOrder(graph: Graph, keys: readonly AssetKey[], folders: ReadonlyMap<AssetKey, Folder>): AssetKey[] {
  const waiting = new Map<AssetKey, number>();
  const dependents = new Map<AssetKey, AssetKey[]>();
  const ready = new Map<Folder, AssetKey[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => { const list = m.get(k); if (list) list.push(v); else m.set(k, [v]); };
  const becomeReady = (k: AssetKey) => push(ready, folders.get(k)!, k);
  for (const k of keys) {
    const deps = (graph.assets.get(k)?.deps ?? []).filter((d) => folders.has(d));
    waiting.set(k, deps.length);
    for (const d of deps) push(dependents, d, k);
    if (!deps.length) becomeReady(k);
  }
  const order: AssetKey[] = [];
  let folder = folders.get(keys[0]!)!;
  while (order.length < keys.length) {
    if (!ready.get(folder)?.length) {
      const other = [...ready.entries()].find(([, list]) => list.length);
      // Nothing ready: a cycle the selection should never have resolved; keep the order given.
      if (!other) return [...keys];
      folder = other[0];
    }
    const next = ready.get(folder)!.shift()!;
    order.push(next);
    for (const k of dependents.get(next) ?? []) {
      const n = waiting.get(k)! - 1;
      waiting.set(k, n);
      if (n === 0) becomeReady(k);
    }
  }
  return order;
}

/** `+x (part 2 of 3, in project_two)`: what each folder's run history records for its part. */
export const partSelection = (selection: string, index: number, parts: readonly Part[]): string =>
  `${selection} (part ${index + 1} of ${parts.length}, in ${parts[index]!.folder.name})`;

/** A step event of part `index` numbered among all the parts' steps, so progress counts them as one run. */
export function renumber(e: StepEvent, index: number, parts: readonly Part[]): StepEvent {
  const offset = parts.slice(0, index).reduce((n, p) => n + p.keys.length, 0);
  return { ...e, index: e.index + offset, total: parts.reduce((n, p) => n + p.keys.length, 0) };
}

/**
 * The parts' runs as one answer: every step in order, the first failure's reason, and the steps of
 * parts that did not run (after a failure or a cancel) as skipped, with why.
 */
export function mergeSummaries(selection: string, parts: readonly Part[], runs: readonly RunSummary[], startedAt: Date, now: Date): RunSummary {
  const steps: StepEvent[] = runs.flatMap((r, i) => r.steps.map((s) => renumber(s, i, parts)));
  const stopped = runs.find((r) => r.status !== 'success');
  parts.slice(runs.length).forEach((p, j) => {
    const index = runs.length + j;
    for (const key of p.keys) {
      const note = `Skipped: the part of this run in ${stopped ? parts[runs.indexOf(stopped)]!.folder.name : 'another folder'} ${stopped?.status === 'cancelled' ? 'was cancelled' : 'failed'}`;
      steps.push(renumber({ runId: stopped?.runId ?? '', key, status: 'skipped', index: p.keys.indexOf(key), total: p.keys.length, note }, index, parts));
    }
  });
  const failed = runs.filter((r) => r.status === 'failed');
  return {
    runId: runs[0]?.runId ?? '', status: stopped?.status ?? 'success', selection, startedAt: startedAt.toISOString(),
    durationMs: now.getTime() - startedAt.getTime(), steps,
    ...(stopped?.error ? { error: stopped.error } : {}),
    ...(failed.length === 1 && failed[0]!.errorLine !== undefined ? { errorLine: failed[0]!.errorLine } : {}),
  };
}
