// Runs an asset's data tests against its relation right after it is built: dbt's generic tests
// (unique, not_null, accepted_values, relationships) and singular tests (SQL that selects failing
// rows). Each check counts the rows that break it; a failing check is reported, not thrown, so the
// materialization itself still counts as done (as Dagster's non-blocking asset checks do).
import type { CheckResult } from '../shared/dto';
import type { Asset, TestDef } from '../core/model';
import type { BuildEnv } from './build';
import { DbtRenderer } from './jinja';
import { dbtContext, projectOf } from './render';
import { InterruptedError, quoteIdent, quoteLiteral, type DuckDb } from './duckdb';
import { firstLine, messageOf } from '../core/text';

export interface CheckEnv {
  readonly db: DuckDb;
  /** The quoted relation the asset was written to. */
  readonly relation: string;
  /** Renders dbt Jinja in the asset's context (for `to: ref('x')` and singular tests). */
  readonly render: (path: string, text: string) => string;
  /** Called before every query; throws to stop the remaining checks (a cancelled run). */
  readonly beforeQuery?: () => void;
}

/** Runs an asset's checks against `relation` with dbt's context for `to: ref('x')` and singular tests. */
export function checksOf(env: BuildEnv, asset: Asset, relation: string): Promise<CheckResult[]> {
  const renderer = DbtRenderer.for(projectOf(env.graph, asset)?.macros ?? new Map());
  const ctx = dbtContext(env, asset, { isIncremental: false });
  return runChecks(asset.tests, {
    db: env.db,
    relation,
    render: (path, text) => renderer.render(path, text, ctx),
    beforeQuery: env.checkCancelled,
  });
}

export async function runChecks(tests: readonly TestDef[], env: CheckEnv): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const t of tests) out.push(await runCheck(t, env));
  return out;
}

async function runCheck(t: TestDef, env: CheckEnv): Promise<CheckResult> {
  const base = { name: t.name, ...(t.column ? { column: t.column } : {}) };
  let sql: string | undefined;
  try {
    sql = countSql(t, env);
  } catch (e) {
    return { ...base, status: 'error', failingRows: 0, message: firstLine(messageOf(e)) };
  }
  if (sql === undefined) {
    return { ...base, status: 'warn', failingRows: 0, message: `The test '${t.name}' does not run in Asset Lens yet (only unique, not_null, accepted_values, relationships and singular tests do).` };
  }
  env.beforeQuery?.();
  try {
    const rows = await env.db.query(sql);
    const failing = Number(rows[0]?.n ?? 0);
    if (failing === 0) return { ...base, status: 'pass', failingRows: 0 };
    return { ...base, status: t.severity === 'warn' ? 'warn' : 'fail', failingRows: failing, message: failMessage(t, failing) };
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    return { ...base, status: 'error', failingRows: 0, message: `The check query failed: ${firstLine(messageOf(e))}` };
  }
}

/** The SQL that counts failing rows as `n`; undefined for tests Asset Lens cannot run. */
function countSql(t: TestDef, env: CheckEnv): string | undefined {
  const rel = env.relation;
  if (t.file !== undefined || t.name === 'singular') {
    const text = typeof t.args.sql === 'string' ? t.args.sql : undefined;
    if (text === undefined) throw new Error(`The singular test ${t.file ?? t.name} has no SQL.`);
    return `SELECT count(*) AS n FROM (\n${stripSemicolon(env.render(t.file ?? t.name, text))}\n) AS failures`;
  }
  if (!t.column) return undefined;
  const col = quoteIdent(t.column);
  switch (t.name) {
    case 'not_null':
      return `SELECT count(*) AS n FROM ${rel} WHERE ${col} IS NULL`;
    case 'unique':
      return `SELECT count(*) AS n FROM ${rel} WHERE ${col} IN (SELECT ${col} FROM ${rel} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1)`;
    case 'accepted_values': {
      const values = Array.isArray(t.args.values) ? t.args.values : [];
      if (!values.length) throw new Error('accepted_values needs a list of values.');
      // Compared as text so numeric, boolean and string columns all work without guessing casts.
      const list = values.map((v) => quoteLiteral(String(v))).join(', ');
      return `SELECT count(*) AS n FROM ${rel} WHERE ${col} IS NOT NULL AND CAST(${col} AS VARCHAR) NOT IN (${list})`;
    }
    case 'relationships': {
      const to = t.args.to, field = t.args.field;
      if (typeof to !== 'string' || typeof field !== 'string') throw new Error('relationships needs `to` and `field`.');
      const parent = env.render(`relationships(${t.column})`, `{{ ${to} }}`).trim();
      return `SELECT count(*) AS n FROM ${rel} AS child WHERE child.${col} IS NOT NULL AND NOT EXISTS ` +
        `(SELECT 1 FROM ${parent} AS parent WHERE parent.${quoteIdent(field)} = child.${col})`;
    }
    default:
      return undefined;
  }
}

function failMessage(t: TestDef, n: number): string {
  const rows = `${n} row${n === 1 ? '' : 's'}`;
  switch (t.name) {
    case 'not_null': return `${rows} with ${t.column} null`;
    case 'unique': return `${rows} share a ${t.column} value with another row`;
    case 'accepted_values': return `${rows} with ${t.column} outside the accepted values`;
    case 'relationships': return `${rows} with a ${t.column} that ${String(t.args.to)} does not have`;
    default: return `${rows} returned by the test query`;
  }
}

export const stripSemicolon = (sql: string): string => sql.replace(/;\s*$/, '');
