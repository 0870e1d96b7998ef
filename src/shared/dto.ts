// The data the language server, the extension, the webview and the CLI exchange: the graph as
// DTOs and the run metadata (profiles, checks, materializations, step events, run summaries).
// Types only; protocol.ts declares the custom LSP methods that carry them.

/** An asset key written as its segments joined by `/`, e.g. `target/main/raw_orders`. */
export type AssetKeyString = string;

/** `exposure`: a dbt exposure (a dashboard, notebook or application that reads assets); shown in lineage, never built. */
export type AssetKind = 'model' | 'seed' | 'source' | 'snapshot' | 'python' | 'sql_python' | 'external' | 'exposure';

export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'seed' | 'snapshot' | 'source';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the workspace; `file` is relative to the workspace root, `line` 1-based. */
export interface DiagnosticDto {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly severity: Severity;
  readonly message: string;
}

export interface ColumnDoc {
  readonly name: string;
  readonly description?: string;
  readonly tests: readonly string[];
}

/** One asset as the CLI's `graph --json` and the webview see it (a stable contract). */
export interface AssetDto {
  readonly key: AssetKeyString;
  readonly kind: AssetKind;
  /** Path relative to the workspace root, `/`-separated. */
  readonly file: string;
  /** 1-based line of the definition. */
  readonly line: number;
  /** Keys this asset reads, sorted. */
  readonly deps: readonly AssetKeyString[];
  /** Present on dbt nodes only: dbt's own unique_id (`model.jaffle_shop.customers`). */
  readonly dbt?: { readonly unique_id: string };
  readonly description?: string;
  readonly materialized?: Materialization;
  readonly group?: string;
  readonly tags?: readonly string[];
  /** `database.schema.identifier` the asset is written to; absent for assets with no relation. */
  readonly relation?: string;
  readonly columns?: readonly ColumnDoc[];
  /** How the asset is partitioned; absent for an unpartitioned asset. */
  readonly partitions?: PartitionsDto;
}

/**
 * An asset's partitions definition as declared: `kind` is daily, hourly, weekly, monthly, static
 * or other; `keys` lists a static definition's keys (absent for time partitions); `start` is a
 * time definition's first partition (ISO date, absent for static ones).
 */
export interface PartitionsDto {
  readonly kind: string;
  readonly keys?: readonly string[];
  readonly start?: string;
}

export interface GraphDto {
  readonly assets: readonly AssetDto[];
  readonly diagnostics: readonly DiagnosticDto[];
}

// ---- run metadata ----

export type StepStatus = 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled';

export interface ColumnProfile {
  readonly name: string;
  readonly type: string;
  readonly nullCount: number;
  readonly nullPct: number;
  readonly approxDistinct: number;
  readonly min?: string;
  readonly max?: string;
  readonly mean?: number;
  readonly std?: number;
  /** The most frequent values of a low-cardinality text column, most frequent first; absent for other columns. */
  readonly topValues?: readonly { readonly value: string; readonly count: number }[];
}

export interface TableProfile {
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
  /**
   * The data's size in bytes, uncompressed: each value's width (8 for a BIGINT, a string's UTF-8
   * length). DuckDB compresses on disk, so the file grows by less. Absent in profiles stored before.
   */
  readonly bytes?: number;
  /** How long profiling took, in ms. Absent in profiles stored before. */
  readonly durationMs?: number;
}

export interface CheckResult {
  readonly name: string;
  readonly column?: string;
  readonly status: 'pass' | 'fail' | 'warn' | 'error';
  readonly failingRows: number;
  readonly message?: string;
}

/** The last materialization of an asset, as `status --json` and hovers show it. */
export interface MaterializationDto {
  readonly key: AssetKeyString;
  readonly runId: string;
  readonly status: StepStatus;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly rows?: number;
  /** `schema.identifier` as written in the warehouse. */
  readonly relation?: string;
  readonly error?: string;
  /** For a failure: the 1-based line of the asset's file the error points at (as StepEvent.errorLine). */
  readonly errorLine?: number;
  readonly profile?: TableProfile;
  readonly checks?: readonly CheckResult[];
}

export interface StepEvent {
  readonly runId: string;
  readonly key: AssetKeyString;
  readonly status: StepStatus;
  readonly index: number;
  readonly total: number;
  readonly rows?: number;
  readonly durationMs?: number;
  readonly error?: string;
  /**
   * For a failed step: the 1-based line in the asset's file (Asset.file) the error points at, as
   * mapped back from the rendered SQL (or the CSV line of a seed). Absent when the failure has no
   * place in the file (a locked warehouse, an upstream failure).
   */
  readonly errorLine?: number;
  /** Set when the step has no way to run here (e.g. a Python asset with a real Python body). */
  readonly note?: string;
  /** The partition the step wrote; absent for unpartitioned assets and runs. */
  readonly partition?: string;
  /** Why automation started the step's run; absent for runs a user started (their progress ignores the others). */
  readonly reason?: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly status: RunStatus;
  readonly selection: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: readonly StepEvent[];
  readonly error?: string;
  /** When one step failed: the 1-based line in that asset's file its error points at (see StepEvent.errorLine). */
  readonly errorLine?: number;
  /** The partition the run materialized; absent for unpartitioned runs. */
  readonly partition?: string;
  /** Why automation started the run; absent for runs a user started. */
  readonly reason?: string;
}
