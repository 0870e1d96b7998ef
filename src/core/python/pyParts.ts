// Pieces of the Python extractor that read one decorator or function: keyword positions, policies
// (partitions, freshness, automation), the column schema, a returned SQL template, the docstring
// and syntax errors.
import type { PartitionsDef } from '../model';
import { asStringList, evaluate, isCall, isDict, lastSegment, type Env, type PyNode, type PyVal } from './pyEval';
import type { PyAssetDef } from './pyExtract';

/**
 * The decorator call's own `name=` argument. Keyword arguments nested in other arguments'
 * values (an `AssetSpec(deps=…)` inside `specs=`) are not the decorator's, and are not walked.
 */
export function findKeyword(node: PyNode, name: string): PyNode | undefined {
  for (const c of node.namedChildren) {
    if (c.type === 'keyword_argument') { if (c.childForFieldName('name')?.text === name) return c; continue; }
    if (c.type === 'function_definition') continue;
    const f = findKeyword(c, name);
    if (f) return f;
  }
  return undefined;
}

export const pos = (n: PyNode) => ({ line: n.startPosition.row, startCol: n.startPosition.column + (n.type === 'string' ? 1 : 0), endCol: n.endPosition.column - (n.type === 'string' ? 1 : 0) });

export function optionalPolicies(kw: Readonly<Record<string, PyVal>>): Pick<PyAssetDef, 'partitions' | 'partitionExpr' | 'freshness' | 'automation' | 'codeVersion' | 'columns'> {
  const partitions = partitionsOf(kw.partitions_def);
  const fp = kw.freshness_policy;
  const freshness = isCall(fp, 'FreshnessPolicy', 'LegacyFreshnessPolicy') && typeof fp.kwargs.maximum_lag_minutes === 'number'
    ? { maximumLagMinutes: fp.kwargs.maximum_lag_minutes, ...(typeof fp.kwargs.cron_schedule === 'string' ? { cronSchedule: fp.kwargs.cron_schedule } : {}) } : undefined;
  const auto = kw.automation_condition ?? kw.auto_materialize_policy;
  const automation = isCall(auto) ? lastSegment(auto.$call) : undefined;
  // `metadata={"partition_expr": "…"}`: how Dagster's DuckDB IO manager finds a partition's rows.
  const expr = isDict(kw.metadata) ? kw.metadata.$dict.partition_expr : undefined;
  const columns = isDict(kw.metadata) ? columnSchema(kw.metadata.$dict['dagster/column_schema']) : undefined;
  return { ...(columns?.length ? { columns } : {}), ...(partitions ? { partitions } : {}), ...(typeof expr === 'string' && expr.trim() ? { partitionExpr: expr.trim() } : {}), ...(freshness ? { freshness } : {}), ...(automation ? { automation } : {}), ...(typeof kw.code_version === 'string' ? { codeVersion: kw.code_version } : {}) };
}

/** A column of `metadata={"dagster/column_schema": TableSchema(columns=[TableColumn(…)])}`. */
export interface PyColumn {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
  /** `constraints=TableColumnConstraints(nullable=False)`: checked as dbt's `not_null`. */
  readonly notNull: boolean;
  /** `constraints=TableColumnConstraints(unique=True)`: checked as dbt's `unique`. */
  readonly unique: boolean;
}

/** The columns of a `TableSchema(columns=[TableColumn(name, type, description=…, constraints=…)])`. */
export function columnSchema(v: PyVal | undefined): PyColumn[] | undefined {
  if (!isCall(v, 'TableSchema')) return undefined;
  const list = v.kwargs.columns ?? v.args[0];
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((c): PyColumn[] => {
    if (!isCall(c, 'TableColumn')) return [];
    const name = c.kwargs.name ?? c.args[0], type = c.kwargs.type ?? c.args[1], description = c.kwargs.description ?? c.args[2];
    const k = isCall(c.kwargs.constraints, 'TableColumnConstraints') ? c.kwargs.constraints.kwargs : {};
    if (typeof name !== 'string' || !name) return [];
    return [{
      name, ...(typeof type === 'string' ? { type } : {}), ...(typeof description === 'string' ? { description } : {}),
      notNull: k.nullable === false, unique: k.unique === true,
    }];
  });
}

export function partitionsOf(v: PyVal | undefined): PartitionsDef | undefined {
  if (!isCall(v)) return undefined;
  const kinds: Record<string, PartitionsDef['kind']> = { DailyPartitionsDefinition: 'daily', HourlyPartitionsDefinition: 'hourly', WeeklyPartitionsDefinition: 'weekly', MonthlyPartitionsDefinition: 'monthly', StaticPartitionsDefinition: 'static' };
  const kind = kinds[lastSegment(v.$call)] ?? 'other';
  const start = v.kwargs.start_date ?? v.args[0];
  const keys = kind === 'static' ? asStringList(v.kwargs.partition_keys ?? v.args[0]) : undefined;
  return {
    kind, ...(kind !== 'static' && typeof start === 'string' ? { start } : {}),
    ...(typeof v.kwargs.end_offset === 'number' ? { endOffset: v.kwargs.end_offset } : {}),
    ...(typeof v.kwargs.timezone === 'string' ? { timezone: v.kwargs.timezone } : {}), ...(keys ? { keys } : {}),
  };
}

/** A function that returns a string literal, or a name bound to one in its body or module: a SQL asset. */
export function returnedSql(def: PyNode, env: Env): { template: string; line: number } | undefined {
  const body = def.childForFieldName('body');
  if (!body) return undefined;
  const local = new Map(env);
  const lines = new Map<string, number>();
  let result: { template: string; line: number } | undefined;
  for (const stmt of body.namedChildren) {
    const expr = stmt.namedChildren[0];
    if (stmt.type === 'expression_statement' && expr?.type === 'assignment' && expr.childForFieldName('left')?.type === 'identifier') {
      const right = expr.childForFieldName('right');
      local.set(expr.childForFieldName('left')!.text, evaluate(right, local));
      lines.set(expr.childForFieldName('left')!.text, right?.startPosition.row ?? 0);
    } else if (stmt.type === 'return_statement' && expr) {
      const v = evaluate(expr, local);
      if (typeof v === 'string' && /\bselect\b|\{\{/i.test(v)) result = { template: v, line: expr.type === 'identifier' ? lines.get(expr.text) ?? expr.startPosition.row : expr.startPosition.row };
    }
  }
  return result;
}

export function docOf(def: PyNode): string | undefined {
  const first = def.childForFieldName('body')?.namedChildren[0];
  const s = first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string' ? evaluate(first.namedChildren[0], new Map()) : undefined;
  return typeof s === 'string' ? s.trim().replace(/\s+/g, ' ') : undefined;
}

export function syntaxProblems(root: PyNode): { line: number; message: string }[] {
  if (!root.hasError) return [];
  const out: { line: number; message: string }[] = [];
  const walk = (n: PyNode) => {
    if (out.length >= 3) return;
    if (n.isError || n.isMissing) { out.push({ line: n.startPosition.row, message: n.isMissing ? `Python syntax error: missing ${n.type}` : `Python syntax error near '${n.text.slice(0, 30).replace(/\s+/g, ' ')}'` }); return; }
    if (n.hasError) for (const c of n.children) walk(c);
  };
  walk(root);
  return out;
}
