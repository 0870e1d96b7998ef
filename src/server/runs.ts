// Materialize and backfill requests: trust check, selection → keys, a claim on the run's assets in
// the folder's run queue (a run that overlaps one in progress waits for it, and says so), events
// streamed as they happen, and the status cache refreshed after every finished step.
import { randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { BackfillParams, BackfillPartitionDto, BackfillResult, MaterializeParams } from '../shared/protocol';
import type { DiagnosticDto, RunSummary, StepEvent } from '../shared/dto';
import type { AssetKey } from '../core/model';
import { parseSelection, resolveSelection, SelectionError } from '../core/selection';
import { metadataFile, warehouseFor } from '../core/warehouse';
import { materialize } from '../adapters/runner';
import { ClaimCancelled, claimsFor, warehouseSlot, type Lease } from '../adapters/runClaims';
import { materializedPartitions, planBackfill, type BackfillPlan } from '../adapters/backfillPlan';
import type { Graph } from '../core/graph';
import type { ServerConfig } from './config';
import type { StatusCache } from './status';
import { crossFolderParts, mergeSummaries, partSelection, renumber, type JoinedGraph, type Part } from './crossFolder';
import type { Folder } from './workspace';
import { fail, messageOf, ok, type Result } from './result';

export interface RunHooks {
  /** Every step change, as the runner reports it. */
  readonly onEvent: (e: StepEvent) => void;
  /** The status cache holds a newer state (a step finished). */
  readonly onStatusChanged: () => void;
  /** Replaces the run failures shown in a folder's file (beside the file's index diagnostics). */
  readonly showFailures: (folder: Folder, rel: string, failures: readonly DiagnosticDto[]) => void;
  /** The run of `runToken` waits for another run that holds some of its assets ("waiting for run of 'raw/orders'"). */
  readonly onWaiting: (runToken: string, message: string) => void;
}

export const untrustedMessage =
  'Asset Lens does not materialize in Restricted Mode: it would run SQL from this workspace. Trust the workspace to materialize.';

/** One run's particulars beside its folder and keys. */
interface RunHow {
  readonly selection: string;
  readonly signal: AbortSignal;
  readonly runToken: string;
  readonly partition?: string | undefined;
  /** dbt's `--full-refresh`: incremental models are rebuilt, not merged into. */
  readonly fullRefresh?: boolean | undefined;
  /** How a part of a cross-folder run numbers its steps among all the parts' (crossFolder.ts renumber). */
  readonly numbered?: (e: StepEvent) => StepEvent;
}

export class Runs {
  /** Abort controllers by the client's run token. */
  private readonly controllers = new Map<string, AbortController>();
  /** Folders with user runs in progress (waiting ones included), and how many. */
  private readonly busy = new Map<Folder, number>();
  /** The last failure of each asset that has not succeeded since, by folder and file, shown in the Problems panel. */
  private readonly failures = new Map<Folder, Map<string, Map<string, DiagnosticDto>>>();

  constructor(private readonly status: StatusCache, private readonly hooks: RunHooks) {}

  /**
   * `joined` (a multi-root workspace): a selection that reaches into other folders (`+x` where x
   * reads another folder's model) runs there too, part by part; see crossFolder.ts.
   */
  async materialize(folders: readonly Folder[], config: ServerConfig, params: MaterializeParams, cancelled?: AbortSignal, joined?: JoinedGraph): Promise<Result<RunSummary>> {
    if (!config.trusted) return fail(untrustedMessage);
    const parts = joined && folders.length > 1 && params.partition === undefined ? crossFolderParts(joined, params.selection) : undefined;
    if (parts) return this.materializeParts(parts, config, params, cancelled);
    const chosen = choose(folders, params.selection);
    if (!chosen.ok) return chosen;
    const { folder, keys } = chosen.value;
    const label = `run of '${params.selection}'${params.partition !== undefined ? ` [${params.partition}]` : ''}`;
    return this.claimed(folder, config, label, keys, params.runToken, cancelled, async (signal) =>
      ok(await this.run(folder, keys, config, { selection: params.selection, signal, runToken: params.runToken, partition: params.partition, fullRefresh: params.fullRefresh })),
    (why) => ok(notRun(params.selection, why, params.partition)));
  }

  /** Runs the parts one after another, each claimed in its folder; a part that fails or is cancelled stops the rest. */
  private async materializeParts(parts: readonly Part[], config: ServerConfig, params: MaterializeParams, cancelled?: AbortSignal): Promise<Result<RunSummary>> {
    const started = new Date();
    const runs: RunSummary[] = [];
    for (const [i, part] of parts.entries()) {
      const selection = partSelection(params.selection, i, parts);
      const r = await this.claimed(part.folder, config, `run of '${selection}'`, part.keys, params.runToken, cancelled, async (signal) =>
        ok(await this.run(part.folder, part.keys, config, { selection, signal, runToken: params.runToken, fullRefresh: params.fullRefresh, numbered: (e) => renumber(e, i, parts) })),
      (why) => ok(notRun(selection, why)));
      if (!r.ok) return r;
      runs.push(r.value);
      if (r.value.status !== 'success') break;
    }
    return ok(mergeSummaries(params.selection, parts, runs, started, new Date()));
  }

  /**
   * One run per partition of the range, oldest first, as `asset-lens backfill` does; partitions
   * already materialized are skipped unless `force`. A cancel stops the backfill at that partition.
   */
  async backfill(folders: readonly Folder[], config: ServerConfig, params: BackfillParams, cancelled?: AbortSignal): Promise<Result<BackfillResult>> {
    if (!config.trusted) return fail(untrustedMessage);
    const chosen = choose(folders, params.selection);
    if (!chosen.ok) return chosen;
    const { folder, keys: all } = chosen.value;
    let plan: BackfillPlan;
    try {
      plan = planBackfill(folder.graph(), all, params.from, params.to, Date.now());
    } catch (e) {
      return fail(messageOf(e));
    }
    const label = `backfill of '${params.selection}' [${params.from}…${params.to}]`;
    const cancelledWhileWaiting = (why: string) => ok<BackfillResult>({
      status: 'cancelled', partitions: plan.range.map((key) => ({ key, status: 'cancelled' as const, error: why })), leftOut: plan.left,
    });
    return this.claimed(folder, config, label, plan.keys, params.runToken, cancelled, async (signal) => {
      const done = params.force ? new Set<string>() : await materializedPartitions(join(folder.root, metadataFile), plan.keys);
      const results = new Map<string, BackfillPartitionDto>(plan.range.filter((p) => done.has(p)).map((key) => [key, { key, status: 'skipped' }]));
      for (const partition of plan.range.filter((p) => !done.has(p))) {
        if (signal.aborted) break;
        const s = await this.run(folder, plan.keys, config, { selection: `${params.selection} [${partition}]`, signal, runToken: params.runToken, partition });
        results.set(partition, { key: partition, status: s.status, runId: s.runId, ...(s.error ? { error: s.error } : {}) });
      }
      const partitions = plan.range.map((p) => results.get(p) ?? { key: p, status: 'cancelled' as const });
      const failed = partitions.some((p) => p.status === 'failed');
      const status = failed ? 'failed' : partitions.some((p) => p.status === 'cancelled') ? 'cancelled' : 'success';
      return ok({ status, partitions, leftOut: plan.left });
    }, cancelledWhileWaiting);
  }

  /**
   * Runs `body` once `keys` (and their warehouse) are claimed in the folder's run queue, cancellable
   * by `runToken` while it waits and while it runs. Waiting is reported through onWaiting; a cancel
   * before the claim is granted gives `whenCancelled(why)`, and nothing runs.
   */
  private async claimed<T>(
    folder: Folder, config: ServerConfig, label: string, keys: readonly AssetKey[], runToken: string, cancelled: AbortSignal | undefined,
    body: (signal: AbortSignal) => Promise<Result<T>>, whenCancelled: (why: string) => Result<T>,
  ): Promise<Result<T>> {
    const controller = new AbortController();
    cancelled?.addEventListener('abort', () => controller.abort());
    this.controllers.set(runToken, controller);
    this.busy.set(folder, (this.busy.get(folder) ?? 0) + 1);
    let lease: Lease | undefined;
    try {
      lease = await claimsFor(folder.root).claim(label, [...keys, warehouseSlot(warehousePath(folder, keys, config))], {
        signal: controller.signal,
        onWait: (holder, shares) => this.hooks.onWaiting(runToken, `waiting for ${holder} to finish${shares ? '' : ' (it writes the same warehouse)'}`),
      });
      return await body(controller.signal);
    } catch (e) {
      if (e instanceof ClaimCancelled) return whenCancelled(e.message);
      return fail(`The run could not start: ${messageOf(e)}`);
    } finally {
      lease?.release();
      this.controllers.delete(runToken);
      const n = (this.busy.get(folder) ?? 1) - 1;
      if (n) this.busy.set(folder, n); else this.busy.delete(folder);
    }
  }

  /** True while a run this server started (or one waiting to start) is in progress in the folder. */
  isBusy(folder: Folder): boolean {
    return this.busy.has(folder);
  }

  /** Aborts a run; an unknown token (the run already ended) is ignored. */
  cancel(runToken: string): void {
    this.controllers.get(runToken)?.abort();
  }

  private async run(folder: Folder, keys: readonly AssetKey[], config: ServerConfig, how: RunHow): Promise<RunSummary> {
    const { selection, signal, runToken, partition, fullRefresh } = how;
    const numbered = how.numbered ?? ((e: StepEvent) => e);
    const graph = folder.graph();
    // Status refreshes are chained so they land in order and the last one is awaited; one that is
    // still waiting to start covers every batch stored meanwhile, so a long run does not queue one per step.
    let refreshed: Promise<void> = Promise.resolve();
    let queued = false;
    const refresh = () => {
      if (queued) return;
      queued = true;
      refreshed = refreshed.then(() => { queued = false; return this.status.refresh(folder); }).then(() => this.hooks.onStatusChanged(), () => undefined);
    };
    const summary = await materialize({
      root: folder.root, graph, keys, selection, threads: config.threads, signal, ...(partition !== undefined ? { partition } : {}),
      ...(fullRefresh ? { fullRefresh: true } : {}),
      warehousePath: warehousePath(folder, keys, config),
      metadataPath: join(folder.root, metadataFile),
      onEvent: (e) => {
        this.hooks.onEvent(numbered(e));
        this.trackFailure(folder, graph, e);
      },
      onWaiting: (message) => this.hooks.onWaiting(runToken, message),
      // The hover and code lens read the store, so they refresh once a step's record is in it.
      onStored: refresh,
    });
    refresh();
    await refreshed;
    return summary;
  }

  /**
   * A failed step becomes an error at the line its SQL error points at; the asset's next success
   * clears it.
   */
  trackFailure(folder: Folder, graph: Graph, e: Pick<StepEvent, 'key' | 'status' | 'error' | 'errorLine'>): void {
    const file = graph.assets.get(e.key as AssetKey)?.file;
    if (!file || (e.status !== 'failed' && e.status !== 'success')) return;
    const byFile = this.failures.get(folder) ?? new Map<string, Map<string, DiagnosticDto>>();
    this.failures.set(folder, byFile);
    const byKey = byFile.get(file) ?? new Map<string, DiagnosticDto>();
    const had = byKey.size;
    if (e.status === 'failed' && e.errorLine) byKey.set(e.key, { file, line: e.errorLine, severity: 'error', message: `${e.key} failed: ${e.error ?? 'see the run log'}` });
    else byKey.delete(e.key);
    if (!byKey.size && !had) return;
    if (byKey.size) byFile.set(file, byKey);
    else byFile.delete(file);
    this.hooks.showFailures(folder, file, [...byKey.values()]);
  }

  /**
   * Shows the failures the store holds: each asset whose last materialization failed at a line
   * (after a restart, or a run of the CLI). Assets whose last materialization succeeded are cleared.
   */
  async syncFailures(folder: Folder): Promise<void> {
    const last = await this.status.get(folder);
    const graph = folder.graph();
    for (const m of last.values()) {
      if (m.status === 'failed' || m.status === 'success') this.trackFailure(folder, graph, m);
    }
  }
}

/** The absolute warehouse file the run of `keys` writes. */
function warehousePath(folder: Folder, keys: readonly AssetKey[], config: ServerConfig): string {
  const wh = warehouseFor(folder.graph(), keys, config.warehouse);
  return isAbsolute(wh) ? wh : join(folder.root, wh);
}

/** The answer to a run cancelled before it started: nothing ran, so nothing is in the run history. */
function notRun(selection: string, why: string, partition?: string): RunSummary {
  return { runId: randomUUID(), status: 'cancelled', selection, startedAt: new Date().toISOString(), durationMs: 0, steps: [], error: why, ...(partition !== undefined ? { partition } : {}) };
}

/**
 * The folder whose graph the selection resolves in (the first, in folder order), with the keys in
 * topological order. A selection that matches nothing anywhere reports the first folder's reason.
 */
function choose(folders: readonly Folder[], selection: string): Result<{ folder: Folder; keys: AssetKey[] }> {
  let firstError: string | undefined;
  for (const folder of folders) {
    try {
      const keys = resolveSelection(folder.graph(), parseSelection(selection));
      if (keys.length) return ok({ folder, keys });
      firstError ??= `The selection '${selection}' matches no assets.`;
    } catch (e) {
      if (!(e instanceof SelectionError)) throw e;
      firstError ??= e.message;
    }
  }
  return fail(firstError ?? 'There is no workspace folder to materialize in.');
}
