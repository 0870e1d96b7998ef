// The custom LSP methods between the language server and the extension: every method is declared
// here once, with its params and result, and both sides use it. The data they carry is in dto.ts.
import type { AssetKeyString, GraphDto, MaterializationDto, RunStatus, RunSummary, StepEvent, StepStatus } from './dto';

// ---- LSP custom methods (server ⇄ extension) ----

export const GraphRequest = 'assetLens/graph';
export type GraphParams = Record<string, never>;
export type GraphResult = GraphDto;

export const MaterializeRequest = 'assetLens/materialize';
export interface MaterializeParams {
  readonly selection: string;
  /** The partition to materialize; undefined: the selection must hold no partitioned asset. */
  readonly partition?: string;
  /** Token the client passes to CancelRunNotification. */
  readonly runToken: string;
  /** dbt's `--full-refresh`: incremental models are rebuilt from scratch instead of merged into. */
  readonly fullRefresh?: boolean;
}
export type MaterializeResult = RunSummary;

export const CancelRunNotification = 'assetLens/cancelRun';
export interface CancelRunParams { readonly runToken: string }

export const StatusRequest = 'assetLens/status';
export type StatusParams = Record<string, never>;
export interface StatusResult { readonly materializations: readonly MaterializationDto[] }

/** Which asset a document position is in, for "Materialize" from the editor. */
export const AssetAtRequest = 'assetLens/assetAt';
export interface AssetAtParams { readonly uri: string; readonly line: number }
export interface AssetAtResult { readonly key?: AssetKeyString }

/** Where an asset is defined, for "open" from the lineage view. */
export const LocateRequest = 'assetLens/locate';
export interface LocateParams { readonly key: AssetKeyString }
export interface LocateResult { readonly uri?: string; readonly line?: number }

/**
 * The SQL an asset runs, rendered with dbt's context as a run would (is_incremental() false;
 * run_query() is not available without a run). Fails with the reason when the asset has no SQL
 * (a seed, a source, a Python body), the key is unknown, the template does not render, or the
 * workspace is untrusted (rendering can run code).
 */
export const CompiledSqlRequest = 'assetLens/compiledSql';
export interface CompiledSqlParams { readonly key: AssetKeyString }
export interface CompiledSqlResult { readonly sql: string }

/** Stale assets and the first reason each is stale, as `status` evaluates them (for the lineage view). */
export const AssetStatesRequest = 'assetLens/assetStates';
export type AssetStatesParams = Record<string, never>;
export interface AssetStatesResult {
  /**
   * Assets that materialized before and are stale now, by key, with their first named reason
   * ("upstream `raw/orders` has newer data"). Assets that never materialized are left out: the
   * view shows them as never materialized. Empty: nothing is stale (or nothing ran yet).
   */
  readonly stale: readonly { readonly key: AssetKeyString; readonly reason: string }[];
  /** The last observation of each observed source (a CSV or Parquet file); undefined or empty: none observed yet. */
  readonly observed?: readonly ObservedSourceDto[];
}

/** A source's last observation: what its data version is and since when (a new version: new data). */
export interface ObservedSourceDto {
  readonly key: AssetKeyString;
  readonly dataVersion: string;
  /** ISO-8601 UTC: when this data version was first observed. */
  readonly since: string;
  /** ISO-8601 UTC: the last look that found it. */
  readonly observedAt: string;
}

/** The partition matrix of some assets, encoded as the webview's PARTITION_STATE_CODES. */
export const PartitionStatusRequest = 'assetLens/partitionStatus';
export interface PartitionStatusParams { readonly keys: readonly AssetKeyString[] }
export interface PartitionStatusResult {
  /** The columns, oldest first for time partitions, declared order for static ones; empty when no key is partitioned. */
  readonly partitionKeys: readonly string[];
  /**
   * One row per requested key that is partitioned (unknown and unpartitioned keys have none):
   * `states[i]` is the code of `partitionKeys[i]`; a shorter string means the rest are missing.
   */
  readonly rows: readonly { readonly key: AssetKeyString; readonly states: string }[];
}

/**
 * Materializes partitions `from`..`to` (inclusive) of the selection's partitioned assets, one run
 * per partition, oldest first, as `asset-lens backfill` does. Fails when untrusted, when the
 * selection has no partitioned asset or mixes definitions, or when `from`/`to` is no partition.
 */
export const BackfillRequest = 'assetLens/backfill';
export interface BackfillParams {
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  /** Token the client passes to CancelRunNotification; cancels the partition running and the rest. */
  readonly runToken: string;
  /** true: run partitions that are already materialized too; absent: skip them (a resumed backfill). */
  readonly force?: boolean;
}
export interface BackfillPartitionDto {
  readonly key: string;
  readonly status: RunStatus | 'skipped';
  readonly runId?: string;
  readonly error?: string;
}
export interface BackfillResult {
  /** `cancelled` when it stopped before the last partition. */
  readonly status: RunStatus;
  /** Every partition of the range, in partition order. */
  readonly partitions: readonly BackfillPartitionDto[];
  /** Selected assets that are not partitioned and were left out; empty when none. */
  readonly leftOut: readonly AssetKeyString[];
}

/**
 * What started a run, as the run history records it: `user` (an editor command or the CLI),
 * `backfill` (one run per partition), `check` (`asset-lens test`), or automation: `schedule`,
 * `sensor` (file and asset sensors) and `automation` (eager, missing and freshness requests).
 */
export type RunTrigger = 'user' | 'backfill' | 'check' | 'automation' | 'schedule' | 'sensor';

/** One step of a run in the history: what the metadata store holds for it. */
export interface RunHistoryStepDto {
  readonly key: AssetKeyString;
  readonly status: StepStatus;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Absent for unpartitioned assets. */
  readonly partition?: string;
  /** Rows the step wrote; absent when it wrote nothing (failed, skipped) or was not profiled. */
  readonly rows?: number;
  readonly error?: string;
  /** For a failed step: the 1-based line of the asset's file the error points at (as StepEvent.errorLine). */
  readonly errorLine?: number;
  /** Why a step did not run or what it left undone ("Skipped: upstream stg_orders failed"). */
  readonly note?: string;
}

/** One run of the history, with its steps in the order they started. */
export interface RunHistoryDto {
  readonly runId: string;
  /** `running` while it runs, or when its process stopped without a trace and is still alive. */
  readonly status: RunStatus;
  readonly selection: string;
  readonly trigger: RunTrigger;
  /** Automation's reason ("eager: upstream raw/orders has new data"); absent for user runs and backfills. */
  readonly reason?: string;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  /** Absent while the run is running. */
  readonly durationMs?: number;
  readonly error?: string;
  /** The partition the run wrote; absent for unpartitioned runs. */
  readonly partition?: string;
  /** The workspace folder's name when the workspace has several; absent with one. */
  readonly folder?: string;
  readonly steps: readonly RunHistoryStepDto[];
}

/**
 * The run history of every workspace folder, newest first, one page at a time. Reads the
 * metadata store and never creates it: a workspace that never ran anything has no runs.
 */
export const RunHistoryRequest = 'assetLens/runHistory';
export interface RunHistoryParams {
  /** Runs per page; absent: 50. */
  readonly limit?: number;
  /** The `startedAt` of the oldest run already shown: the page holds runs that started before it. Absent: the newest runs. */
  readonly before?: string;
}
export interface RunHistoryResult {
  readonly runs: readonly RunHistoryDto[];
  /** true when older runs exist beyond this page. */
  readonly more: boolean;
}

/** Sent by the server for every step change of a run. */
export const RunEventNotification = 'assetLens/runEvent';
export type RunEventParams = StepEvent;

/**
 * Sent while a run waits for another run that holds some of its assets (the same asset never runs
 * twice at once); the client shows `message` on that run's progress. Cancelling the run stops the wait.
 */
export const RunWaitingNotification = 'assetLens/runWaiting';
export interface RunWaitingParams {
  /** The waiting run's token, as its MaterializeParams or BackfillParams gave it. */
  readonly runToken: string;
  /** "waiting for automation run of raw/orders (eager: …) to finish". */
  readonly message: string;
}

/**
 * Sent by the server when a run automation started has finished: its summary, with `reason` (why
 * automation ran it, e.g. "eager: upstream source_orders has new data"). Its steps were streamed as
 * RunEventNotifications meanwhile, like a user's run.
 */
export const AutomationRunNotification = 'assetLens/automationRun';
export type AutomationRunParams = RunSummary;

/** Sent by the server when the graph changed (files edited, created, deleted). */
export const GraphChangedNotification = 'assetLens/graphChanged';

/** Sent by the server when the stored status of assets changed (a run step finished). */
export const StatusChangedNotification = 'assetLens/statusChanged';

/** Initialization options the client sends; the server reads nothing else from the client. */
export interface ServerInitOptions {
  /** false in a restricted (untrusted) workspace: index and show only, never execute. */
  readonly trusted: boolean;
  /** Warehouse path relative to the workspace root, used when no dbt profile names one. */
  readonly warehouse: string;
  readonly threads: number;
  /** `assetLens.automation.enabled`; absent or false: nothing runs unless the user asks. Ignored when untrusted. */
  readonly automation?: boolean;
}

/**
 * Every custom request with its params and result. Each side's dispatcher is a mapped type over
 * this interface, so a request added here fails to compile until both sides handle it.
 */
export interface CustomRequests {
  readonly [GraphRequest]: { readonly params: GraphParams; readonly result: GraphResult };
  readonly [MaterializeRequest]: { readonly params: MaterializeParams; readonly result: MaterializeResult };
  readonly [StatusRequest]: { readonly params: StatusParams; readonly result: StatusResult };
  readonly [AssetAtRequest]: { readonly params: AssetAtParams; readonly result: AssetAtResult };
  readonly [LocateRequest]: { readonly params: LocateParams; readonly result: LocateResult };
  readonly [CompiledSqlRequest]: { readonly params: CompiledSqlParams; readonly result: CompiledSqlResult };
  readonly [AssetStatesRequest]: { readonly params: AssetStatesParams; readonly result: AssetStatesResult };
  readonly [PartitionStatusRequest]: { readonly params: PartitionStatusParams; readonly result: PartitionStatusResult };
  readonly [BackfillRequest]: { readonly params: BackfillParams; readonly result: BackfillResult };
  readonly [RunHistoryRequest]: { readonly params: RunHistoryParams; readonly result: RunHistoryResult };
}

/** Every custom notification with its params (`undefined`: the notification carries none). */
export interface CustomNotifications {
  readonly [CancelRunNotification]: CancelRunParams;
  readonly [RunEventNotification]: RunEventParams;
  readonly [RunWaitingNotification]: RunWaitingParams;
  readonly [GraphChangedNotification]: undefined;
  readonly [StatusChangedNotification]: undefined;
  readonly [AutomationRunNotification]: AutomationRunParams;
}
