// Turns one dbt project's files into assets whose deps are still symbolic (ref/source). The
// workspace linker resolves them across projects in a second pass, as dbt's parse/link does.
import type { ColumnDoc, Materialization } from '../../shared/dto';
import type { Asset, AssetKey, DbtNode, Diagnostic, FreshnessDef, Relation, TestDef } from '../model';
import { assetKey } from '../model';
import type { DbtProject } from '../graph';
import { dagsterKey, isObj, mergeConfig, tagList, treeConfig, type Config } from './config';
import type { SqlExtract } from './sqlExtract';
import { exposureNodes } from './exposures';
import { partitionExprOfMeta } from '../partitions';
import type { ExposureSpec, NodeSpec, ProfileTarget, ProjectFile, PropertiesFile, TestSpec } from './yamlFiles';

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

/** What rendering a model found (see IndexPorts.captureDeps); `error` when rendering failed. */
export interface CapturedDeps {
  readonly refs: readonly { readonly name: string; readonly package?: string }[];
  readonly sources: readonly { readonly source: string; readonly table: string }[];
  readonly error?: string;
}

export interface ProjectFiles {
  /** Renders a model to find its deps; undefined: only the static fast path is used. */
  capture?(project: DbtProject, path: string, text: string): CapturedDeps;
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

/**
 * One dbt project's shared context (property YAML, sources, macros, target), built once per change
 * of the project's YAML or file list; the nodes of each SQL/CSV file are then read one file at a time.
 */
export class DbtProjectReader {
  readonly diagnostics: Diagnostic[] = [];
  readonly info: DbtProject;
  private readonly pkg: string;
  private readonly targetSchema: string;
  private readonly database: string | undefined;
  private readonly props = new Map<string, { spec: NodeSpec; file: string }>();
  private readonly sources: { spec: PropertiesFile['sources'][number]; file: string }[] = [];
  private readonly exposures: { spec: ExposureSpec; file: string }[] = [];
  private readonly refMacroCall: RegExp | undefined;

  constructor(readonly dir: string, private readonly project: ProjectFile, target: ProfileTarget | undefined, private readonly files: ProjectFiles) {
    this.pkg = project.name;
    this.targetSchema = target?.schema ?? 'main';
    const warehouse = target?.path && target.path !== ':memory:' ? (target.path.startsWith('/') ? target.path : normalizePath(join(dir, target.path))) : undefined;
    this.database = warehouse ? stripExt(warehouse.split('/').pop()!) : undefined;
    const propertyRoots = [...project.modelPaths, ...project.seedPaths, ...project.snapshotPaths];
    const macros = new Map<string, string>();
    const refMacros: string[] = [];
    for (const path of files.paths) {
      if (/\.ya?ml$/.test(path) && this.inPaths(path, propertyRoots) !== undefined) this.readProperties(path);
      if (path.endsWith('.sql') && (this.inPaths(path, project.macroPaths) !== undefined || /(^|\/)dbt_packages\/[^/]+\/macros\//.test(path))) {
        macros.set(path, files.text(path));
        // Macros that build refs (data-vault packages do) hide deps from the fast path.
        if (/\b(ref|source)\s*\(/.test(files.text(path))) refMacros.push(...files.sql(path).macros.map((m) => m.name));
      }
    }
    this.refMacroCall = refMacros.length ? new RegExp(`\\b(${refMacros.join('|')})\\s*\\(`) : undefined;
    this.info = {
      name: this.pkg, dir, vars: project.vars, macros, targetSchema: this.targetSchema, targetName: target?.targetName ?? 'dev',
      ...(project.profile ? { profile: project.profile } : {}), ...(warehouse ? { warehouse } : {}),
    };
  }

  private inPaths(path: string, roots: readonly string[]): string | undefined {
    for (const r of roots) { const rel = under(path, join(this.dir, r)); if (rel !== undefined) return rel; }
    return undefined;
  }

  private readProperties(path: string): void {
    const parsed = this.files.properties(path);
    for (const p of parsed.problems) this.diagnostics.push({ file: path, line: p.line + 1, severity: 'error', message: p.message });
    if (!parsed.value) return;
    for (const spec of [...parsed.value.models, ...parsed.value.seeds, ...parsed.value.snapshots]) {
      const prev = this.props.get(spec.name);
      if (prev) this.diagnostics.push({ file: path, line: spec.line + 1, severity: 'warning', message: `'${spec.name}' is described twice (also in ${prev.file})` });
      else this.props.set(spec.name, { spec, file: path });
    }
    for (const spec of parsed.value.sources) this.sources.push({ spec, file: path });
    for (const spec of parsed.value.exposures ?? []) this.exposures.push({ spec, file: path });
  }

  private relationFor(name: string, config: Config): Relation {
    const custom = typeof config.schema === 'string' ? config.schema : undefined;
    return { ...(this.database ? { database: this.database } : {}), schema: custom ? `${this.targetSchema}_${custom}` : this.targetSchema, identifier: typeof config.alias === 'string' ? config.alias : name };
  }

  private keyFor(name: string, config: Config): AssetKey {
    const metaKey = dagsterKey(config.meta);
    if (metaKey) return assetKey(metaKey);
    return assetKey(typeof config.schema === 'string' ? [config.schema, name] : [name]);
  }

  private common(file: string, config: Config, spec: NodeSpec | undefined) {
    const freshness = dagsterFreshness(config);
    const automation = dagsterAutomation(config);
    const partitionExpr = partitionExprOfMeta(config.meta);
    return {
      ...(freshness ? { freshness } : {}),
      ...(partitionExpr ? { partitionExpr } : {}),
      ...(automation ? { automation } : {}),
      ...(spec?.description ? { description: spec.description } : {}),
      tags: tagList(config.tags).sort(),
      columns: (spec?.columns ?? []).map((c): ColumnDoc => ({ name: c.name, ...(c.description ? { description: c.description } : {}), tests: c.tests.map((t) => t.name) })),
      tests: [...(spec?.tests ?? []), ...(spec?.columns ?? []).flatMap((c) => c.tests)].map(toTestDef),
      ...(typeof config.group === 'string' ? { group: config.group } : {}),
      file,
    };
  }

  private configFor(tree: Config, rel: string, name: string, fileConfig: Config): { config: Config; spec?: NodeSpec } {
    const spec = this.props.get(name)?.spec;
    const config = mergeConfig(mergeConfig(treeConfig(tree, this.pkg, stripExt(rel).split('/')), spec?.config ?? {}), fileConfig);
    return spec ? { config, spec } : { config };
  }

  private node(resourceType: DbtNode['resourceType'], name: string, config: Config, sourceName?: string): DbtNode {
    return { uniqueId: `${resourceType}.${this.pkg}.${sourceName ? `${sourceName}.` : ''}${name}`, resourceType, packageName: this.pkg, name, projectDir: this.dir, config, ...(sourceName ? { sourceName } : {}) };
  }

  /** The nodes one file defines (a model, seed, snapshots or a singular test), with its problems. */
  fileNodes(path: string): { pending: PendingAsset[]; diagnostics: Diagnostic[] } {
    const project = this.project;
    const diagnostics: Diagnostic[] = [];
    const pending: PendingAsset[] = [];
    const isSql = path.endsWith('.sql');
    const modelRel = isSql ? this.inPaths(path, project.modelPaths) : undefined;
    const seedRel = path.endsWith('.csv') ? this.inPaths(path, project.seedPaths) : undefined;
    const snapRel = isSql ? this.inPaths(path, project.snapshotPaths) : undefined;
    const testRel = isSql ? this.inPaths(path, project.testPaths) : undefined;
    if (modelRel !== undefined) {
      const name = stripExt(modelRel.split('/').pop()!);
      const x = this.files.sql(path);
      for (const p of x.problems) diagnostics.push({ file: path, line: p.line + 1, severity: 'error', message: `Jinja: ${p.message}` });
      const { config, spec } = this.configFor(project.configTrees.models, modelRel, name, x.config);
      if (config.enabled === false) return { pending, diagnostics };
      const mat = typeof config.materialized === 'string' && materializations.has(config.materialized) ? (config.materialized as Materialization) : 'view';
      pending.push({
        asset: { key: this.keyFor(name, config), kind: 'model', line: 1, materialized: mat, relation: this.relationFor(name, config), ...this.common(path, config, spec), sql: this.files.text(path), sqlLine: 1, dbt: this.node('model', name, config) },
        deps: [...symbolic(x), ...this.rendered(path, x, diagnostics)],
      });
    } else if (seedRel !== undefined) {
      const name = stripExt(seedRel.split('/').pop()!);
      const { config, spec } = this.configFor(project.configTrees.seeds, seedRel, name, {});
      if (config.enabled === false) return { pending, diagnostics };
      const columnTypes = isObj(config.column_types) ? Object.fromEntries(Object.entries(config.column_types).map(([k, v]) => [k, String(v)])) : undefined;
      pending.push({
        asset: { key: this.keyFor(name, config), kind: 'seed', line: 1, materialized: 'seed', relation: this.relationFor(name, config), ...this.common(path, config, spec), ...(columnTypes ? { columnTypes } : {}), dbt: this.node('seed', name, config) },
        deps: [],
      });
    } else if (snapRel !== undefined) {
      const x = this.files.sql(path);
      for (const snap of x.snapshots) {
        const { config, spec } = this.configFor(project.configTrees.snapshots, snapRel, snap.name, x.config);
        if (config.enabled === false) continue;
        const schema = typeof config.target_schema === 'string' ? config.target_schema : this.targetSchema;
        pending.push({
          asset: { key: this.keyFor(snap.name, {}), kind: 'snapshot', line: snap.line + 1, materialized: 'snapshot', relation: { ...(this.database ? { database: this.database } : {}), schema, identifier: snap.name }, ...this.common(path, config, spec), sql: snap.body, sqlLine: snap.line + 1, dbt: this.node('snapshot', snap.name, config) },
          deps: symbolic(x),
        });
      }
    } else if (testRel !== undefined) {
      const x = this.files.sql(path);
      const name = stripExt(testRel.split('/').pop()!);
      pending.push({ asset: { key: assetKey([`test:${name}`]), kind: 'model', line: 1, tags: [], columns: [], tests: [], file: path }, deps: symbolic(x), singularTest: { name, args: { sql: this.files.text(path) }, severity: x.config.severity === 'warn' ? 'warn' : 'error', file: path } });
    }
    return { pending, diagnostics };
  }

  /** Deps only rendering can find; positions are unknown, so they point at the file's first line. */
  private rendered(path: string, x: SqlExtract, diagnostics: Diagnostic[]): SymbolicDep[] {
    const text = this.files.text(path);
    if (!this.files.capture || !(x.dynamic || this.refMacroCall?.test(text))) return [];
    const c = this.files.capture(this.info, path, text);
    if (c.error) diagnostics.push({ file: path, line: 1, severity: 'warning', message: `Could not render this model to find all its refs: ${c.error}` });
    const at = { line: 0, startCol: 0, endCol: 0 };
    const known = new Set(x.refs.map((r) => `${r.package ?? ''}.${r.name}`));
    return [
      ...c.refs.filter((r) => !known.has(`${r.package ?? ''}.${r.name}`)).map((r): SymbolicDep => ({ kind: 'ref', name: r.name, ...(r.package ? { package: r.package } : {}), ...at })),
      ...c.sources.map((s): SymbolicDep => ({ kind: 'source', source: s.source, table: s.table, ...at })),
    ];
  }

  /** The project's exposures (from its property YAML), deps still symbolic. */
  exposureNodes(): PendingAsset[] {
    const lines = new Map<string, string[]>();
    return exposureNodes(this, this.exposures, (f) => lines.get(f) ?? lines.set(f, this.files.text(f).split(/\r?\n/)).get(f)!);
  }

  /** The project's sources (from its property YAML). */
  sourceNodes(): PendingAsset[] {
    const pending: PendingAsset[] = [];
    for (const { spec: src, file } of this.sources) {
      for (const t of src.tables) {
        const config = mergeConfig({ meta: src.meta }, { ...t.config, meta: { ...t.meta } });
        if (config.enabled === false) continue;
        const metaKey = dagsterKey(config.meta);
        const database = src.database ?? this.database;
        pending.push({
          asset: {
            key: assetKey(metaKey ?? [src.name, t.name]), kind: 'source', file, line: t.line + 1, materialized: 'source',
            relation: { ...(database ? { database } : {}), schema: src.schema ?? src.name, identifier: t.identifier ?? t.name },
            ...((t.description ?? src.description) ? { description: (t.description ?? src.description)! } : {}),
            tags: tagList(config.tags).sort(),
            columns: t.columns.map((c) => ({ name: c.name, ...(c.description ? { description: c.description } : {}), tests: c.tests.map((x) => x.name) })),
            tests: [...t.tests, ...t.columns.flatMap((c) => c.tests)].map(toTestDef),
            dbt: this.node('source', t.name, config, src.name),
          },
          deps: [],
        });
      }
    }
    return pending;
  }
}

/** Reads a whole project at once (tests and one-shot callers). */
export function readDbtProject(dir: string, project: ProjectFile, target: ProfileTarget | undefined, files: ProjectFiles): { pending: PendingAsset[]; diagnostics: Diagnostic[]; info: DbtProject } {
  const reader = new DbtProjectReader(dir, project, target, files);
  const diagnostics = [...reader.diagnostics];
  const pending: PendingAsset[] = [];
  for (const path of files.paths) { const r = reader.fileNodes(path); pending.push(...r.pending); diagnostics.push(...r.diagnostics); }
  pending.push(...reader.sourceNodes(), ...reader.exposureNodes());
  return { pending, diagnostics, info: reader.info };
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

/** Folds `.` and `..` out of a relative path (`proj/../warehouse.duckdb` → `warehouse.duckdb`). */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) { if (!seg || seg === '.') continue; if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop(); else out.push(seg); }
  return out.join('/');
}

/** dagster-dbt reads freshness from `dagster_freshness_policy` config or `meta.dagster.freshness_policy`. */
function dagsterFreshness(config: Config): FreshnessDef | undefined {
  const meta = isObj(config.meta) && isObj(config.meta.dagster) ? config.meta.dagster : {};
  const fp = config.dagster_freshness_policy ?? meta.freshness_policy;
  if (!isObj(fp) || typeof fp.maximum_lag_minutes !== 'number') return undefined;
  return { maximumLagMinutes: fp.maximum_lag_minutes, ...(typeof fp.cron_schedule === 'string' ? { cronSchedule: fp.cron_schedule } : {}) };
}

/** `dagster_auto_materialize_policy: {type: eager}` or `meta.dagster.auto_materialize_policy`. */
function dagsterAutomation(config: Config): string | undefined {
  const meta = isObj(config.meta) && isObj(config.meta.dagster) ? config.meta.dagster : {};
  const p = config.dagster_auto_materialize_policy ?? meta.auto_materialize_policy;
  const type = isObj(p) ? p.type : p;
  return typeof type === 'string' ? type : undefined;
}
