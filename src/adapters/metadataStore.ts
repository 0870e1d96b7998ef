// The run metadata store: run history, materializations, profiles and check results, in a DuckDB
// file of its own (`<root>/.assetlens/metadata.duckdb`), never in the user's warehouse. The file is
// opened per operation so the language server and the CLI can take turns; a busy file is retried
// briefly, then reported by name. Writes are transactional and the schema migrates forward.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CheckResult, MaterializationDto, RunStatus, StepStatus, TableProfile } from '../shared/dto';
import { DatabaseLockedError, DuckDb, type Param, type Row } from './duckdb';

/** One forward migration per schema version; index 0 brings an empty file to version 1. */
export const migrations: readonly string[] = [
  `CREATE TABLE runs (id VARCHAR PRIMARY KEY, selection VARCHAR NOT NULL, status VARCHAR NOT NULL,
     started_at VARCHAR NOT NULL, duration_ms BIGINT, error VARCHAR, pid INTEGER, host VARCHAR);
   CREATE SEQUENCE materialization_seq;
   CREATE TABLE materializations (id VARCHAR PRIMARY KEY, seq BIGINT DEFAULT nextval('materialization_seq'),
     run_id VARCHAR NOT NULL, asset_key VARCHAR NOT NULL, partition_key VARCHAR, code_version VARCHAR,
     status VARCHAR NOT NULL, started_at VARCHAR NOT NULL, duration_ms BIGINT NOT NULL, rows BIGINT,
     relation VARCHAR, error VARCHAR, note VARCHAR);
   CREATE TABLE profiles (materialization_id VARCHAR PRIMARY KEY, profile JSON NOT NULL);
   CREATE TABLE check_results (materialization_id VARCHAR NOT NULL, ordinal INTEGER NOT NULL, name VARCHAR NOT NULL,
     column_name VARCHAR, status VARCHAR NOT NULL, failing_rows BIGINT NOT NULL, message VARCHAR);`,
  // Version 2: `asset-lens test` records check-only steps and runs beside materializations.
  `ALTER TABLE materializations ADD COLUMN kind VARCHAR DEFAULT 'materialize';
   ALTER TABLE runs ADD COLUMN kind VARCHAR DEFAULT 'materialize';`,
  // Version 3: data versions and lineage per materialization, source observations, and why a run started.
  `ALTER TABLE materializations ADD COLUMN data_version VARCHAR;
   ALTER TABLE materializations ADD COLUMN lineage JSON;
   ALTER TABLE runs ADD COLUMN reason VARCHAR;
   CREATE TABLE observations (asset_key VARCHAR NOT NULL, data_version VARCHAR NOT NULL,
     observed_at BIGINT NOT NULL, since BIGINT NOT NULL, detail VARCHAR);`,
  // Version 4: the line of the asset's file a failure points at, so the Problems panel and the Runs view keep it after a restart.
  `ALTER TABLE materializations ADD COLUMN error_line INTEGER;`,
];

/** A run or step that materializes, or one that only runs checks against what is in the warehouse. */
export type RecordKind = 'materialize' | 'check';

export const INTERRUPTED = 'Interrupted: the process running it stopped before the run finished.';

/**
 * A step as the runner reports it. Timestamps are ISO-8601 UTC strings. Its outcome has the fields
 * a materialization is read back with (status, timings, rows, relation, error and its line, profile, checks).
 */
export interface StepRecord extends Pick<MaterializationDto, 'status' | 'startedAt' | 'durationMs' | 'rows' | 'relation' | 'error' | 'errorLine' | 'profile' | 'checks'> {
  readonly key: string;
  /** Absent: 'materialize'. A 'check' step never counts as the asset's last materialization. */
  readonly kind?: RecordKind;
  /** Absent for unpartitioned assets. */
  readonly partition?: string;
  readonly codeVersion?: string;
  /** What the step wrote (see core/versions); absent when it wrote nothing. */
  readonly dataVersion?: string;
  /** The inputs and roots it read (core/records lineageFor) and its start in epoch ms; absent when it wrote nothing. */
  readonly lineage?: StepLineage;
  readonly note?: string;
}

export interface StepLineage {
  readonly at: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly roots: Readonly<Record<string, { readonly version: string; readonly at: number }>>;
}

export interface RunRecord {
  readonly id: string;
  readonly selection: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  /** Absent while the run is running. */
  readonly durationMs?: number;
  readonly error?: string;
  /** Why automation started it ("eager: upstream source_orders has new data"); absent for runs a user started. */
  readonly reason?: string;
}

/** Runs begun by this process and not finished yet: the only 'running' rows of this PID that are real. */
const activeRuns = new Set<string>();
/** The last open of each file in this process, so the next one waits for it. */
const prepared = new Map<string, Promise<void>>();

export class MetadataStore {
  /** The connection held for a run (see hold); undefined: each operation opens the file. */
  private held: DuckDb | undefined;
  private constructor(readonly path: string) {}

  /** Migrates the file to the current schema and marks runs whose process died as failed. */
  static async open(path: string): Promise<MetadataStore> {
    const store = new MetadataStore(path);
    // Chained per file so two opens in this process never migrate at once; run on every open,
    // since the file may have been deleted or a run of another process may have died meanwhile.
    const ready = (prepared.get(path) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => store.with(async (db) => { await prepare(db); await recoverInterrupted(db); }));
    prepared.set(path, ready);
    await ready;
    return store;
  }

  /**
   * Keeps the file open until close(), so a run's many small writes do not reopen it each time.
   * Other processes wait (and retry) for the file meanwhile, as they would for one long write.
   */
  async hold(): Promise<void> {
    this.held ??= await openWithRetry(this.path);
  }

  async beginRun(run: { readonly id: string; readonly selection: string; readonly startedAt: string; readonly kind?: RecordKind; readonly reason?: string }): Promise<void> {
    activeRuns.add(run.id);
    await this.with((db) => db.run(
      'INSERT INTO runs (id, selection, status, started_at, pid, host, kind, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [run.id, run.selection, 'running', run.startedAt, process.pid, hostname(), run.kind ?? 'materialize', run.reason ?? null]));
  }

  /** Runs `fn` on the store's connection (held or opened for it); for the record queries in storeRecords.ts. */
  use<T>(fn: (db: DuckDb) => Promise<T>): Promise<T> {
    return this.with(fn);
  }

  /** Stores one step with its profile and checks, all or nothing. */
  async recordStep(runId: string, step: StepRecord): Promise<void> {
    await this.recordSteps(runId, [step]);
  }

  /** Stores steps that ended together in one transaction: a commit costs more than the rows. */
  async recordSteps(runId: string, steps: readonly StepRecord[]): Promise<void> {
    if (!steps.length) return;
    await this.with((db) => db.transaction(() => insertSteps(db, runId, steps)));
  }

  async finishRun(runId: string, end: { readonly status: RunStatus; readonly durationMs: number; readonly error?: string }): Promise<void> {
    try {
      await this.with((db) => db.run('UPDATE runs SET status = ?, duration_ms = ?, error = ? WHERE id = ?',
        [end.status, Math.round(end.durationMs), end.error ?? null, runId]));
    } finally {
      // Even when the update failed: the next open then marks the run interrupted instead of running forever.
      activeRuns.delete(runId);
    }
  }

  /**
   * The latest successful or failed materialization of each asset (any partition), sorted by key,
   * with the checks of whichever came last: that materialization or a later `asset-lens test`.
   */
  async lastMaterializations(): Promise<MaterializationDto[]> {
    return this.with(async (db) => {
      const rows = await db.query(
        `SELECT m.*, p.profile::VARCHAR AS profile FROM (
           SELECT *, row_number() OVER (PARTITION BY asset_key ORDER BY seq DESC) AS rn
           FROM materializations WHERE status IN ('success', 'failed') AND kind = 'materialize') m
         LEFT JOIN profiles p ON p.materialization_id = m.id
         WHERE m.rn = 1 ORDER BY m.asset_key`);
      const checks = await db.query(
        `SELECT c.*, m.asset_key FROM check_results c JOIN (
           SELECT id, asset_key, row_number() OVER (PARTITION BY asset_key ORDER BY seq DESC) AS rn
           FROM materializations WHERE status IN ('success', 'failed')) m ON m.id = c.materialization_id AND m.rn = 1
         ORDER BY c.materialization_id, c.ordinal`);
      const byKey = groupChecks(checks);
      return rows.map((r) => toMaterialization(r, byKey.get(String(r.asset_key))));
    });
  }

  /** The most recent runs, newest first. */
  async runs(limit = 20): Promise<RunRecord[]> {
    return this.with(async (db) => {
      const rows = await db.query('SELECT * FROM runs ORDER BY started_at DESC, id LIMIT ?', [limit]);
      return rows.map((r) => ({
        id: String(r.id), selection: String(r.selection), status: String(r.status) as RunStatus,
        startedAt: String(r.started_at), ...opt('durationMs', num(r.duration_ms)), ...opt('error', str(r.error)), ...opt('reason', str(r.reason)),
      }));
    });
  }

  /** Lets go of a connection held by hold(); without one, nothing stays open between operations. */
  close(): void {
    this.held?.close();
    this.held = undefined;
  }

  /** Opens the file for one operation (or uses the held one), retrying briefly while another process holds it. */
  private async with<T>(fn: (db: DuckDb) => Promise<T>): Promise<T> {
    if (this.held) return fn(this.held);
    const db = await openWithRetry(this.path);
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  }
}

/** Most rows per INSERT: DuckDB binds every `?` of a statement, and a huge statement costs more to prepare than it saves. */
const rowsPerInsert = 200;

/**
 * Inserts steps' rows (materializations, profiles, checks) with one multi-row INSERT per table and
 * chunk: a statement per row costs a round trip each, which dominated runs of many small steps.
 */
async function insertSteps(db: DuckDb, runId: string, steps: readonly StepRecord[]): Promise<void> {
  for (let at = 0; at < steps.length; at += rowsPerInsert) {
    const chunk = steps.slice(at, at + rowsPerInsert).map((step) => ({ id: randomUUID(), step }));
    await insertRows(db, 'materializations (id, run_id, asset_key, partition_key, code_version, status, started_at, duration_ms, rows, relation, error, note, kind, data_version, lineage, error_line)',
      chunk.map(({ id, step }) => [id, runId, step.key, step.partition ?? null, step.codeVersion ?? null, step.status, step.startedAt,
        Math.round(step.durationMs), step.rows ?? null, step.relation ?? null, step.error ?? null, step.note ?? null, step.kind ?? 'materialize',
        step.dataVersion ?? null, step.lineage ? JSON.stringify(step.lineage) : null, step.errorLine ?? null]));
    await insertRows(db, 'profiles', chunk.filter(({ step }) => step.profile).map(({ id, step }) => [id, JSON.stringify(step.profile)]));
    await insertRows(db, 'check_results', chunk.flatMap(({ id, step }) => (step.checks ?? []).map((c, i) =>
      [id, i, c.name, c.column ?? null, c.status, c.failingRows, c.message ?? null])));
  }
}

/** One INSERT of `rows` (all of the same width) into `into`; nothing when there are none. */
async function insertRows(db: DuckDb, into: string, rows: readonly (readonly Param[])[]): Promise<void> {
  if (!rows.length) return;
  const tuple = `(${rows[0]!.map(() => '?').join(', ')})`;
  await db.run(`INSERT INTO ${into} VALUES ${rows.map(() => tuple).join(', ')}`, rows.flat());
}

async function openWithRetry(path: string): Promise<DuckDb> {
  try {
    return await DuckDb.openWaiting(path, [20, 40, 80, 160, 320, 400, 400, 400]);
  } catch (e) {
    if (!(e instanceof DatabaseLockedError)) throw e;
    throw new Error(`The Asset Lens metadata store ${e.file} is busy: another process${e.holder ? ` (${e.holder})` : ''} ` +
      'has held it for over 1.5 s. Try again when that process has finished.');
  }
}

async function prepare(db: DuckDb): Promise<void> {
  await db.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const rows = await db.query('SELECT max(version) AS v FROM schema_version');
  const current = num(rows[0]?.v) ?? 0;
  if (current > migrations.length) {
    throw new Error(`The metadata store ${db.file} has schema version ${current}, written by a newer Asset Lens; ` +
      `this version reads up to ${migrations.length}. Update Asset Lens or move the file away.`);
  }
  for (let v = current; v < migrations.length; v++) {
    await db.transaction(async () => {
      await db.run(migrations[v]!);
      await db.run('DELETE FROM schema_version');
      await db.run('INSERT INTO schema_version VALUES (?)', [v + 1]);
    });
  }
}

/** Marks as failed every 'running' run whose process is gone (a crash or kill -9). */
async function recoverInterrupted(db: DuckDb): Promise<void> {
  const running = await db.query("SELECT id, pid, host FROM runs WHERE status = 'running'");
  const here = hostname();
  const dead = running.filter((r) => {
    const pid = num(r.pid);
    if (r.host !== here || pid === undefined) return false;
    return pid === process.pid ? !activeRuns.has(String(r.id)) : !processAlive(pid);
  });
  for (const r of dead) {
    await db.run("UPDATE runs SET status = 'failed', error = ? WHERE id = ? AND status = 'running'", [INTERRUPTED, String(r.id)]);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupChecks(rows: readonly Row[]): Map<string, CheckResult[]> {
  const out = new Map<string, CheckResult[]>();
  for (const r of rows) {
    const key = String(r.asset_key);
    const list = out.get(key) ?? [];
    list.push({
      name: String(r.name), ...opt('column', str(r.column_name)), status: String(r.status) as CheckResult['status'],
      failingRows: num(r.failing_rows) ?? 0, ...opt('message', str(r.message)),
    });
    out.set(key, list);
  }
  return out;
}

function toMaterialization(r: Row, checks: CheckResult[] | undefined): MaterializationDto {
  const profile = str(r.profile);
  return {
    key: String(r.asset_key), runId: String(r.run_id), status: String(r.status) as StepStatus,
    startedAt: String(r.started_at), durationMs: num(r.duration_ms) ?? 0,
    ...opt('rows', num(r.rows)), ...opt('relation', str(r.relation)), ...opt('error', str(r.error)), ...opt('errorLine', num(r.error_line)),
    ...opt('profile', profile ? (JSON.parse(profile) as TableProfile) : undefined),
    ...opt('checks', checks ?? (r.status === 'success' ? [] : undefined)),
  };
}

export const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
export const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
/** Spreads `{ [k]: v }` only when v is defined, so absent fields stay absent rather than `undefined`. */
export const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : { [k]: v } as { [P in K]?: V });
