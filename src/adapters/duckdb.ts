// A small wrapper over @duckdb/node-api. A database file is opened for one run or one operation,
// never for the whole session, so dbt or a DuckDB shell started outside Asset Lens can use it in
// between. Within this process one native instance is shared per file: DuckDB's file lock only
// guards against other processes, and two instances writing the same file here would corrupt it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { messageOf } from '../core/text';

/** A JSON-safe cell: BIGINT/HUGEINT/DECIMAL, dates and timestamps arrive as strings. */
export type Cell = string | number | boolean | null | readonly Cell[] | { readonly [k: string]: Cell };
export type Row = Readonly<Record<string, Cell>>;
/** Values bound to `?` placeholders. */
export type Param = string | number | boolean | bigint | null;

/** Another process holds the file (a dbt run, a DuckDB shell, the other half of Asset Lens). */
export class DatabaseLockedError extends Error {
  constructor(readonly file: string, readonly holder: string | undefined) {
    super(`The DuckDB file ${file} is locked by another process${holder ? ` (${holder})` : ''}. ` +
      'Wait for it to finish or close it (a dbt run, a DuckDB shell, a notebook), then try again.');
    this.name = 'DatabaseLockedError';
  }
}

/** The query was stopped by interrupt(). */
export class InterruptedError extends Error {
  constructor() { super('Cancelled: the query was interrupted.'); this.name = 'InterruptedError'; }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;
/** `"schema"."identifier"`; the database part is left out because the open file is the current catalog. */
export const quoteRelation = (r: { readonly schema: string; readonly identifier: string }): string =>
  `${quoteIdent(r.schema)}.${quoteIdent(r.identifier)}`;

interface Shared { instance: Promise<DuckDBInstance>; users: number }
const shared = new Map<string, Shared>();

export class DuckDb {
  private closed = false;
  private constructor(readonly file: string, private readonly conn: DuckDBConnection) {}

  /**
   * Opens the file like open(), but while another process holds it waits `waits[i]` ms before try
   * i + 1, calling `onWait` once per wait; after the last wait (or on `signal`) the
   * DatabaseLockedError is thrown. A dbt run or a notebook query usually lets go within seconds.
   */
  static async openWaiting(path: string, waits: readonly number[], onWait?: (e: DatabaseLockedError) => void, signal?: AbortSignal): Promise<DuckDb> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await DuckDb.open(path);
      } catch (e) {
        const wait = waits[attempt];
        if (!(e instanceof DatabaseLockedError) || wait === undefined || signal?.aborted) throw e;
        onWait?.(e);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Opens (creating it and its folder when missing) the database file; throws DatabaseLockedError when another process holds it. */
  static async open(path: string): Promise<DuckDb> {
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    let entry = shared.get(file);
    if (!entry) {
      entry = { instance: DuckDBInstance.create(file), users: 0 };
      shared.set(file, entry);
    }
    entry.users++;
    try {
      const conn = await (await entry.instance).connect();
      return new DuckDb(file, conn);
    } catch (e) {
      release(file);
      throw translateError(e, file);
    }
  }

  /** Runs one or more statements and ignores their results. */
  async run(sql: string, params?: readonly Param[]): Promise<void> {
    try {
      await this.conn.run(sql, params as DuckDBValue[] | undefined);
    } catch (e) {
      throw translateError(e, this.file);
    }
  }

  /** Runs a query and returns its rows as JSON-safe objects. */
  async query(sql: string, params?: readonly Param[]): Promise<Row[]> {
    try {
      const reader = await this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJson() as Row[];
    } catch (e) {
      throw translateError(e, this.file);
    }
  }

  /**
   * Runs a query and returns its column names and rows as positional values (for run_query):
   * integers that fit a double become numbers, other values their JSON-safe form.
   */
  async table(sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
    try {
      const reader = await this.conn.runAndReadAll(sql);
      const rows = (reader.getRowsJson() as Cell[][]).map((r) => r.map((v, i) => numeric(v, reader.columnType(i).typeId)));
      return { columns: reader.columnNames(), rows };
    } catch (e) {
      throw translateError(e, this.file);
    }
  }

  /** The result columns of `sql` (names and DuckDB type names) without reading any rows. */
  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    try {
      const reader = await this.conn.runAndReadAll(`SELECT * FROM (${sql}) LIMIT 0`);
      return reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
    } catch (e) {
      throw translateError(e, this.file);
    }
  }

  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      // A rollback after an interrupt or a failed statement can itself fail; the first error is the one to report.
      await this.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Stops the query running on this connection; it then rejects with InterruptedError. */
  interrupt(): void {
    if (!this.closed) this.conn.interrupt();
  }

  /** Closes the connection, and the file when this was its last user in the process. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    release(this.file);
  }
}

/** BIGINT, HUGEINT and DECIMAL arrive as strings in JSON form; a template compares them as numbers. */
function numeric(v: Cell, typeId: DuckDBTypeId): Cell {
  if (typeof v !== 'string' || !bigNumberTypes.has(typeId)) return v;
  const n = Number(v);
  return Number.isSafeInteger(n) || (typeId === DuckDBTypeId.DECIMAL && Number.isFinite(n)) ? n : v;
}
const bigNumberTypes = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL]);

function release(file: string): void {
  const entry = shared.get(file);
  if (!entry || --entry.users > 0) return;
  shared.delete(file);
  entry.instance.then((i) => i.closeSync(), () => undefined);
}

/** Maps DuckDB's lock and interrupt errors to typed errors that name the file. */
export function translateError(e: unknown, file: string): Error {
  const message = messageOf(e);
  if (/Could not set lock on file|Conflicting lock is held/i.test(message)) {
    const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
    return new DatabaseLockedError(file, holder ? `PID ${holder[2]}: ${holder[1]}` : undefined);
  }
  if (/^INTERRUPT Error/i.test(message)) return new InterruptedError();
  return e instanceof Error ? e : new Error(message);
}
