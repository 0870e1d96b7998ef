// `asset-lens backfill DIR --select X --from D1 --to D2`: one run per partition, oldest first, with
// progress N/M and the failures listed at the end. Resumable: partitions whose selected assets are
// all materialized are skipped unless --force, so re-running after a failure runs only what failed.
import { join } from 'node:path';
import type { RunStatus } from '../shared/protocol';
import type { Graph } from '../core/graph';
import type { AssetKey, PartitionsDef } from '../core/model';
import { keysBetween, samePartitionsDef } from '../core/partitions';
import { closest } from '../core/text';
import { metadataFile } from '../core/warehouse';
import { MetadataStore } from '../adapters/metadataStore';
import { describeDef } from '../adapters/partitionRun';
import { materialize } from '../adapters/runner';
import { readRecords } from '../adapters/storeRecords';
import { cancellable, err, out, pathsFor, printStep, selected, UsageError, type Args } from './common';

export interface BackfillPartition { readonly key: string; readonly status: RunStatus | 'skipped'; readonly runId?: string; readonly error?: string }

/** The partitioned keys of the selection and their one definition; a mix of definitions cannot share partition keys. */
function partitionedOf(graph: Graph, keys: readonly AssetKey[]): { keys: AssetKey[]; def: PartitionsDef; left: AssetKey[] } {
  const parted = keys.filter((k) => graph.assets.get(k)?.partitions);
  if (!parted.length) throw new UsageError(`backfill needs partitioned assets; none of ${keys.join(', ') || 'the selection'} is partitioned (use materialize)`);
  const def = graph.assets.get(parted[0]!)!.partitions!;
  const other = parted.find((k) => !samePartitionsDef(graph.assets.get(k)!.partitions!, def));
  if (other) throw new UsageError(`${other} is partitioned differently from ${parted[0]} (${describeDef(def)}); backfill them separately`);
  return { keys: parted, def, left: keys.filter((k) => !parted.includes(k)) };
}

function rangeOf(def: PartitionsDef, args: Args, first: AssetKey): string[] {
  const from = args.flags.get('from'), to = args.flags.get('to');
  if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError('backfill needs --from KEY --to KEY (e.g. --from 2024-01-01 --to 2024-01-07)');
  const keys = keysBetween(def, from, to, Date.now());
  if (keys) return keys;
  const bad = keysBetween(def, from, from) ? to : from;
  const hint = def.keys ? closest(bad, def.keys) : undefined;
  throw new UsageError(`${bad} is not a partition of ${first} (${describeDef(def)})${hint ? `; did you mean ${hint}?` : ''}`);
}

/** Partitions where every key's last attempt succeeded. */
async function materializedPartitions(root: string, keys: readonly AssetKey[]): Promise<Set<string>> {
  const store = await MetadataStore.open(join(root, metadataFile));
  let records;
  try { records = await readRecords(store); } finally { store.close(); }
  const ok = new Map<string, number>();
  for (const m of records.materializations) {
    if (m.partition === undefined || !keys.includes(m.key)) continue;
    const lastFailure = records.failures.find((f) => f.key === m.key && f.partition === m.partition);
    if (lastFailure && lastFailure.at >= m.at) continue;
    ok.set(m.partition, (ok.get(m.partition) ?? 0) + 1);
  }
  return new Set([...ok].filter(([, n]) => n === keys.length).map(([p]) => p));
}

export async function runBackfill(root: string, graph: Graph, args: Args, json: boolean): Promise<number> {
  const { selection, keys: all } = selected(graph, args, 'backfill', false);
  const { keys, def, left } = partitionedOf(graph, all);
  if (left.length) err(`not partitioned, left out of the backfill: ${left.join(', ')}`);
  const range = rangeOf(def, args, keys[0]!);
  const done = args.flags.has('force') ? new Set<string>() : await materializedPartitions(root, keys);
  const todo = range.filter((p) => !done.has(p));
  if (!json && todo.length < range.length) out(`${range.length - todo.length} of ${range.length} partitions already materialized (--force runs them again)`);
  const results: BackfillPartition[] = range.filter((p) => done.has(p)).map((key) => ({ key, status: 'skipped' }));
  const threads = Number(args.flags.get('threads') ?? 4) || 4;
  await cancellable(async (signal) => {
    for (const [i, partition] of todo.entries()) {
      if (signal.aborted) break;
      const s = await materialize({
        root, graph, keys, selection: `${selection} [${partition}]`, partition, threads, signal, ...pathsFor(root, graph, keys),
        onEvent: json ? undefined : (e) => { if (e.status === 'failed') printStep(e, graph); },
      });
      results.push({ key: partition, status: s.status, runId: s.runId, ...(s.error ? { error: s.error } : {}) });
      if (!json) out(`${s.status === 'success' ? '✓' : '✗'} [${i + 1}/${todo.length}] ${partition}  ${s.status}${s.error ? `  ${s.error.split('\n')[0]}` : ''}`);
    }
  });
  return report(results, range.length, json);
}

function report(results: BackfillPartition[], total: number, json: boolean): number {
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'cancelled');
  const status = failed.length ? 'failed' : results.length < total ? 'cancelled' : 'success';
  results.sort((a, b) => (a.key < b.key ? -1 : 1));
  if (json) { out(JSON.stringify({ status, partitions: results }, null, 2)); return failed.length ? 1 : 0; }
  const ok = results.filter((r) => r.status === 'success' || r.status === 'skipped').length;
  out(`backfill ${status}: ${ok}/${total} partitions materialized${failed.length ? `, ${failed.length} failed: ${failed.map((f) => f.key).join(', ')}` : ''}`);
  for (const f of failed) out(`  ✗ ${f.key}  ${f.error ?? f.status}`);
  return failed.length || status !== 'success' ? 1 : 0;
}
