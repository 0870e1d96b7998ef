// `asset-lens backfill DIR --select X --from D1 --to D2`: one run per partition, oldest first, with
// progress N/M and the failures listed at the end. Resumable: partitions whose selected assets are
// all materialized are skipped unless --force, so re-running after a failure runs only what failed.
import { join } from 'node:path';
import type { RunStatus } from '../shared/dto';
import type { Graph } from '../core/graph';
import type { AssetKey } from '../core/model';
import { metadataFile } from '../core/warehouse';
import { BackfillPlanError, materializedPartitions, planBackfill, type BackfillPlan } from '../adapters/backfillPlan';
import { materialize } from '../adapters/runner';
import { cancellable, err, out, pathsFor, printStep, selected, UsageError, type Args } from './common';

export interface BackfillPartition { readonly key: string; readonly status: RunStatus | 'skipped'; readonly runId?: string; readonly error?: string }

/** The plan for `--from`/`--to`; a plan that cannot start is a usage error (exit code 2). */
function planOf(graph: Graph, keys: readonly AssetKey[], args: Args): BackfillPlan {
  const from = args.flags.get('from'), to = args.flags.get('to');
  if (typeof from !== 'string' || typeof to !== 'string') throw new UsageError('backfill needs --from KEY --to KEY (e.g. --from 2024-01-01 --to 2024-01-07)');
  try {
    return planBackfill(graph, keys, from, to, Date.now());
  } catch (e) {
    throw e instanceof BackfillPlanError ? new UsageError(e.message) : e;
  }
}

export async function runBackfill(root: string, graph: Graph, args: Args, json: boolean): Promise<number> {
  const { selection, keys: all } = selected(graph, args, 'backfill', false);
  const { keys, left, range } = planOf(graph, all, args);
  if (left.length) err(`not partitioned, left out of the backfill: ${left.join(', ')}`);
  const done = args.flags.has('force') ? new Set<string>() : await materializedPartitions(join(root, metadataFile), keys);
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
