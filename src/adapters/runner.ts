// The embedded runner: materializes selected assets in topological order in one DuckDB warehouse,
// profiles and checks each result, and records everything in the metadata store. A failed step
// skips its downstream steps and the rest carry on; cancelling interrupts the running query.
// Independent steps run in parallel, one DuckDB connection each, up to `threads`.
import { randomUUID } from 'node:crypto';
import type { RunStatus, RunSummary, StepEvent, StepStatus, TableProfile } from '../shared/dto';
import { messageOf, firstLine } from '../core/text';
import type { Asset, AssetKey } from '../core/model';
import type { Graph } from '../core/graph';
import { buildAsset, Cancelled, isCancel, type BuildEnv, type Built } from './build';
import { Catalog } from './catalog';
import { quoteLiteral, DuckDb, quoteRelation } from './duckdb';
import { MetadataStore, type StepRecord } from './metadataStore';
import { relationOf } from './render';
import { SourceError } from './sourceLine';
import { StepWriter } from './stepWriter';
import { inspect } from './stepInspect';
import { partitionContext, partitionProblem } from './partitionRun';
import { cannotRun, createSchemas } from './runPrepare';
import { RunLineage, type StepVersions } from './runLineage';

export interface MaterializeOptions {
  readonly root: string;
  readonly graph: Graph;
  /** Already in topological order (upstream first), as the selection resolves them. */
  readonly keys: readonly AssetKey[];
  /** The selection as the user wrote it, kept in the run history. */
  readonly selection: string;
  /** Absolute path of the warehouse file. */
  readonly warehousePath: string;
  /** Absolute path of the metadata store file. */
  readonly metadataPath: string;
  /** Upper bound on steps run at once. */
  readonly threads: number;
  /** `--full-refresh`: rebuild incremental models from scratch. */
  readonly fullRefresh?: boolean;
  /** `--vars`: values that win over the projects' `vars:`; undefined adds none. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Messages of `log()`/`print()` in templates, by asset; undefined drops them. */
  readonly onLog?: (key: AssetKey, message: string) => void;
  readonly signal?: AbortSignal;
  /**
   * Called for every step change, in an order where a step's end comes before its downstream
   * steps start; an exception thrown here is ignored. A step's record reaches the store shortly
   * after its end is reported (see onStored).
   */
  readonly onEvent?: (e: StepEvent) => void;
  /** Called while the warehouse file is held by another process and the run waits for it ("waiting for …"); undefined: silent. */
  readonly onWaiting?: (message: string) => void;
  /** Called after each batch of step records is committed to the store; an exception thrown here is ignored. */
  readonly onStored?: () => void;
  readonly now?: () => Date;
  /** The partition partitioned assets of the selection write; unpartitioned ones run whole. */
  readonly partition?: string;
  /** Why automation started the run, kept in the run history; undefined for a user's run. */
  readonly reason?: string;
}

export { PYTHON_NOTE } from './runPrepare';

interface Run {
  readonly opts: MaterializeOptions;
  readonly runId: string;
  readonly store: MetadataStore;
  readonly now: () => Date;
  readonly steps: StepEvent[];
  /** Keys that failed, or were skipped because an upstream failed: their downstream steps skip too. */
  readonly blocked: Set<AssetKey>;
  env?: BuildEnv;
  /** Step records go to the store in batches; the run drains it before it ends. */
  readonly writer: StepWriter;
  lineage?: RunLineage;
}

export async function materialize(opts: MaterializeOptions): Promise<RunSummary> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const runId = randomUUID();
  const store = await MetadataStore.open(opts.metadataPath);
  await store.hold();
  try {
    return await runWithStore(opts, store, runId, now, started);
  } finally {
    store.close();
  }
}

async function runWithStore(opts: MaterializeOptions, store: MetadataStore, runId: string, now: () => Date, started: Date): Promise<RunSummary> {
  await store.beginRun({ id: runId, selection: opts.selection, startedAt: started.toISOString(), ...(opts.reason ? { reason: opts.reason } : {}) });
  const run: Run = { opts, runId, store, now, steps: [], blocked: new Set(), writer: new StepWriter(store, runId, opts.onStored) };
  let end: { status: RunStatus; error?: string };
  try {
    end = await runSteps(run, started);
  } catch (e) {
    end = { status: 'failed', error: messageOf(e) };
  }
  // Every step record is committed before the run is marked finished.
  end = withStoreError(end, await run.writer.drained());
  const durationMs = now().getTime() - started.getTime();
  try {
    await store.finishRun(runId, { durationMs, ...end });
  } catch (e) {
    // The warehouse holds the results either way; the user should still see them, and why history lacks them.
    end = { ...end, error: [end.error, `The run could not be recorded: ${messageOf(e)}`].filter(Boolean).join(' — ') };
  }
  const failed = run.steps.filter((s) => s.status === 'failed');
  const errorLine = failed.length === 1 ? failed[0]!.errorLine : undefined;
  const extra = { ...(errorLine ? { errorLine } : {}), ...(opts.partition !== undefined ? { partition: opts.partition } : {}), ...(opts.reason ? { reason: opts.reason } : {}) };
  return { runId, selection: opts.selection, startedAt: started.toISOString(), durationMs, steps: run.steps, ...end, ...extra };
}

/** How long a run waits for a warehouse another process holds (about 6 s in all) before it fails naming the file. */
const warehouseWaits = [100, 200, 400, 800, 1000, 1000, 1200, 1200];

async function runSteps(run: Run, started: Date): Promise<{ status: RunStatus; error?: string }> {
  const { opts } = run;
  // One connection per concurrent step: each step's swap is its own transaction.
  const handles: DuckDb[] = [];
  let catalog: Catalog;
  try {
    const problem = partitionProblem(opts.graph, opts.keys, opts.partition, started.getTime());
    if (problem) throw new Error(problem);
    run.lineage = await RunLineage.load(run.store, opts.root, opts.graph, opts.keys, run.runId, started.getTime());
    const n = Math.max(1, Math.min(opts.threads || 1, opts.keys.length));
    for (let i = 0; i < n; i++) {
      const db = await DuckDb.openWaiting(opts.warehousePath, warehouseWaits, (e) => opts.onWaiting?.(
        `waiting for the warehouse ${e.file}: another process${e.holder ? ` (${e.holder})` : ''} holds it`), opts.signal);
      handles.push(db);
      // Relative paths in user SQL (read_csv_auto('data/x.csv')) mean the workspace folder, whatever
      // the process's working directory is.
      await db.run(`SET file_search_path = ${quoteLiteral(opts.root)}`);
    }
    catalog = await Catalog.load(handles[0]!);
    await createSchemas(opts, handles[0]!, catalog);
  } catch (e) {
    for (const h of handles) h.close();
    for (const [i, key] of opts.keys.entries()) finish(run, key, i, { status: 'skipped', note: `Not run: ${messageOf(e)}` });
    return { status: 'failed', error: messageOf(e) };
  }
  // An interrupt that lands between two statements is lost, so it is repeated until the run ends.
  let repeat: NodeJS.Timeout | undefined;
  const interruptAll = () => { for (const h of handles) h.interrupt(); };
  const onAbort = () => { interruptAll(); repeat = setInterval(interruptAll, 50); };
  opts.signal?.addEventListener('abort', onAbort);
  run.env = {
    root: opts.root, graph: opts.graph, db: handles[0]!, runId: run.runId, runStartedAt: started.toISOString(),
    checkCancelled: () => { if (opts.signal?.aborted) throw new Cancelled(); },
    catalog,
    ...(opts.fullRefresh ? { fullRefresh: true } : {}), ...(opts.vars ? { vars: opts.vars } : {}), ...(opts.onLog ? { log: opts.onLog } : {}),
  };
  try {
    await schedule(run, handles);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    clearInterval(repeat);
    for (const h of handles) h.close();
  }
  run.steps.sort((a, b) => a.index - b.index);
  return outcome(run);
}

/** The warehouse holds a step whose record was lost, so the run keeps its status and says why history lacks it. */
function withStoreError(end: { status: RunStatus; error?: string }, lost: string | undefined): { status: RunStatus; error?: string } {
  return lost ? { ...end, error: [end.error, lost].filter(Boolean).join(' — ') } : end;
}

/**
 * Runs each step once its upstream steps in the selection have ended (built, profiled, checked and
 * reported; their records are stored in the background), up to one step per connection at a time;
 * ready steps start in topological order, so one thread is the plain loop.
 */
function schedule(run: Run, handles: readonly DuckDb[]): Promise<void> {
  const { keys, graph } = run.opts;
  const index = new Map(keys.map((k, i) => [k, i]));
  const waiting = new Map(keys.map((k) => [k, (graph.upstream.get(k) ?? []).filter((u) => index.has(u)).length]));
  const ready = keys.filter((k) => waiting.get(k) === 0);
  const free = [...handles];
  let done = 0;
  return new Promise<void>((resolve) => {
    const pump = (): void => {
      if (done === keys.length) return resolve();
      while (ready.length && free.length) {
        const key = ready.shift()!;
        const db = free.pop()!;
        // A step reports its end before it resolves, so a step is never seen starting before its upstream ended.
        runStep(run, key, index.get(key)!, { ...run.env!, db }).catch(() => undefined).then(() => {
          free.push(db);
          done++;
          for (const d of graph.downstream.get(key) ?? []) {
            const w = waiting.get(d);
            if (w === undefined) continue;
            waiting.set(d, w - 1);
            if (w === 1) { ready.push(d); ready.sort((a, b) => index.get(a)! - index.get(b)!); }
          }
          pump();
        });
      }
    };
    pump();
  });
}

function outcome(run: Run): { status: RunStatus; error?: string } {
  if (run.opts.signal?.aborted || run.steps.some((s) => s.status === 'cancelled')) return { status: 'cancelled', error: 'Cancelled before the run finished.' };
  const failed = run.steps.filter((s) => s.status === 'failed');
  if (!failed.length) return { status: 'success' };
  if (failed.length === 1) return { status: 'failed', error: `${failed[0]!.key} failed: ${firstLine(failed[0]!.error)}` };
  return { status: 'failed', error: `${failed.length} steps failed: ${failed.map((s) => s.key).join(', ')}` };
}

/** Runs one step start to end: skip or build, then profile, check, record and report. */
async function runStep(run: Run, key: AssetKey, index: number, env: BuildEnv): Promise<void> {
  const asset = run.opts.graph.assets.get(key);
  if (run.opts.signal?.aborted) return finish(run, key, index, { status: 'cancelled' });
  if (!asset) return finish(run, key, index, { status: 'skipped', note: `${key} is not in the workspace any more` });
  const upstreamFailed = (run.opts.graph.upstream.get(key) ?? []).find((u) => run.blocked.has(u));
  if (upstreamFailed) {
    run.blocked.add(key);
    return finish(run, key, index, { status: 'skipped', note: `Skipped: upstream ${upstreamFailed} failed` });
  }
  const cannot = cannotRun(asset);
  if (cannot) return finish(run, key, index, { status: 'skipped', note: cannot });
  const start = run.now();
  const partition = asset.partitions ? run.opts.partition : undefined;
  emit(run, { runId: run.runId, key, status: 'running', index, total: run.opts.keys.length, ...(partition !== undefined ? { partition } : {}) });
  let built: Built, versions: StepVersions | undefined;
  try {
    versions = run.lineage?.begin(asset, partition, start.getTime());
    built = await buildAsset(partition === undefined ? env : { ...env, partition: partitionContext(asset.partitions!, partition) }, asset);
  } catch (e) {
    const cancelled = isCancel(e) || !!run.opts.signal?.aborted;
    if (cancelled) return finish(run, key, index, { status: 'cancelled', start, partition, versions });
    run.blocked.add(key);
    // An error with no line still belongs to the asset: it shows at its definition.
    const errorLine = e instanceof SourceError && e.line !== undefined ? e.line : asset.line;
    return finish(run, key, index, { status: 'failed', start, error: stepError(asset, e), errorLine, partition, versions });
  }
  // Recorded before the step is stored, so a downstream step of this run reads its new version.
  if (versions) run.lineage!.succeeded(asset, partition, versions);
  finish(run, key, index, { status: 'success', start, partition, versions, ...(await inspect(env, asset, built)) });
}

interface Ending {
  readonly status: StepStatus;
  readonly start?: Date;
  readonly note?: string;
  readonly error?: string;
  readonly errorLine?: number;
  readonly built?: Built;
  readonly profile?: TableProfile;
  readonly checks?: StepRecord['checks'];
  readonly partition?: string;
  /** Code version always; data version and lineage only kept for a success. */
  readonly versions?: StepVersions;
}

/** Reports the step's end and queues its record for the store; returns without waiting for the write. */
function finish(run: Run, key: AssetKey, index: number, end: Ending): void {
  const start = end.start ?? run.now();
  const durationMs = end.start ? run.now().getTime() - start.getTime() : 0;
  const rows = end.profile?.rows;
  const asset = run.opts.graph.assets.get(key);
  const relation = end.built?.relation ?? (asset && run.env && !cannotRun(asset) ? relationOf(run.env, asset) : undefined);
  run.writer.write({
    key, status: end.status, startedAt: start.toISOString(), durationMs, ...(end.partition !== undefined ? { partition: end.partition } : {}),
    ...versionFields(end),
    ...(relation ? { relation: `${relation.schema}.${relation.identifier}` } : {}),
    ...(rows !== undefined ? { rows } : {}), ...(end.error ? { error: end.error } : {}), ...(end.errorLine ? { errorLine: end.errorLine } : {}),
    ...(end.note ? { note: end.note } : {}), ...(end.profile ? { profile: end.profile } : {}), ...(end.checks ? { checks: end.checks } : {}),
  });
  const event: StepEvent = {
    runId: run.runId, key, status: end.status, index, total: run.opts.keys.length,
    ...(end.start ? { durationMs } : {}), ...(rows !== undefined ? { rows } : {}), ...(end.partition !== undefined ? { partition: end.partition } : {}),
    ...(end.error ? { error: end.error } : {}), ...(end.errorLine ? { errorLine: end.errorLine } : {}), ...(end.note ? { note: end.note } : {}),
  };
  run.steps.push(event);
  emit(run, event);
}

/** The core's code version (what staleness compares against), and for a success what it wrote and read. */
function versionFields(end: Ending): Pick<StepRecord, 'codeVersion' | 'dataVersion' | 'lineage'> {
  const v = end.versions;
  if (!v) return end.built ? { codeVersion: end.built.codeVersion } : {};
  return end.status === 'success' ? { codeVersion: v.codeVersion, dataVersion: v.dataVersion, lineage: v.lineage } : { codeVersion: v.codeVersion };
}

function emit(run: Run, e: StepEvent): void {
  try {
    run.opts.onEvent?.(e);
  } catch {
    // A listener's bug must not stop the run or leave it half recorded.
  }
}

/** The error a user sees for a step: the file it comes from, then DuckDB's or the renderer's words. */
function stepError(asset: Asset, e: unknown): string {
  const message = messageOf(e);
  return message.includes(asset.file) ? message : `${asset.file}: ${message}`;
}
