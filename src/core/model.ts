// The domain model of the index: assets as the linker produces them. Immutable values.
import type { AssetKind, ColumnDoc, DiagnosticDto, Materialization } from '../shared/dto';

/** A branded asset key (`a/b/c`), so a plain string cannot be passed where a key is meant. */
export type AssetKey = string & { readonly __brand: 'AssetKey' };

export const assetKey = (segments: readonly string[]): AssetKey => segments.join('/') as AssetKey;
export const keyFromString = (s: string): AssetKey => s as AssetKey;
export const keySegments = (k: AssetKey): string[] => k.split('/');

/** Where an asset lives in the warehouse. */
export interface Relation {
  readonly database?: string;
  readonly schema: string;
  readonly identifier: string;
}

export const relationString = (r: Relation): string =>
  [r.database, r.schema, r.identifier].filter((p): p is string => !!p).join('.');

/** A data test attached to an asset (dbt generic or singular test). */
export interface TestDef {
  /** `unique`, `not_null`, `accepted_values`, `relationships`, or a custom generic test name; `singular` for tests/*.sql. */
  readonly name: string;
  readonly column?: string;
  /** The test's arguments as written in YAML (`values`, `to`, `field`, …). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly severity: 'error' | 'warn';
  /** For singular tests: the file (relative) whose SQL selects failing rows. */
  readonly file?: string;
}

/** What a dbt node carries beyond the common asset fields. */
export interface DbtNode {
  readonly uniqueId: string;
  readonly resourceType: 'model' | 'seed' | 'snapshot' | 'source' | 'exposure';
  readonly packageName: string;
  readonly name: string;
  /** Project root relative to the workspace root (`''` for the workspace root itself). */
  readonly projectDir: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** For sources: the source name and table name. */
  readonly sourceName?: string;
}

export interface Asset {
  readonly key: AssetKey;
  readonly kind: AssetKind;
  /** Workspace-relative, `/`-separated. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly deps: readonly AssetKey[];
  readonly description?: string;
  readonly materialized?: Materialization;
  readonly group?: string;
  readonly tags: readonly string[];
  readonly relation?: Relation;
  readonly columns: readonly ColumnDoc[];
  readonly tests: readonly TestDef[];
  readonly dbt?: DbtNode;
  /** The SQL template (dbt model body, or a Python asset's returned Jinja SQL). */
  readonly sql?: string;
  /** 1-based line in `file` where `sql` starts (for mapping errors back). */
  readonly sqlLine?: number;
  /** For seeds: column name → DuckDB type from `column_types`. */
  readonly columnTypes?: Readonly<Record<string, string>>;
  /** Dagster `kinds` / `compute_kind` (e.g. duckdb, sql). */
  readonly kinds?: readonly string[];
  readonly partitions?: PartitionsDef;
  /**
   * Dagster's `metadata={"partition_expr": …}` (or a dbt node's meta): the SQL expression whose value
   * places a row in a partition, as the DuckDB IO manager deletes by. Undefined: a partition column.
   */
  readonly partitionExpr?: string;
  readonly freshness?: FreshnessDef;
  /** `eager`, `lazy`, `on_cron`, … from auto_materialize_policy / automation_condition. */
  readonly automation?: string;
  readonly codeVersion?: string;
  /** Names of `@asset_check`s defined for this asset. */
  readonly checks?: readonly string[];
  /** Why this asset is only partly known statically (a factory argument that is not a literal…). */
  readonly hint?: string;
  /** Python assets: the decorated function's name. */
  readonly pythonFunction?: string;
  /** dbt exposures: what reads the data and who owns it, as written in YAML. */
  readonly exposure?: ExposureInfo;
}

export interface ExposureInfo {
  /** `dashboard`, `notebook`, `analysis`, `ml` or `application`. */
  readonly type?: string;
  readonly owner?: string;
  readonly url?: string;
  readonly maturity?: string;
}

export interface PartitionsDef {
  readonly kind: 'daily' | 'hourly' | 'weekly' | 'monthly' | 'static' | 'other';
  readonly start?: string;
  readonly endOffset?: number;
  readonly timezone?: string;
  readonly keys?: readonly string[];
}

export interface FreshnessDef {
  readonly maximumLagMinutes: number;
  readonly cronSchedule?: string;
}

export type Diagnostic = DiagnosticDto;

/** A reference written in a file, kept for go-to-definition and hover on the reference. */
export interface Reference {
  readonly file: string;
  /** 0-based line and columns of the reference's text (the quoted name). */
  readonly line: number;
  readonly startCol: number;
  readonly endCol: number;
  readonly target: AssetKey;
  /** The asset the reference is written in. */
  readonly from: AssetKey;
}
