// One graph for a multi-root workspace: each folder is indexed on its own (its runner, warehouse
// and store stay its own), then the folders' graphs are joined as one index would join them. A
// dep one folder could not resolve is looked for in the others (ref by name, source, key); a dbt
// source joins another folder's asset with its key, or reads the model that writes its relation.
import type { Asset, AssetKey, Diagnostic, Reference } from './model';
import { relationString } from './model';
import { buildGraph, graphWith, isCycleDiagnostic, type DbtProject, type Graph, type GraphAutomations, type UnresolvedDep } from './graph';

/** A folder's graph and the name its files get in the joined graph (`<prefix>/<file>`). */
export interface GraphPart { readonly prefix: string; readonly graph: Graph }

/** The joined graph; with one unprefixed part, that part's graph itself. */
export function joinGraphs(parts: readonly GraphPart[]): Graph {
  if (parts.length === 1 && !parts[0]!.prefix) return parts[0]!.graph;
  const at = (i: number, file: string): string => `${parts[i]!.prefix}/${file}`;
  const chosen = new Map<AssetKey, { asset: Asset; part: number }>();
  const diagnostics: Diagnostic[] = [];
  // Assets other than sources first: a source whose key another folder defines joins that asset.
  for (const sources of [false, true]) {
    parts.forEach(({ graph }, i) => {
      for (const a of graph.assets.values()) {
        if ((a.kind === 'source') !== sources) continue;
        const prev = chosen.get(a.key);
        if (!prev) chosen.set(a.key, { asset: { ...a, file: at(i, a.file) }, part: i });
        else if (!sources) diagnostics.push({ file: at(i, a.file), line: a.line, severity: 'error', message: `Duplicate asset key '${a.key}' (also defined in ${prev.asset.file}:${prev.asset.line})` });
      }
    });
  }
  const extra = new Map<AssetKey, AssetKey[]>();
  const addDep = (from: AssetKey, to: AssetKey) => { if (from !== to) extra.set(from, [...(extra.get(from) ?? []), to]); };
  const references: Reference[] = parts.flatMap(({ graph }, i) => graph.references.map((r) => ({ ...r, file: at(i, r.file) })));
  const resolved = new Set<Diagnostic>();
  const lookups = parts.map((p) => new Lookup(p.graph));
  parts.forEach(({ graph }, i) => {
    for (const u of graph.unresolved ?? []) {
      const target = lookups.map((l, j) => (j === i ? undefined : l.find(u))).find((k) => k !== undefined);
      if (!target) continue;
      addDep(u.from, target);
      references.push({ file: at(i, u.file), line: u.dep.line, startCol: u.dep.startCol, endCol: u.dep.endCol, target, from: u.from });
      resolved.add(u.diagnostic);
    }
  });
  readsAcrossFolders(chosen, addDep);
  for (const [key, deps] of extra) {
    const c = chosen.get(key);
    if (c) chosen.set(key, { ...c, asset: { ...c.asset, deps: [...new Set([...c.asset.deps, ...deps])].sort() } });
  }
  parts.forEach(({ graph }, i) => {
    // Cycles are found again over the joined edges; resolved deps are no longer problems.
    for (const d of graph.diagnostics) if (!resolved.has(d) && !isCycleDiagnostic(d)) diagnostics.push({ ...d, file: at(i, d.file) });
  });
  const projects: DbtProject[] = parts.flatMap(({ graph }, i) => graph.projects.map((p) => ({ ...p, dir: p.dir ? at(i, p.dir) : parts[i]!.prefix })));
  const sources = new Map<string, AssetKey>();
  for (const { graph } of parts) for (const [k, v] of graph.sources) if (!sources.has(k)) sources.set(k, v);
  const joined = buildGraph([...chosen.values()].map((c) => c.asset), diagnostics, references, projects, sources);
  const automations = joinAutomations(parts, at);
  return automations ? graphWith(joined, { automations }) : joined;
}

/** A source that names the relation another folder's model writes reads that model (cross-project lineage). */
function readsAcrossFolders(chosen: ReadonlyMap<AssetKey, { asset: Asset; part: number }>, addDep: (from: AssetKey, to: AssetKey) => void): void {
  const writers = new Map<string, { key: AssetKey; part: number }>();
  for (const { asset, part } of chosen.values()) if (asset.relation && asset.kind !== 'source') writers.set(relationString(asset.relation).toLowerCase(), { key: asset.key, part });
  for (const { asset, part } of chosen.values()) {
    if (asset.kind !== 'source' || !asset.relation) continue;
    const w = writers.get(relationString(asset.relation).toLowerCase());
    if (w && w.part !== part) addDep(asset.key, w.key);
  }
}

function joinAutomations(parts: readonly GraphPart[], at: (i: number, file: string) => string): GraphAutomations | undefined {
  if (!parts.some((p) => p.graph.automations)) return undefined;
  const files = <T extends { file: string }>(pick: (a: GraphAutomations) => readonly T[] | undefined): T[] =>
    parts.flatMap(({ graph }, i) => (graph.automations ? pick(graph.automations) ?? [] : []).map((x) => ({ ...x, file: at(i, x.file) })));
  return { schedules: files((a) => a.schedules), sensors: files((a) => a.sensors), assetSensors: files((a) => a.assetSensors) };
}

/** What one folder's graph answers to a dep written in another folder. */
class Lookup {
  private refs: Map<string, AssetKey> | undefined;
  constructor(private readonly graph: Graph) {}

  find(u: UnresolvedDep): AssetKey | undefined {
    const d = u.dep;
    switch (d.kind) {
      case 'ref': return this.refIndex().get(d.package ? `${d.package}.${d.name}` : d.name);
      case 'source': return this.graph.sources.get(`${d.source}.${d.table}`);
      case 'key': return this.key(d.key);
      case 'symbol': return this.key(d.symbol) ?? this.refIndex().get(d.symbol);
    }
  }

  private key(k: string): AssetKey | undefined {
    return this.graph.assets.has(k as AssetKey) ? (k as AssetKey) : undefined;
  }

  /** dbt models, seeds and snapshots by `name` and `package.name`. */
  private refIndex(): Map<string, AssetKey> {
    if (this.refs) return this.refs;
    this.refs = new Map();
    for (const a of this.graph.assets.values()) {
      if (!a.dbt || a.dbt.resourceType === 'source' || a.dbt.resourceType === 'exposure') continue;
      if (!this.refs.has(a.dbt.name)) this.refs.set(a.dbt.name, a.key);
      this.refs.set(`${a.dbt.packageName}.${a.dbt.name}`, a.key);
    }
    return this.refs;
  }
}
