// Reads dbt's YAML files: dbt_project.yml, profiles.yml and property files (models, seeds,
// snapshots, sources, their columns and tests). Errors are values with 0-based lines.
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';
import { readSimpleYaml, type MapLines, type Positioned } from './yamlFast';

export interface YamlProblem { readonly line: number; readonly message: string }

export interface ProjectFile {
  readonly name: string;
  readonly profile?: string;
  readonly modelPaths: readonly string[];
  readonly seedPaths: readonly string[];
  readonly snapshotPaths: readonly string[];
  readonly testPaths: readonly string[];
  readonly macroPaths: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  /** The `models:`, `seeds:` and `snapshots:` config trees as written. */
  readonly configTrees: Readonly<Record<'models' | 'seeds' | 'snapshots', Readonly<Record<string, unknown>>>>;
}

export interface ProfileTarget {
  readonly targetName: string;
  readonly type?: string;
  readonly path?: string;
  readonly schema: string;
}

export interface TestSpec {
  readonly name: string;
  readonly column?: string;
  readonly args: Record<string, unknown>;
  readonly severity: 'error' | 'warn';
}

export interface ColumnSpec { readonly name: string; readonly description?: string; readonly tests: readonly TestSpec[] }

export interface NodeSpec {
  readonly name: string;
  readonly line: number;
  readonly description?: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly columns: readonly ColumnSpec[];
  readonly tests: readonly TestSpec[];
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface SourceTableSpec extends NodeSpec {
  readonly identifier?: string;
  readonly loadedAtField?: string;
  readonly freshness?: unknown;
}

export interface SourceSpec {
  readonly name: string;
  readonly line: number;
  readonly schema?: string;
  readonly database?: string;
  readonly description?: string;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly tables: readonly SourceTableSpec[];
}

/** A dbt exposure; `dependsOn` holds the `ref(...)`/`source(...)` texts with their 0-based lines. */
export interface ExposureSpec {
  readonly name: string;
  readonly line: number;
  readonly type?: string;
  readonly owner?: string;
  readonly url?: string;
  readonly maturity?: string;
  readonly description?: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  readonly dependsOn: readonly { readonly text: string; readonly line: number }[];
}

export interface PropertiesFile {
  readonly models: readonly NodeSpec[];
  readonly seeds: readonly NodeSpec[];
  readonly snapshots: readonly NodeSpec[];
  readonly sources: readonly SourceSpec[];
  readonly exposures: readonly ExposureSpec[];
}

type Parsed<T> = { value?: T; problems: YamlProblem[] };

function load(text: string): { doc: ReturnType<typeof parseDocument>; lc: LineCounter; problems: YamlProblem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  // Later YAML errors usually cascade from the first; one precise message beats several confusing ones.
  const problems = doc.errors.slice(0, 1).map((e) => ({ line: Math.max(0, (e.linePos?.[0]?.line ?? 1) - 1), message: `YAML: ${e.message.split('\n')[0]}` }));
  return { doc, lc, problems };
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strs = (v: unknown, dflt: string[]): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : dflt);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function parseProjectFile(text: string): Parsed<ProjectFile> {
  const { doc, problems } = load(text);
  const js = obj(doc.toJS());
  const name = str(js.name);
  if (!name) return { problems: [...problems, { line: 0, message: "dbt_project.yml has no 'name'" }] };
  return {
    problems,
    value: {
      name,
      ...(str(js.profile) ? { profile: str(js.profile)! } : {}),
      modelPaths: strs(js['model-paths'] ?? js['source-paths'], ['models']),
      seedPaths: strs(js['seed-paths'] ?? js['data-paths'], ['seeds']),
      snapshotPaths: strs(js['snapshot-paths'], ['snapshots']),
      testPaths: strs(js['test-paths'], ['tests']),
      macroPaths: strs(js['macro-paths'], ['macros']),
      vars: obj(js.vars),
      configTrees: { models: obj(js.models), seeds: obj(js.seeds), snapshots: obj(js.snapshots) },
    },
  };
}

/** The profile's selected target; `override` picks another target name. */
export function parseProfiles(text: string, profile: string, override?: string): Parsed<ProfileTarget> {
  const { doc, problems } = load(text);
  const p = obj(obj(doc.toJS())[profile]);
  const targetName = override ?? str(p.target) ?? 'dev';
  const out = obj(obj(p.outputs)[targetName]);
  if (!Object.keys(out).length) return { problems };
  return { problems, value: { targetName, ...(str(out.type) ? { type: str(out.type)! } : {}), ...(str(out.path) ? { path: str(out.path)! } : {}), schema: str(out.schema) ?? 'main' } };
}

export function parseProperties(text: string): Parsed<PropertiesFile> {
  const { value: root, lines, problems } = loadPositioned(text);
  const section = (name: string): Record<string, unknown>[] => {
    const v = obj(root)[name];
    return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
  };
  const at = (m: object): MapLines | undefined => lines.get(m);
  const nodes = (name: string): NodeSpec[] => section(name).flatMap((n) => { const s = nodeSpec(n, at(n)); return s ? [s] : []; });
  const sources: SourceSpec[] = section('sources').flatMap((js) => {
    const name = str(js.name);
    if (!name) return [];
    const tables = (Array.isArray(js.tables) ? js.tables : []).flatMap((t: unknown) => {
      if (!t || typeof t !== 'object' || Array.isArray(t)) return [];
      const spec = nodeSpec(t as Record<string, unknown>, at(t));
      if (!spec) return [];
      const tj = t as Record<string, unknown>;
      return [{ ...spec, ...(str(tj.identifier) ? { identifier: str(tj.identifier)! } : {}), ...(str(tj.loaded_at_field ?? js.loaded_at_field) ? { loadedAtField: str(tj.loaded_at_field ?? js.loaded_at_field)! } : {}), ...(tj.freshness ?? js.freshness ? { freshness: tj.freshness ?? js.freshness } : {}) }];
    });
    return [{ name, line: at(js)?.line ?? 0, ...(str(js.schema) ? { schema: str(js.schema)! } : {}), ...(str(js.database) ? { database: str(js.database)! } : {}), ...(str(js.description) ? { description: str(js.description)! } : {}), meta: obj(js.meta ?? obj(js.config).meta), tables }];
  });
  const exposureMaps = section('exposures');
  const textLines = exposureMaps.length ? text.split(/\r?\n/) : [];
  const exposures = exposureMaps.flatMap((js) => { const e = exposureSpec(js, at(js), textLines); return e ? [e] : []; });
  return { problems, value: { models: nodes('models'), seeds: nodes('seeds'), snapshots: nodes('snapshots'), sources, exposures } };
}

function exposureSpec(js: Record<string, unknown>, at: MapLines | undefined, textLines: readonly string[]): ExposureSpec | undefined {
  const name = str(js.name);
  if (!name) return undefined;
  const owner = obj(js.owner);
  const ownerText = [str(owner.name), str(owner.email)].filter(Boolean).join(' ');
  const config = obj(js.config);
  // Each entry's line: the first line, from where the list starts, that holds its text.
  let line = at?.keys.get('depends_on') ?? at?.line ?? 0;
  const dependsOn = strs(js.depends_on, []).map((t) => {
    const found = textLines.findIndex((l, i) => i >= line && l.includes(t));
    if (found >= 0) line = found;
    return { text: t, line: found >= 0 ? found : line };
  });
  return {
    name, line: at?.keys.get('name') ?? at?.line ?? 0, config, dependsOn,
    ...(str(js.type) ? { type: str(js.type)! } : {}), ...(ownerText ? { owner: ownerText } : {}),
    ...(str(js.url) ? { url: str(js.url)! } : {}), ...(str(js.maturity) ? { maturity: str(js.maturity)! } : {}),
    ...(str(js.description) ? { description: str(js.description)! } : {}),
    meta: { ...obj(js.meta), ...obj(config.meta) }, tags: strs(js.tags ?? config.tags, []),
  };
}

/**
 * A document's value with the lines of its mappings: the fast reader for plain files, else the
 * full parser (whose values match the fast reader's) with lines read off its nodes.
 */
export function loadPositioned(text: string): Positioned & { problems: YamlProblem[] } {
  const fast = readSimpleYaml(text);
  return fast ? { ...fast, problems: [] } : parsePositioned(text);
}

/** The full parser's value, problems and mapping lines (see loadPositioned). */
export function parsePositioned(text: string): Positioned & { problems: YamlProblem[] } {
  const { doc, lc, problems } = load(text);
  const value = doc.toJS() as unknown;
  const lines = new WeakMap<object, MapLines>();
  const lineOf = (offset: number): number => lc.linePos(offset).line - 1;
  const walk = (node: unknown, js: unknown): void => {
    if (!js || typeof js !== 'object') return;
    if (isSeq(node) && Array.isArray(js)) { node.items.forEach((item, i) => walk(item, js[i])); return; }
    if (!isMap(node) || Array.isArray(js) || lines.has(js)) return;
    const keys = new Map<string, number>();
    for (const pair of node.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
      const v = pair.value as { range?: [number, number, number] } | null;
      keys.set(pair.key.value, lineOf(v?.range?.[0] ?? pair.key.range?.[0] ?? 0));
      walk(pair.value, (js as Record<string, unknown>)[pair.key.value]);
    }
    lines.set(js, { line: node.range ? lineOf(node.range[0]) : 0, keys });
  };
  walk(doc.contents, value);
  return { value, lines, problems };
}

function nodeSpec(js: Record<string, unknown>, at: MapLines | undefined): NodeSpec | undefined {
  const name = str(js.name);
  if (!name) return undefined;
  const config = obj(js.config);
  const columns = (Array.isArray(js.columns) ? js.columns : []).map(obj).filter((c) => str(c.name)).map((c): ColumnSpec => ({
    name: str(c.name)!,
    ...(str(c.description) ? { description: str(c.description)! } : {}),
    tests: testSpecs(c.data_tests ?? c.tests, str(c.name)!),
  }));
  return {
    name,
    line: at?.keys.get('name') ?? at?.line ?? 0,
    ...(str(js.description) ? { description: str(js.description)! } : {}),
    config,
    columns,
    tests: testSpecs(js.data_tests ?? js.tests, undefined),
    meta: { ...obj(js.meta), ...obj(config.meta) },
  };
}

/** dbt's test spellings: `- unique`, `- accepted_values: {values: […]}`, `- name: x, test_name: y`. */
function testSpecs(list: unknown, column: string | undefined): TestSpec[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t): TestSpec[] => {
    if (typeof t === 'string') return [{ name: t, ...(column ? { column } : {}), args: {}, severity: 'error' }];
    const o = obj(t);
    const keys = Object.keys(o);
    const testName = str(o.test_name) ?? (keys.length === 1 ? keys[0] : undefined);
    if (!testName) return [];
    const args = { ...(keys.length === 1 ? obj(o[testName]) : o) };
    const argsInner = obj(args.arguments);
    const config = obj(args.config);
    delete args.config; delete args.arguments; delete args.test_name;
    const severity = String(config.severity ?? args.severity ?? 'error').toLowerCase() === 'warn' ? 'warn' : 'error';
    delete args.severity;
    const bare = testName.includes('.') ? testName.split('.').pop()! : testName;
    return [{ name: bare, ...(column ? { column } : {}), args: { ...args, ...argsInner }, severity }];
  });
}
