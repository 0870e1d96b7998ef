// Python definitions → pending assets for the linker, and the dbt key translations that Python
// loaders (`key_prefix=`) and `defs.yaml` components (`translation.key`) ask for.
import type { Asset, AssetKey, TestDef } from '../model';
import type { ColumnDoc } from '../../shared/dto';
import { assetKey } from '../model';
import type { PendingAsset, SymbolicDep } from '../dbt/dbtProject';
import { extractSql } from '../dbt/sqlExtract';
import type { PendingCheck } from '../link';
import type { PyAssetDef, PyDep, PyExtract } from './pyExtract';
import type { PyColumn } from './pyParts';

export function pythonPending(file: string, x: PyExtract): { pending: PendingAsset[]; checks: PendingCheck[] } {
  const pending = x.assets.map((a): PendingAsset => ({
    asset: {
      key: assetKey(a.key), kind: a.kind, file, line: a.line + 1, tags: [], kinds: a.kinds, ...columnsAndTests(a.columns ?? []),
      ...(a.group ? { group: a.group } : {}), ...(a.description ? { description: a.description } : {}),
      ...(a.partitions ? { partitions: a.partitions } : {}), ...(a.partitionExpr ? { partitionExpr: a.partitionExpr } : {}), ...(a.freshness ? { freshness: a.freshness } : {}),
      ...(a.automation ? { automation: a.automation } : {}), ...(a.codeVersion ? { codeVersion: a.codeVersion } : {}),
      ...(a.sql ? { sql: a.sql.template, sqlLine: a.sql.line + 1 } : {}), ...(a.hint ? { hint: a.hint } : {}),
      ...(a.symbol ? { pythonFunction: a.symbol } : {}),
    },
    ...(a.symbol && !a.key[0]!.startsWith('dynamic:') ? { symbol: a.symbol } : {}),
    deps: [...a.deps.map((d) => toSymbolic(d.dep, d)), ...sqlRefs(a)],
  }));
  const checks = x.checks.map((c): PendingCheck => ({ name: c.name, file, line: c.line + 1, dep: toSymbolic(c.asset, { line: c.line, startCol: 0, endCol: 0 }) }));
  return { pending, checks };
}

/**
 * Columns from the asset's Dagster column schema, for the hover; their constraints become checks
 * run after each materialization, as dbt's tests are: `nullable=False` → not_null, `unique=True` → unique.
 */
function columnsAndTests(columns: readonly PyColumn[]): Pick<Asset, 'columns' | 'tests'> {
  const tests: TestDef[] = [];
  const docs = columns.map((c): ColumnDoc => {
    const names = [...(c.notNull ? ['not_null'] : []), ...(c.unique ? ['unique'] : [])];
    for (const name of names) tests.push({ name, column: c.name, args: {}, severity: 'error' });
    return { name: c.name, ...(c.description ? { description: c.description } : {}), tests: names };
  });
  return { columns: docs, tests };
}

function toSymbolic(d: PyDep, p: { line: number; startCol: number; endCol: number }): SymbolicDep {
  const at = { line: p.line, startCol: p.startCol, endCol: p.endCol };
  if ('key' in d) return { kind: 'key', key: d.key.join('/'), ...at };
  return 'ref' in d ? { kind: 'ref', name: d.ref, ...at } : { kind: 'symbol', symbol: d.symbol, ...at };
}

/** `{{ ref('x') }}` inside a returned SQL template reads asset `x` too. */
function sqlRefs(a: PyAssetDef): SymbolicDep[] {
  if (!a.sql) return [];
  return extractSql(a.sql.template).refs.map((r) => ({ kind: 'symbol', symbol: r.name, line: a.sql!.line + r.line, startCol: 0, endCol: 0 }));
}

/** How a dbt project's keys are translated when Dagster loads it. */
export interface DbtTranslation {
  /** Workspace-relative project folder. */
  readonly projectDir: string;
  /** Prefix for models, seeds and snapshots (dagster-dbt's `key_prefix`). */
  readonly keyPrefix: readonly string[];
  /** Prefix for sources (dagster-dbt's `source_key_prefix`); `key_prefix` never applies to them. */
  readonly sourceKeyPrefix?: readonly string[];
  /** `translation.key` template of a DbtProjectComponent, e.g. `target/main/{{ node.name }}`. */
  readonly keyTemplate?: string;
}

/** Applies a translation to a dbt pending asset's key. */
export function translateKey(p: PendingAsset, t: DbtTranslation): AssetKey {
  const d = p.asset.dbt!;
  if (t.keyTemplate) {
    const node: Record<string, string> = { name: d.name, resource_type: d.resourceType, unique_id: d.uniqueId, package_name: d.packageName, schema: p.asset.relation?.schema ?? '', ...(d.sourceName ? { source_name: d.sourceName } : {}) };
    return assetKey(t.keyTemplate.replace(/\{\{\s*node\.(\w+)\s*\}\}/g, (_, f: string) => node[f] ?? '').split('/').filter(Boolean));
  }
  const prefix = d.resourceType === 'source' ? t.sourceKeyPrefix ?? [] : t.keyPrefix;
  return assetKey([...prefix, ...p.asset.key.split('/')]);
}

/** `defs.yaml` of a dagster_dbt.DbtProjectComponent → its translation (undefined for other components). */
export function componentTranslation(defsFile: string, doc: unknown): DbtTranslation | undefined {
  const o = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const d = o(doc);
  if (typeof d.type !== 'string' || !/DbtProjectComponent$/.test(d.type)) return undefined;
  const attrs = o(d.attributes);
  const project = typeof attrs.project === 'string' ? attrs.project : typeof o(attrs.project).project_dir === 'string' ? (o(attrs.project).project_dir as string) : undefined;
  if (!project) return undefined;
  const defsDir = defsFile.split('/').slice(0, -1).join('/');
  // `{{ project_root }}` is the Dagster project folder: the nearest folder above defs holding pyproject.toml; we take the path's tail.
  const rel = project.replace(/\{\{\s*project_root\s*\}\}\/?/, '');
  const key = o(attrs.translation).key;
  return { projectDir: project.includes('project_root') ? rel : normalize(`${defsDir}/${rel}`), keyPrefix: [], ...(typeof key === 'string' ? { keyTemplate: key } : {}) };
}

export function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) { if (!seg || seg === '.') continue; if (seg === '..') out.pop(); else out.push(seg); }
  return out.join('/');
}
