// Turns one dbt project's files into assets whose deps are still symbolic (ref/source). The
// workspace linker resolves them across projects in a second pass, as dbt's parse/link does.
import type { ColumnDoc, Materialization } from '../../shared/protocol';
import type { Asset, AssetKey, Diagnostic, Relation, TestDef } from '../model';
import { assetKey } from '../model';
import type { DbtProject } from '../graph';
import { isObj, mergeConfig, tagList, treeConfig, type Config } from './config';
import type { SqlExtract } from './sqlExtract';
import type { NodeSpec, ProfileTarget, ProjectFile, PropertiesFile, TestSpec } from './yamlFiles';

/** A dependency before linking, with the position of its text for go-to-definition (0-based). */
export type SymbolicDep = (
  | { readonly kind: 'ref'; readonly name: string; readonly package?: string }
  | { readonly kind: 'source'; readonly source: string; readonly table: string }
  /** A Dagster key written out (`deps=["a/b"]`, a parameter name). */
  | { readonly kind: 'key'; readonly key: string }
  /** A Python name (an asset function or spec variable); falls back to the key `[name]`. */
  | { readonly kind: 'symbol'; readonly symbol: string }
) & { readonly line: number; readonly startCol: number; readonly endCol: number };

/** An asset before linking: deps are symbolic. */
export interface PendingAsset {
  readonly asset: Omit<Asset, 'deps'>;
  /** The Python name bound to the definition, for deps written as that name. */
  readonly symbol?: string;
  readonly deps: readonly SymbolicDep[];
  /** Singular tests are attached after linking, to every asset they ref. */
  readonly singularTest?: TestDef;
}

export interface ProjectFiles {
  /** Workspace-relative paths of the files below the project folder. */
  readonly paths: readonly string[];
  sql(path: string): SqlExtract;
  properties(path: string): { value?: PropertiesFile; problems: { line: number; message: string }[] };
  text(path: string): string;
}

const join = (...parts: string[]): string => parts.filter((p) => p && p !== '.').join('/').replace(/\/+/g, '/');
const under = (path: string, dir: string): string | undefined => (path.startsWith(dir + '/') ? path.slice(dir.length + 1) : undefined);
const stripExt = (p: string): string => p.replace(/\.[^/.]+$/, '');
const materializations = new Set(['view', 'table', 'incremental', 'ephemeral']);

export function readDbtProject(
  dir: string,
  project: ProjectFile,
  target: ProfileTarget | undefined,
  files: ProjectFiles,
): { pending: PendingAsset[]; diagnostics: Diagnostic[]; info: DbtProject } {
  const diagnostics: Diagnostic[] = [];
  const pending: PendingAsset[] = [];
  const pkg = project.name;
  const targetSchema = target?.schema ?? 'main';
  const warehouse = target?.path && target.path !== ':memory:' ? (target.path.startsWith('/') ? target.path : join(dir, target.path)) : undefined;
  const database = warehouse ? stripExt(warehouse.split('/').pop()!) : undefined;
  const inPaths = (path: string, roots: readonly string[]): string | undefined => {
    for (const r of roots) { const rel = under(path, join(dir, r)); if (rel !== undefined) return rel; }
    return undefined;
  };

  // Property YAML anywhere under model/seed/snapshot paths, keyed by node name.
  const props = new Map<string, { spec: NodeSpec; file: string }>();
  const sources: { spec: PropertiesFile['sources'][number]; file: string }[] = [];
  for (const path of files.paths) {
    if (!/\.ya?ml$/.test(path) || inPaths(path, [...project.modelPaths, ...project.seedPaths, ...project.snapshotPaths]) === undefined) continue;
    const parsed = files.properties(path);
    for (const p of parsed.problems) diagnostics.push({ file: path, line: p.line + 1, severity: 'error', message: p.message });
    if (!parsed.value) continue;
    for (const spec of [...parsed.value.models, ...parsed.value.seeds, ...parsed.value.snapshots]) {
      if (props.has(spec.name)) diagnostics.push({ file: path, line: spec.line + 1, severity: 'warning', message: `'${spec.name}' is described twice (also in ${props.get(spec.name)!.file})` });
      else props.set(spec.name, { spec, file: path });
    }
    for (const spec of parsed.value.sources) sources.push({ spec, file: path });
  }

  const relationFor = (name: string, config: Config): Relation => {
    const custom = typeof config.schema === 'string' ? config.schema : undefined;
    return { ...(database ? { database } : {}), schema: custom ? `${targetSchema}_${custom}` : targetSchema, identifier: typeof config.alias === 'string' ? config.alias : name };
  };
  const keyFor = (name: string, config: Config): AssetKey => {
    const metaKey = dagsterKey(config.meta);
    if (metaKey) return assetKey(metaKey);
    return assetKey(typeof config.schema === 'string' ? [config.schema, name] : [name]);
  };
  const common = (name: string, file: string, config: Config, spec: NodeSpec | undefined) => ({
    ...(spec?.description ? { description: spec.description } : {}),
    tags: tagList(config.tags).sort(),
    columns: (spec?.columns ?? []).map((c): ColumnDoc => ({ name: c.name, ...(c.description ? { description: c.description } : {}), tests: c.tests.map((t) => t.name) })),
    tests: [...(spec?.tests ?? []), ...(spec?.columns ?? []).flatMap((c) => c.tests)].map(toTestDef),
    ...(typeof config.group === 'string' ? { group: config.group } : {}),
    file,
  });
  const configFor = (tree: Config, rel: string, name: string, fileConfig: Config): { config: Config; spec?: NodeSpec } => {
    const segments = [...stripExt(rel).split('/')];
    const spec = props.get(name)?.spec;
    const config = mergeConfig(mergeConfig(treeConfig(tree, pkg, segments), spec?.config ?? {}), fileConfig);
    return spec ? { config, spec } : { config };
  };

  for (const path of files.paths) {
    const modelRel = path.endsWith('.sql') ? inPaths(path, project.modelPaths) : undefined;
    const seedRel = path.endsWith('.csv') ? inPaths(path, project.seedPaths) : undefined;
    const snapRel = path.endsWith('.sql') ? inPaths(path, project.snapshotPaths) : undefined;
    const testRel = path.endsWith('.sql') ? inPaths(path, project.testPaths) : undefined;
    if (modelRel !== undefined) {
      const name = stripExt(modelRel.split('/').pop()!);
      const x = files.sql(path);
      for (const p of x.problems) diagnostics.push({ file: path, line: p.line + 1, severity: 'error', message: `Jinja: ${p.message}` });
      const { config, spec } = configFor(project.configTrees.models, modelRel, name, x.config);
      if (config.enabled === false) continue;
      const mat = typeof config.materialized === 'string' && materializations.has(config.materialized) ? (config.materialized as Materialization) : 'view';
      pending.push({
        asset: {
          key: keyFor(name, config), kind: 'model', line: 1, materialized: mat, relation: relationFor(name, config),
          ...common(name, path, config, spec), sql: files.text(path), sqlLine: 1,
          dbt: { uniqueId: `model.${pkg}.${name}`, resourceType: 'model', packageName: pkg, name, projectDir: dir, config },
        },
        deps: symbolic(x),
      });
    } else if (seedRel !== undefined) {
      const name = stripExt(seedRel.split('/').pop()!);
      const { config, spec } = configFor(project.configTrees.seeds, seedRel, name, {});
      if (config.enabled === false) continue;
      const columnTypes = isObj(config.column_types) ? Object.fromEntries(Object.entries(config.column_types).map(([k, v]) => [k, String(v)])) : undefined;
      pending.push({
        asset: {
          key: keyFor(name, config), kind: 'seed', line: 1, materialized: 'seed', relation: relationFor(name, config),
          ...common(name, path, config, spec), ...(columnTypes ? { columnTypes } : {}),
          dbt: { uniqueId: `seed.${pkg}.${name}`, resourceType: 'seed', packageName: pkg, name, projectDir: dir, config },
        },
        deps: [],
      });
    } else if (snapRel !== undefined) {
      const x = files.sql(path);
      for (const snap of x.snapshots) {
        const { config, spec } = configFor(project.configTrees.snapshots, snapRel, snap.name, x.config);
        if (config.enabled === false) continue;
        const schema = typeof config.target_schema === 'string' ? config.target_schema : targetSchema;
        pending.push({
          asset: {
            key: keyFor(snap.name, {}), kind: 'snapshot', line: snap.line + 1, materialized: 'snapshot',
            relation: { ...(database ? { database } : {}), schema, identifier: snap.name },
            ...common(snap.name, path, config, spec), sql: snap.body, sqlLine: snap.line + 1,
            dbt: { uniqueId: `snapshot.${pkg}.${snap.name}`, resourceType: 'snapshot', packageName: pkg, name: snap.name, projectDir: dir, config },
          },
          deps: symbolic(x),
        });
      }
    } else if (testRel !== undefined) {
      const x = files.sql(path);
      const name = stripExt(testRel.split('/').pop()!);
      pending.push({ asset: { key: assetKey([`test:${name}`]), kind: 'model', line: 1, tags: [], columns: [], tests: [], file: path }, deps: symbolic(x), singularTest: { name, args: { sql: files.text(path) }, severity: x.config.severity === 'warn' ? 'warn' : 'error', file: path } });
    }
  }

  for (const { spec: src, file } of sources) {
    for (const t of src.tables) {
      const config = mergeConfig({ meta: src.meta }, { ...t.config, meta: { ...t.meta } });
      if (config.enabled === false) continue;
      const metaKey = dagsterKey(config.meta);
      pending.push({
        asset: {
          key: assetKey(metaKey ?? [src.name, t.name]), kind: 'source', file, line: t.line + 1, materialized: 'source',
          relation: { ...(src.database ?? database ? { database: src.database ?? database! } : {}), schema: src.schema ?? src.name, identifier: t.identifier ?? t.name },
          ...((t.description ?? src.description) ? { description: (t.description ?? src.description)! } : {}),
          tags: tagList(config.tags).sort(),
          columns: t.columns.map((c) => ({ name: c.name, ...(c.description ? { description: c.description } : {}), tests: c.tests.map((x) => x.name) })),
          tests: [...t.tests, ...t.columns.flatMap((c) => c.tests)].map(toTestDef),
          dbt: { uniqueId: `source.${pkg}.${src.name}.${t.name}`, resourceType: 'source', packageName: pkg, name: t.name, projectDir: dir, config, sourceName: src.name },
        },
        deps: [],
      });
    }
  }

  const macros = new Map<string, string>();
  for (const path of files.paths) {
    if (path.endsWith('.sql') && (inPaths(path, project.macroPaths) !== undefined || /(^|\/)dbt_packages\/[^/]+\/macros\//.test(path))) macros.set(path, files.text(path));
  }
  const info: DbtProject = {
    name: pkg, dir, vars: project.vars, macros, targetSchema, targetName: target?.targetName ?? 'dev',
    ...(project.profile ? { profile: project.profile } : {}), ...(warehouse ? { warehouse } : {}),
  };
  return { pending, diagnostics, info };
}

function symbolic(x: SqlExtract): SymbolicDep[] {
  return [
    ...x.refs.map((r): SymbolicDep => ({ kind: 'ref', name: r.name, ...(r.package ? { package: r.package } : {}), line: r.line, startCol: r.startCol, endCol: r.endCol })),
    ...x.sources.map((s): SymbolicDep => ({ kind: 'source', source: s.source, table: s.table, line: s.line, startCol: s.startCol, endCol: s.endCol })),
  ];
}

function toTestDef(t: TestSpec): TestDef {
  return { name: t.name, ...(t.column ? { column: t.column } : {}), args: t.args, severity: t.severity };
}

/** `meta: {dagster: {asset_key: [...]}}` overrides the key, as dagster-dbt's translator does. */
function dagsterKey(meta: unknown): string[] | undefined {
  if (!isObj(meta) || !isObj(meta.dagster)) return undefined;
  const k = meta.dagster.asset_key;
  return Array.isArray(k) && k.every((s) => typeof s === 'string') ? (k as string[]) : typeof k === 'string' ? k.split('/') : undefined;
}
