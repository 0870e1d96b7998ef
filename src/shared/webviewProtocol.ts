// Messages between the lineage webview and the extension host. Readonly interfaces unioned on a
// literal `type`; each side handles them in one exhaustive switch.
import type { AssetKeyString, GraphDto, MaterializationDto, StepEvent } from './dto';
import type { ObservedSourceDto } from './protocol';

// ---- host → webview ----

/** The whole graph; sent after `ready` and whenever the index changes. */
export interface GraphMessage {
  readonly type: 'graph';
  readonly graph: GraphDto;
}

/** Why an asset is stale, as the host's staleness evaluation says it (e.g. "code changed"). */
export interface StaleAsset {
  readonly key: AssetKeyString;
  readonly reason: string;
}

/** Last materialization per asset; replaces what the webview had. */
export interface StatusMessage {
  readonly type: 'status';
  readonly materializations: readonly MaterializationDto[];
  /**
   * The assets that are stale and why. Undefined: the host does not evaluate staleness (nothing is
   * shown as stale); empty: nothing is stale. An asset listed here that also failed shows failed.
   */
  readonly stale?: readonly StaleAsset[];
  /** Observed sources' last observations; a source never materialized shows as observed. Undefined: none. */
  readonly observed?: readonly ObservedSourceDto[];
}

/** A run step changed; the node animates while running, then recolours. */
export interface RunEventMessage {
  readonly type: 'runEvent';
  readonly event: StepEvent;
}

/** How many runs this window started are in progress; while any is, the toolbar offers Cancel. */
export interface UserRunsMessage {
  readonly type: 'userRuns';
  readonly running: number;
}

/** The active editor shows this asset (undefined: none); the view highlights it. */
export interface ActiveAssetMessage {
  readonly type: 'activeAsset';
  readonly key?: AssetKeyString;
}

/**
 * One character per partition in a PartitionStatusMessage row. Compact on purpose: a matrix of
 * 100,000 partitions travels as one string per asset instead of 100,000 objects.
 */
export const PARTITION_STATE_CODES = {
  missing: '.',
  materialized: 'M',
  failed: 'F',
  stale: 'S',
  running: 'R',
} as const;
export type PartitionState = keyof typeof PARTITION_STATE_CODES;

export interface PartitionRow {
  readonly key: AssetKeyString;
  /** `states[i]` is the state of `partitionKeys[i]` (see PARTITION_STATE_CODES); shorter: missing. */
  readonly states: string;
}

/**
 * The partition matrix: columns are `partitionKeys` in order (ISO dates or datetimes for time
 * partitions, the declared keys for static ones), rows are assets. Sent in answer to a
 * PartitionsRequestMessage and again whenever a partition's state changes while the matrix is open.
 */
export interface PartitionStatusMessage {
  readonly type: 'partitionStatus';
  readonly partitionKeys: readonly string[];
  readonly rows: readonly PartitionRow[];
}

export type HostToWebview = GraphMessage | StatusMessage | RunEventMessage | ActiveAssetMessage | PartitionStatusMessage | UserRunsMessage;

// ---- webview → host ----

/** The webview's script is loaded and listening; the host posts nothing before this. */
export interface ReadyMessage { readonly type: 'ready' }

/** Open the asset's definition in an editor. */
export interface OpenAssetMessage {
  readonly type: 'open';
  readonly key: AssetKeyString;
}

export type MaterializeScope = 'this' | 'upstream' | 'downstream';

export interface MaterializeMessage {
  readonly type: 'materialize';
  readonly keys: readonly AssetKeyString[];
  readonly scope: MaterializeScope;
  /** One partition key to materialize; undefined materializes the assets as a whole. */
  readonly partition?: string;
  /** dbt's `--full-refresh`: incremental models are rebuilt, not merged into. */
  readonly fullRefresh?: boolean;
}

export interface CopyKeyMessage {
  readonly type: 'copyKey';
  readonly key: AssetKeyString;
}

/** Show the asset's last run in the Runs view (the node menu's Show Last Run). */
export interface ShowRunMessage {
  readonly type: 'showRun';
  readonly key: AssetKeyString;
}

/** Cancel the runs this window started (the toolbar's Cancel, shown while a run is in progress). */
export interface CancelRunsMessage { readonly type: 'cancelRuns' }

/** Reload the graph and statuses (the toolbar's Refresh). */
export interface RefreshMessage { readonly type: 'refresh' }

/** The partition matrix opened for these assets; the host answers with a PartitionStatusMessage. */
export interface PartitionsRequestMessage {
  readonly type: 'partitions';
  readonly keys: readonly AssetKeyString[];
}

/** Materialize every partition from `from` to `to` (both included, in partition order) of `keys`. */
export interface BackfillMessage {
  readonly type: 'backfill';
  readonly keys: readonly AssetKeyString[];
  readonly from: string;
  readonly to: string;
}

/** Show the asset's compiled SQL in an editor (the extension's Show Compiled SQL command). */
export interface ShowCompiledSqlMessage {
  readonly type: 'showCompiledSql';
  readonly key: AssetKeyString;
}

export type WebviewToHost =
  | ReadyMessage | OpenAssetMessage | MaterializeMessage | CopyKeyMessage | RefreshMessage | PartitionsRequestMessage | BackfillMessage
  | ShowCompiledSqlMessage | CancelRunsMessage | ShowRunMessage;
