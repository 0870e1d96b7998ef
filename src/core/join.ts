// One graph for a multi-root workspace: each folder is indexed on its own (its runner, warehouse
// and store stay its own), then the folders' graphs are joined as one index would join them. A
// dep one folder could not resolve is looked for in the others (ref by name, source, key); a dbt
// source joins another folder's asset with its key, or reads the model that writes its relation.
import type { Asset, AssetKey, Diagnostic, Reference } from './model';
import { relationString } from './model';
import { buildGraph, changedKeys, graphWith, isCycleDiagnostic, patchGraph, type DbtProject, type Graph, type GraphAutomations, type UnresolvedDep } from './graph';

/** A folder's graph and the name its files get in the joined graph (`<prefix>/<file>`). */
export interface GraphPart { readonly prefix: string; readonly graph: Graph }

/** The joined graph; with one unprefixed part, that part's graph itself. */
export function joinGraphs(parts: readonly GraphPart[]): Graph {
  return join(parts).graph;
}

/** A joined graph and what joining it again after an edit of one folder needs. */
export interface Joined {
  readonly graph: Graph;
  readonly parts: readonly GraphPart[];
  /** The folder whose asset each key of the joined graph is. */
  readonly owner: ReadonlyMap<AssetKey, number>;
  /** Deps a source gets from another folder's model that writes its relation. */
  readonly relationDeps: ReadonlyMap<AssetKey, readonly AssetKey[]>;
  readonly duplicates: readonly Diagnostic[];
  /** Per folder: its references and diagnostics with prefixed files, by the folder's own objects. */
  readonly copies: readonly { refs: WeakMap<Reference, Reference>; diags: WeakMap<Diagnostic, Diagnostic> }[];
}

/**
 * The joined graph after one folder's graph changed. When that folder kept its keys (the usual
 * edit), only its changed assets are joined again and the previous graph is patched; anything
 * else joins from scratch.
 */
export function rejoin(previous: Joined | undefined, parts: readonly GraphPart[]): Joined {
  const changed = previous && parts.some((p) => p.prefix) ? oneChangedPart(previous, parts) : undefined;
  if (changed === undefined) return join(parts);
  const before = previous!.parts[changed]!.graph, after = parts[changed]!.graph;
  const keys = new Set<AssetKey>();
  for (const k of changedKeys(before.assets, after.assets) ?? after.assets.keys()) if (before.assets.get(k) !== after.assets.get(k)) keys.add(k);
  const old = new Set(before.unresolved ?? []);
  const now = new Set(after.unresolved ?? []);
  for (const u of old) if (!now.has(u)) keys.add(u.from);
  for (const u of now) if (!old.has(u)) keys.add(u.from);
  const { references, extra, resolved } = crossLinks(parts, previous!.copies);
  const assets: Asset[] = [];
  for (const k of keys) {
    const a = after.assets.get(k);
    if (!a || previous!.owner.get(k) !== changed) continue;
    assets.push(joinedAsset(a, parts[changed]!.prefix, [...(extra.get(k) ?? []), ...(previous!.relationDeps.get(k) ?? [])]));
  }
  const diagnostics = [...previous!.duplicates, ...partDiagnostics(parts, resolved, previous!.copies)];
  let graph = patchGraph(previous!.graph, assets, diagnostics, references);
  const automations = joinAutomations(parts);
  if (automations || graph.automations) graph = graphWith(graph, { ...(automations ? { automations } : { automations: undefined }) });
  return { ...previous!, graph, parts };
}

/** The index of the only folder whose graph changed, when it kept its keys, projects and sources; else undefined. */
function oneChangedPart(previous: Joined, parts: readonly GraphPart[]): number | undefined {
  if (previous.parts.length !== parts.length || parts.some((p, i) => p.prefix !== previous.parts[i]!.prefix)) return undefined;
  const changed = parts.flatMap((p, i) => (p.graph === previous.parts[i]!.graph ? [] : [i]));
  if (changed.length !== 1) return undefined;
  const i = changed[0]!, before = previous.parts[i]!.graph, after = parts[i]!.graph;
  if (before.projects !== after.projects || before.sources !== after.sources || before.assets.size !== after.assets.size) return undefined;
  const shared = changedKeys(before.assets, after.assets);
  if (!shared && [...before.assets.keys()].some((k) => !after.assets.has(k))) return undefined;
  for (const k of shared ?? before.assets.keys()) if (after.assets.get(k)?.kind !== before.assets.get(k)!.kind) return undefined;
  return i;
}

function join(parts: readonly GraphPart[]): Joined {
  const copies = parts.map(() => ({ refs: new WeakMap<Reference, Reference>(), diags: new WeakMap<Diagnostic, Diagnostic>() }));
  if (parts.length === 1 && !parts[0]!.prefix) return { graph: parts[0]!.graph, parts, owner: new Map(), relationDeps: new Map(), duplicates: [], copies };
  const chosen = new Map<AssetKey, { asset: Asset; part: number }>();
  const duplicates: Diagnostic[] = [];
  // Assets other than sources first: a source whose key another folder defines joins that asset.
  for (const sources of [false, true]) {
    parts.forEach(({ graph, prefix }, i) => {
      for (const a of graph.assets.values()) {
        if ((a.kind === 'source') !== sources) continue;
        const prev = chosen.get(a.key);
        if (!prev) chosen.set(a.key, { asset: a, part: i });
        else if (!sources) duplicates.push({ file: `${prefix}/${a.file}`, line: a.line, severity: 'error', message: `Duplicate asset key '${a.key}' (also defined in ${parts[prev.part]!.prefix}/${prev.asset.file}:${prev.asset.line})` });
      }
    });
  }
  const { references, extra, resolved } = crossLinks(parts, copies);
  const relationDeps = readsAcrossFolders(chosen, parts);
  const assets = [...chosen.values()].map(({ asset, part }) => joinedAsset(asset, parts[part]!.prefix, [...(extra.get(asset.key) ?? []), ...(relationDeps.get(asset.key) ?? [])]));
  const projects: DbtProject[] = parts.flatMap(({ graph, prefix }) => graph.projects.map((p) => ({ ...p, dir: p.dir ? `${prefix}/${p.dir}` : prefix })));
  const sources = new Map<string, AssetKey>();
  for (const { graph } of parts) for (const [k, v] of graph.sources) if (!sources.has(k)) sources.set(k, v);
  const graph = buildGraph(assets, [...duplicates, ...partDiagnostics(parts, resolved, copies)], references, projects, sources);
  const automations = joinAutomations(parts);
  const owner = new Map([...chosen].map(([k, c]) => [k, c.part]));
  return { graph: automations ? graphWith(graph, { automations }) : graph, parts, owner, relationDeps, duplicates, copies };
}

/** An asset as the joined graph holds it: its file prefixed, deps from other folders added. */
function joinedAsset(a: Asset, prefix: string, extra: readonly AssetKey[]): Asset {
  const deps = extra.length ? [...new Set([...a.deps, ...extra.filter((k) => k !== a.key)])].sort() : a.deps;
  return { ...a, file: `${prefix}/${a.file}`, deps };
}

/** Deps each folder could not resolve, looked for in the other folders: the deps found, their references, and the diagnostics they retire. */
function crossLinks(parts: readonly GraphPart[], copies: Joined['copies']): { references: Reference[]; extra: Map<AssetKey, AssetKey[]>; resolved: Set<Diagnostic> } {
  const references: Reference[] = [];
  parts.forEach(({ graph, prefix }, i) => {
    const cache = copies[i]!.refs;
    for (const r of graph.references) {
      let c = cache.get(r);
      if (!c) cache.set(r, (c = { ...r, file: `${prefix}/${r.file}` }));
      references.push(c);
    }
  });
  const extra = new Map<AssetKey, AssetKey[]>();
  const resolved = new Set<Diagnostic>();
  const lookups = parts.map((p) => lookupOf(p.graph));
  parts.forEach(({ graph, prefix }, i) => {
    for (const u of graph.unresolved ?? []) {
      const target = lookups.map((l, j) => (j === i ? undefined : l.find(u))).find((k) => k !== undefined);
      if (!target) continue;
      extra.set(u.from, [...(extra.get(u.from) ?? []), target]);
      references.push({ file: `${prefix}/${u.file}`, line: u.dep.line, startCol: u.dep.startCol, endCol: u.dep.endCol, target, from: u.from });
      resolved.add(u.diagnostic);
    }
  });
  return { references, extra, resolved };
}

/** Every folder's diagnostics with prefixed files, but its cycles (found again over the joined edges) and the deps another folder resolved. */
function partDiagnostics(parts: readonly GraphPart[], resolved: ReadonlySet<Diagnostic>, copies: Joined['copies']): Diagnostic[] {
  const out: Diagnostic[] = [];
  parts.forEach(({ graph, prefix }, i) => {
    const cache = copies[i]!.diags;
    for (const d of graph.diagnostics) {
      if (resolved.has(d) || isCycleDiagnostic(d)) continue;
      let c = cache.get(d);
      if (!c) cache.set(d, (c = { ...d, file: `${prefix}/${d.file}` }));
      out.push(c);
    }
  });
  return out;
}

/** A source that names the relation another folder's model writes reads that model (cross-project lineage). */
function readsAcrossFolders(chosen: ReadonlyMap<AssetKey, { asset: Asset; part: number }>, parts: readonly GraphPart[]): Map<AssetKey, AssetKey[]> {
  const out = new Map<AssetKey, AssetKey[]>();
  if (parts.length < 2) return out;
  const writers = new Map<string, { key: AssetKey; part: number }>();
  for (const { asset, part } of chosen.values()) if (asset.relation && asset.kind !== 'source') writers.set(relationString(asset.relation).toLowerCase(), { key: asset.key, part });
  for (const { asset, part } of chosen.values()) {
    if (asset.kind !== 'source' || !asset.relation) continue;
    const w = writers.get(relationString(asset.relation).toLowerCase());
    if (w && w.part !== part && w.key !== asset.key) out.set(asset.key, [w.key]);
  }
  return out;
}

function joinAutomations(parts: readonly GraphPart[]): GraphAutomations | undefined {
  if (!parts.some((p) => p.graph.automations)) return undefined;
  const files = <T extends { file: string }>(pick: (a: GraphAutomations) => readonly T[] | undefined): T[] =>
    parts.flatMap(({ graph, prefix }) => (graph.automations ? pick(graph.automations) ?? [] : []).map((x) => ({ ...x, file: `${prefix}/${x.file}` })));
  return { schedules: files((a) => a.schedules), sensors: files((a) => a.sensors), assetSensors: files((a) => a.assetSensors) };
}

const lookups = new WeakMap<Graph, Lookup>();
const lookupOf = (g: Graph): Lookup => lookups.get(g) ?? lookups.set(g, new Lookup(g)).get(g)!;

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
