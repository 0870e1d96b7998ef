// `asset-lens test`: runs the selected assets' checks against what is in the warehouse now, without
// building anything, and records the results in the metadata store as a check run (a later
// materialization's checks replace them in the status; they never count as a materialization).
import { randomUUID } from 'node:crypto';
import type { CheckResult, RunStatus } from '../shared/dto';
import type { AssetKey } from '../core/model';
import type { Graph } from '../core/graph';
import { Cancelled, existingType, type BuildEnv } from './build';
import { DuckDb, quoteLiteral, quoteRelation } from './duckdb';
import { MetadataStore } from './metadataStore';
import type { MaterializeOptions } from './runner';
import { relationOf } from './render';
import { checksOf } from './checks';
import { messageOf } from '../core/text';

/** What `asset-lens test` needs: the same scope as a run, without building anything. */
export type CheckOptions = Pick<MaterializeOptions, 'root' | 'graph' | 'keys' | 'selection' | 'warehousePath' | 'metadataPath' | 'vars' | 'signal' | 'now'>;

/** One asset's checks: `failed` when an error-severity check failed or could not run. */
export interface CheckedAsset {
  readonly key: AssetKey;
  readonly status: 'passed' | 'failed';
  readonly checks: readonly CheckResult[];
  /** Why no check ran (the relation is not in the warehouse). */
  readonly error?: string;
}

export interface CheckRun {
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly assets: readonly CheckedAsset[];
  readonly error?: string;
}

export async function checkSelection(opts: CheckOptions): Promise<CheckRun> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const runId = randomUUID();
  const store = await MetadataStore.open(opts.metadataPath);
  await store.hold();
  try {
    await store.beginRun({ id: runId, selection: opts.selection, startedAt: started.toISOString(), kind: 'check' });
    const assets: CheckedAsset[] = [];
    let error: string | undefined;
    try {
      await checkAll(opts, runId, started, store, assets);
    } catch (e) {
      error = e instanceof Cancelled ? 'Cancelled before the checks finished.' : messageOf(e);
    }
    const status: RunStatus = opts.signal?.aborted ? 'cancelled' : error || assets.some((a) => a.status === 'failed') ? 'failed' : 'success';
    const failed = assets.filter((a) => a.status === 'failed').map((a) => a.key);
    error ??= failed.length ? `Checks failed on ${failed.join(', ')}` : undefined;
    const durationMs = now().getTime() - started.getTime();
    await store.finishRun(runId, { status, durationMs, ...(error ? { error } : {}) });
    return { runId, status, startedAt: started.toISOString(), durationMs, assets, ...(error ? { error } : {}) };
  } finally {
    store.close();
  }
}

async function checkAll(opts: CheckOptions, runId: string, started: Date, store: MetadataStore, out: CheckedAsset[]): Promise<void> {
  const db = await DuckDb.open(opts.warehousePath);
  try {
    await db.run(`SET file_search_path = ${quoteLiteral(opts.root)}`);
    const env: BuildEnv = {
      root: opts.root, graph: opts.graph, db, runId, runStartedAt: started.toISOString(), ...(opts.vars ? { vars: opts.vars } : {}),
      checkCancelled: () => { if (opts.signal?.aborted) throw new Cancelled(); },
    };
    for (const key of opts.keys) {
      const asset = opts.graph.assets.get(key);
      if (!asset?.tests.length) continue;
      env.checkCancelled();
      const start = Date.now();
      const checked = await checkOne(env, key);
      out.push(checked);
      await store.recordStep(runId, {
        key, kind: 'check', status: checked.status === 'failed' ? 'failed' : 'success', startedAt: new Date(start).toISOString(),
        durationMs: Date.now() - start, checks: checked.checks, ...(checked.error ? { error: checked.error } : {}),
      });
    }
  } finally {
    db.close();
  }
}

async function checkOne(env: BuildEnv, key: AssetKey): Promise<CheckedAsset> {
  const asset = env.graph.assets.get(key)!;
  const relation = asset.kind === 'source' && asset.relation ? asset.relation : relationOf(env, asset);
  if (!(await existingType(env, relation))) {
    return { key, status: 'failed', checks: [], error: `${relation.schema}.${relation.identifier} is not in the warehouse: materialize ${key} first.` };
  }
  const checks = await checksOf(env, asset, quoteRelation(relation));
  const failed = checks.some((c) => c.status === 'fail' || c.status === 'error');
  return { key, status: failed ? 'failed' : 'passed', checks };
}
