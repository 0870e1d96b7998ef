// dbt's `on_schema_change` for incremental models: what to do when the model's columns no longer
// match the table it appends to. `ignore` (the default) inserts the table's columns only, so new
// columns are left out and a removed one fails the run, as in dbt; `append_new_columns` adds the
// new columns; `sync_all_columns` adds the new ones, drops the removed ones and changes types;
// `fail` stops before anything is written. The plan runs inside the step's transaction, so a
// failure leaves the table as it was.
import type { Asset, Relation } from '../core/model';
import { quoteIdent, quoteRelation } from './duckdb';

export const schemaChangeModes = ['ignore', 'append_new_columns', 'sync_all_columns', 'fail'] as const;
export type SchemaChangeMode = (typeof schemaChangeModes)[number];

export interface Column { readonly name: string; readonly type: string }

export interface SchemaDiff {
  /** In the model, not in the table. */
  readonly added: readonly Column[];
  /** In the table, not in the model. */
  readonly removed: readonly Column[];
  readonly changed: readonly { readonly name: string; readonly from: string; readonly to: string }[];
}

/** What the step runs before its delete+insert, and the columns its insert names. */
export interface SchemaPlan {
  readonly alter: readonly string[];
  readonly insertColumns: readonly string[];
}

/** The model's `on_schema_change` (config(), YAML or dbt_project.yml); throws naming the file when it is not one dbt knows. */
export function schemaChangeMode(asset: Asset): SchemaChangeMode {
  const v = asset.dbt?.config.on_schema_change;
  if (v === undefined || v === null) return 'ignore';
  if (typeof v === 'string' && (schemaChangeModes as readonly string[]).includes(v)) return v as SchemaChangeMode;
  throw new Error(`${asset.file}: on_schema_change is ${JSON.stringify(v)}; it must be one of ${schemaChangeModes.map((m) => `'${m}'`).join(', ')}.`);
}

/** Columns compare by name as DuckDB binds them (case-insensitively); types by DuckDB's type name. */
export function diffColumns(table: readonly Column[], model: readonly Column[]): SchemaDiff {
  const inTable = new Map(table.map((c) => [c.name.toLowerCase(), c]));
  const inModel = new Map(model.map((c) => [c.name.toLowerCase(), c]));
  return {
    added: model.filter((c) => !inTable.has(c.name.toLowerCase())),
    removed: table.filter((c) => !inModel.has(c.name.toLowerCase())),
    changed: model.flatMap((c) => {
      const t = inTable.get(c.name.toLowerCase());
      return t && t.type !== c.type ? [{ name: t.name, from: t.type, to: c.type }] : [];
    }),
  };
}

/** Plans the step's schema change; throws an error naming the file and the columns when the mode says the run must fail. */
export function planSchemaChange(mode: SchemaChangeMode, asset: Asset, r: Relation, table: readonly Column[], model: readonly Column[]): SchemaPlan {
  const diff = diffColumns(table, model);
  const target = quoteRelation(r);
  const where = `${asset.file}: the columns of ${asset.dbt?.name ?? asset.key} no longer match ${r.schema}.${r.identifier}`;
  if (mode === 'fail' && describe(diff)) {
    throw new Error(`${where} (${describe(diff)}), and on_schema_change is 'fail': nothing was written. ` +
      "Run with --full-refresh to rebuild the table, or set on_schema_change to 'append_new_columns' or 'sync_all_columns'.");
  }
  if (mode === 'ignore' || mode === 'fail') {
    if (diff.removed.length) {
      throw new Error(`${where} (${describe({ ...diff, added: [], changed: [] })}), and on_schema_change is 'ignore' (the default), ` +
        "which inserts the table's columns: nothing was written. Run with --full-refresh, or set on_schema_change to 'append_new_columns' or 'sync_all_columns'.");
    }
    return { alter: [], insertColumns: table.map((c) => c.name) };
  }
  const add = diff.added.map((c) => `ALTER TABLE ${target} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
  if (mode === 'append_new_columns') return { alter: add, insertColumns: model.map((c) => c.name) };
  return {
    alter: [
      ...add,
      ...diff.removed.map((c) => `ALTER TABLE ${target} DROP COLUMN ${quoteIdent(c.name)}`),
      ...diff.changed.map((c) => `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(c.name)} SET DATA TYPE ${c.to}`),
    ],
    insertColumns: model.map((c) => c.name),
  };
}

/** "added a (INTEGER); removed b; c changed from DATE to VARCHAR", or empty when nothing differs. */
function describe(d: SchemaDiff): string {
  const names = (cs: readonly Column[]) => cs.map((c) => `${c.name} (${c.type})`).join(', ');
  return [
    d.added.length ? `added ${names(d.added)}` : '',
    d.removed.length ? `removed ${names(d.removed)}` : '',
    ...d.changed.map((c) => `${c.name} changed from ${c.from} to ${c.to}`),
  ].filter(Boolean).join('; ');
}
