// dbt snapshots on DuckDB: type-2 history of a query's rows by `unique_key`. The timestamp strategy
// sees a change when `updated_at` grows; the check strategy when any of `check_cols` (or `all`)
// differs, stamped with the run's start time. Rows carry dbt's columns: dbt_scd_id,
// dbt_updated_at, dbt_valid_from, dbt_valid_to (NULL for the current version). Everything happens
// in one transaction, so a failed step leaves the history as it was.
import type { Asset } from '../core/model';
import { quoteIdent, quoteLiteral, quoteRelation } from './duckdb';
import { createSchema, existingType, fingerprint, uniqueKey, type BuildEnv, type Built } from './build';
import { relationOf, renderWithWarehouse } from './render';

interface SnapshotConfig {
  readonly keys: readonly string[];
  readonly strategy: 'timestamp' | 'check';
  readonly updatedAt?: string;
  /** Undefined: all columns. */
  readonly checkCols?: readonly string[];
}

type Located = (sql: string) => (write: () => Promise<void>) => Promise<void>;

export async function buildSnapshot(env: BuildEnv, asset: Asset, located: Located): Promise<Built> {
  const cfg = snapshotConfig(asset);
  const relation = relationOf(env, asset);
  const sql = await renderWithWarehouse(env, asset, false, env.db, env.checkCancelled);
  const exists = (await existingType(env, relation)) !== undefined;
  const names = temps(relation.identifier);
  await located(sql)(async () => {
    env.checkCancelled();
    await env.db.transaction(async () => {
      await env.db.run(`CREATE OR REPLACE TEMP TABLE ${names.src} AS (\n${sql}\n)`);
      env.checkCancelled();
      const statements = exists ? await updateStatements(env, cfg, quoteRelation(relation), names) : createStatements(env, cfg, relation, names.src);
      for (const s of statements) { env.checkCancelled(); await env.db.run(s); }
    });
  });
  env.catalog?.set(relation, 'table');
  return { relation, codeVersion: fingerprint(['snapshot', JSON.stringify(cfg), sql]) };
}

function snapshotConfig(asset: Asset): SnapshotConfig {
  const c = asset.dbt?.config ?? {};
  const keys = uniqueKey(asset);
  const name = asset.dbt?.name ?? asset.key;
  if (!keys.length) throw new Error(`Snapshot ${name} needs a unique_key in its config.`);
  if (c.strategy === 'timestamp') {
    if (typeof c.updated_at !== 'string') throw new Error(`Snapshot ${name} uses the timestamp strategy and needs updated_at in its config.`);
    return { keys, strategy: 'timestamp', updatedAt: c.updated_at };
  }
  if (c.strategy === 'check') {
    const cols = c.check_cols;
    if (cols === 'all') return { keys, strategy: 'check' };
    if (Array.isArray(cols) && cols.length) return { keys, strategy: 'check', checkCols: cols.map(String) };
    throw new Error(`Snapshot ${name} uses the check strategy and needs check_cols (a list of columns, or 'all').`);
  }
  throw new Error(`Snapshot ${name} needs strategy 'timestamp' or 'check' in its config (it has ${JSON.stringify(c.strategy ?? null)}).`);
}

const temps = (id: string) => ({
  src: quoteIdent(`__assetlens_snap_src_${id}`), changed: quoteIdent(`__assetlens_snap_changed_${id}`), fresh: quoteIdent(`__assetlens_snap_new_${id}`),
});

/** The change's time: the row's updated_at, or the run's start for the check strategy. */
const stamp = (env: BuildEnv, cfg: SnapshotConfig, alias: string): string =>
  cfg.strategy === 'timestamp' ? `${alias}.${quoteIdent(cfg.updatedAt!)}` : `CAST(${quoteLiteral(env.runStartedAt)} AS TIMESTAMP)`;

const match = (cfg: SnapshotConfig, a: string, b: string): string => cfg.keys.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' AND ');

/** dbt's scd id: md5 of the key and the change's time. */
const scdId = (cfg: SnapshotConfig, at: string): string =>
  `md5(concat_ws('|', ${[...cfg.keys.map(quoteIdent), at].map((c) => `coalesce(CAST(${c} AS VARCHAR), '')`).join(', ')}))`;

/** dbt's columns after the query's own; `NULLIF(x, x)` is a NULL of x's type. */
const versionColumns = (cfg: SnapshotConfig, at: string): string =>
  `${scdId(cfg, at)} AS dbt_scd_id, ${at} AS dbt_updated_at, ${at} AS dbt_valid_from, NULLIF(${at}, ${at}) AS dbt_valid_to`;

function createStatements(env: BuildEnv, cfg: SnapshotConfig, r: { schema: string; identifier: string }, src: string): string[] {
  return [
    ...createSchema(env, r.schema),
    `CREATE TABLE ${quoteRelation(r)} AS SELECT s.*, ${versionColumns(cfg, stamp(env, cfg, 's'))} FROM ${src} AS s`,
    `DROP TABLE ${src}`,
  ];
}

async function updateStatements(env: BuildEnv, cfg: SnapshotConfig, target: string, n: ReturnType<typeof temps>): Promise<string[]> {
  const columns = (await env.db.query(`SELECT column_name FROM (DESCRIBE ${n.src})`)).map((r) => String(r.column_name));
  const compared = (cfg.checkCols ?? columns.filter((c) => !cfg.keys.includes(c))).map(quoteIdent);
  const changed = cfg.strategy === 'timestamp'
    ? `${stamp(env, cfg, 's')} > t.dbt_updated_at`
    : `(${compared.map((c) => `s.${c} IS DISTINCT FROM t.${c}`).join(' OR ') || 'false'})`;
  const at = stamp(env, cfg, 's');
  return [
    `CREATE OR REPLACE TEMP TABLE ${n.changed} AS SELECT s.*, ${at} AS __assetlens_at FROM ${n.src} AS s JOIN ${target} AS t ON ${match(cfg, 's', 't')} AND t.dbt_valid_to IS NULL WHERE ${changed}`,
    `CREATE OR REPLACE TEMP TABLE ${n.fresh} AS SELECT s.*, ${at} AS __assetlens_at FROM ${n.src} AS s WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${match(cfg, 's', 't')})`,
    `UPDATE ${target} AS t SET dbt_valid_to = c.__assetlens_at FROM ${n.changed} AS c WHERE ${match(cfg, 't', 'c')} AND t.dbt_valid_to IS NULL`,
    `INSERT INTO ${target} BY NAME SELECT * EXCLUDE (__assetlens_at), ${versionColumns(cfg, '__assetlens_at')} FROM (SELECT * FROM ${n.changed} UNION ALL BY NAME SELECT * FROM ${n.fresh})`,
    `DROP TABLE ${n.src}`, `DROP TABLE ${n.changed}`, `DROP TABLE ${n.fresh}`,
  ];
}
