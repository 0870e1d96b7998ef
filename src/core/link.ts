// The second pass: symbolic deps (ref, source, key, Python name) → keys across every dbt project
// and Python module; singular tests and asset checks attach to their assets; a dbt source joins the
// Python asset with the same key, or reads the other project's model that writes its relation.
import type { Asset, AssetKey, Diagnostic, Reference, Relation, TestDef } from './model';
import { keyFromString, relationString } from './model';
import { buildGraph, graphWith, patchGraph, type DbtProject, type Graph, type UnresolvedDep } from './graph';
import type { PendingAsset, SymbolicDep } from './dbt/dbtProject';
import { closest } from './text';

export interface PendingCheck { readonly name: string; readonly file: string; readonly line: number; readonly dep: SymbolicDep }

/** What one file contributes to the graph: its pending assets and its own problems. */
export interface FileInput {
  readonly file: string;
  readonly pending: readonly PendingAsset[];
  readonly diagnostics: readonly Diagnostic[];
}

type KeyIndex = Map<string, AssetKey[]>;
const add = (m: KeyIndex, k: string, v: AssetKey) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };

/**
 * Links every file's pending assets into a Graph, and keeps the lookup tables so that an edit
 * which keeps a file's asset keys can be re-linked by patching (see `patch`).
 */
export class Linker {
  private current: Graph;
  private readonly byKey = new Map<AssetKey, PendingAsset>();
  private readonly refs: KeyIndex = new Map(); // `name` and `pkg.name` → keys
  private readonly sources: KeyIndex = new Map(); // `source.table` and `pkg:source.table` → keys
  private readonly symbols: KeyIndex = new Map();
  private readonly testsFor = new Map<AssetKey, TestDef[]>();
  private readonly checksFor = new Map<AssetKey, string[]>();
  private readonly writers = new Map<string, AssetKey>();
  /** Relations of sources that joined an asset defined elsewhere (a Python loader): it writes there. */
  private readonly joinedRelations = new Map<AssetKey, Relation>();
  /** Diagnostics per file (extraction and resolution), without cycles. */
  private readonly fileDiagnostics = new Map<string, Diagnostic[]>();
  private readonly inputs = new Map<string, FileInput>();
  /** Asset deps that name nothing in this graph, per file (another workspace folder may define them). */
  private readonly unresolved = new Map<string, UnresolvedDep[]>();

  constructor(inputs: readonly FileInput[], checks: readonly PendingCheck[], globalDiagnostics: readonly Diagnostic[], projects: readonly DbtProject[]) {
    for (const i of inputs) this.inputs.set(i.file, i);
    const diagnostics: Diagnostic[] = [...globalDiagnostics];
    const all = inputs.flatMap((i) => i.pending);
    // Sources last, so a source whose key a Python asset (or model) already defines joins that asset.
    for (const p of all) if (!p.singularTest && p.asset.kind !== 'source') this.register(p, diagnostics);
    for (const p of all) if (p.asset.kind === 'source') this.register(p, diagnostics);
    for (const p of this.byKey.values()) if (p.asset.relation && p.asset.kind !== 'source') this.writers.set(relationString(p.asset.relation).toLowerCase(), p.asset.key);

    const references: Reference[] = [];
    for (const p of all) {
      if (!p.singularTest) continue;
      for (const dep of p.deps) { const k = this.resolve(p.asset.file, p.asset.key, p.asset.dbt?.packageName, dep, references, diagnostics); if (k) this.testsFor.set(k, [...(this.testsFor.get(k) ?? []), p.singularTest]); }
    }
    for (const c of checks) {
      const k = this.resolve(c.file, keyFromString(`check:${c.name}`), undefined, c.dep, references, diagnostics);
      if (k) this.checksFor.set(k, [...(this.checksFor.get(k) ?? []), c.name]);
    }
    const assets: Asset[] = [];
    for (const p of this.byKey.values()) assets.push(this.linkAsset(p, references, diagnostics));
    for (const i of inputs) diagnostics.push(...i.diagnostics);
    for (const d of diagnostics) { const l = this.fileDiagnostics.get(d.file); if (l) l.push(d); else this.fileDiagnostics.set(d.file, [d]); }
    const sources = new Map<string, AssetKey>();
    for (const [k, keys] of this.sources) if (keys.length === 1 || k.includes(':')) sources.set(k, keys[0]!);
    this.current = this.withUnresolved(buildGraph(assets, diagnostics, references, projects, sources));
  }

  private withUnresolved(g: Graph): Graph {
    const unresolved = [...this.unresolved.values()].flat();
    return unresolved.length || g.unresolved ? graphWith(g, { unresolved }) : g;
  }

  get graph(): Graph {
    return this.current;
  }

  private register(p: PendingAsset, diagnostics: Diagnostic[]): void {
    const a = p.asset;
    const d = a.dbt;
    const prev = this.byKey.get(a.key);
    if (prev && a.kind === 'source') {
      if (d?.sourceName) this.registerSource(d, a.key);
      if (a.relation && !prev.asset.relation) this.joinedRelations.set(a.key, a.relation);
      return;
    }
    if (prev) { diagnostics.push({ file: a.file, line: a.line, severity: 'error', message: `Duplicate asset key '${a.key}' (also defined in ${prev.asset.file}:${prev.asset.line})` }); return; }
    this.byKey.set(a.key, p);
    // Exposures read models; nothing can ref them.
    if (d && d.resourceType !== 'source' && d.resourceType !== 'exposure') { add(this.refs, d.name, a.key); add(this.refs, `${d.packageName}.${d.name}`, a.key); }
    if (d?.sourceName) this.registerSource(d, a.key);
    if (p.symbol) add(this.symbols, p.symbol, a.key);
  }

  private registerSource(d: NonNullable<Asset['dbt']>, key: AssetKey): void {
    add(this.sources, `${d.sourceName}.${d.name}`, key);
    add(this.sources, `${d.packageName}:${d.sourceName}.${d.name}`, key);
  }

  private resolve(file: string, from: AssetKey, pkg: string | undefined, dep: SymbolicDep, references: Reference[], diagnostics: Diagnostic[], isAssetDep = false): AssetKey | undefined {
    const target = candidates(dep, pkg, this.refs, this.sources, this.symbols, this.byKey)?.[0];
    if (!target) {
      const diagnostic = unresolved(file, dep, this.refs, this.sources, this.byKey);
      diagnostics.push(diagnostic);
      if (isAssetDep) { const l = this.unresolved.get(file); const u = { file, from, dep, diagnostic }; if (l) l.push(u); else this.unresolved.set(file, [u]); }
      return undefined;
    }
    references.push({ file, line: dep.line, startCol: dep.startCol, endCol: dep.endCol, target, from });
    return target;
  }

  private linkAsset(p: PendingAsset, references: Reference[], diagnostics: Diagnostic[]): Asset {
    const deps: AssetKey[] = [];
    for (const d of p.deps) { const k = this.resolve(p.asset.file, p.asset.key, p.asset.dbt?.packageName, d, references, diagnostics, true); if (k) deps.push(k); }
    if (p.asset.kind === 'source' && p.asset.relation) {
      // Cross-project lineage: a source naming the relation another project's model writes reads that model.
      const w = this.writers.get(relationString(p.asset.relation).toLowerCase());
      if (w && w !== p.asset.key) deps.push(w);
    }
    const checkNames = [...(p.asset.checks ?? []), ...(this.checksFor.get(p.asset.key) ?? [])];
    const tests = this.testsFor.get(p.asset.key);
    const joined = this.joinedRelations.get(p.asset.key);
    return { ...p.asset, ...(joined && !p.asset.relation ? { relation: joined } : {}), deps: [...new Set(deps)].sort(), ...(tests ? { tests: [...p.asset.tests, ...tests] } : {}), ...(checkNames.length ? { checks: checkNames } : {}) };
  }

  /**
   * Re-links one changed file when its assets keep their keys and names (the usual edit: SQL text,
   * refs, config); returns undefined when a full link is needed (keys added or removed, tests, sources).
   */
  patch(input: FileInput): Graph | undefined {
    const old = this.inputs.get(input.file);
    if (!old || !sameShape(old.pending, input.pending)) return undefined;
    const references = this.graph.references.filter((r) => r.file !== input.file);
    const diagnostics: Diagnostic[] = [...input.diagnostics];
    this.unresolved.delete(input.file);
    const changed = input.pending.map((p) => { this.byKey.set(p.asset.key, p); return this.linkAsset(p, references, diagnostics); });
    // Diagnostics other files had about this file's assets stay as they were: names did not change.
    this.fileDiagnostics.set(input.file, diagnostics);
    this.inputs.set(input.file, input);
    const all = [...this.fileDiagnostics.values()].flat();
    return (this.current = this.withUnresolved(patchGraph(this.current, changed, all, references)));
  }
}

/** Same asset keys, kinds, dbt names and Python symbols, and nothing the lookup tables depend on. */
function sameShape(a: readonly PendingAsset[], b: readonly PendingAsset[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i]!;
    return !p.singularTest && !q.singularTest && p.asset.kind !== 'source' && p.asset.key === q.asset.key && p.asset.kind === q.asset.kind
      && p.symbol === q.symbol && p.asset.dbt?.name === q.asset.dbt?.name && p.asset.dbt?.packageName === q.asset.dbt?.packageName
      && (p.asset.relation && relationString(p.asset.relation)) === (q.asset.relation && relationString(q.asset.relation));
  });
}

function candidates(dep: SymbolicDep, pkg: string | undefined, refs: Map<string, AssetKey[]>, sources: Map<string, AssetKey[]>, symbols: Map<string, AssetKey[]>, byKey: Map<AssetKey, unknown>): AssetKey[] | undefined {
  switch (dep.kind) {
    case 'ref': return refs.get(dep.package ? `${dep.package}.${dep.name}` : `${pkg}.${dep.name}`) ?? refs.get(dep.name) ?? notExposure(keyIfKnown(dep.name, byKey), byKey);
    case 'source': return sources.get(`${pkg}:${dep.source}.${dep.table}`) ?? sources.get(`${dep.source}.${dep.table}`);
    case 'key': return keyIfKnown(dep.key, byKey);
    case 'symbol': { const s = symbols.get(dep.symbol); return s?.length === 1 ? s : keyIfKnown(dep.symbol, byKey) ?? refs.get(dep.symbol); }
  }
}

/** A ref never names an exposure (dbt refuses it), even through the key fallback. */
const notExposure = (keys: AssetKey[] | undefined, byKey: Map<AssetKey, unknown>): AssetKey[] | undefined =>
  keys?.filter((k) => (byKey.get(k) as PendingAsset | undefined)?.asset.kind !== 'exposure').length ? keys : undefined;

const keyIfKnown = (k: string, byKey: Map<AssetKey, unknown>): AssetKey[] | undefined => (byKey.has(keyFromString(k)) ? [keyFromString(k)] : undefined);

function unresolved(file: string, dep: SymbolicDep, refs: Map<string, AssetKey[]>, sources: Map<string, AssetKey[]>, byKey: Map<AssetKey, unknown>): Diagnostic {
  const where = { file, line: dep.line + 1, column: dep.startCol + 1 };
  const mean = (g: string | undefined) => (g ? `. Did you mean '${g}'?` : '');
  switch (dep.kind) {
    case 'ref': return lazyMessage({ ...where, severity: 'error' }, () => `ref('${dep.name}') does not match any model, seed or snapshot${mean(closest(dep.name, [...refs.keys()].filter((k) => !k.includes('.'))))}`);
    case 'source': return lazyMessage({ ...where, severity: 'error' }, () => `source('${dep.source}', '${dep.table}') does not match any source${mean(closest(`${dep.source}.${dep.table}`, [...sources.keys()].filter((k) => !k.includes(':'))))}`);
    case 'key': case 'symbol': {
      const name = dep.kind === 'key' ? dep.key : dep.symbol;
      return lazyMessage({ ...where, severity: 'warning' }, () => `Dependency '${name}' does not match any asset in the workspace${mean(closest(name, byKey.keys()))}`);
    }
  }
}

/**
 * A diagnostic whose message (with its "did you mean", a search over every name) is written when
 * first read: in a multi-root workspace most unresolved deps resolve in another folder and are
 * never shown. The message is an enumerable property, so copies and JSON carry it.
 */
function lazyMessage(d: Omit<Diagnostic, 'message'>, message: () => string): Diagnostic {
  let text: string | undefined;
  return Object.defineProperty({ ...d }, 'message', { enumerable: true, get: () => (text ??= message()) }) as Diagnostic;
}
