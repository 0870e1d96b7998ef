// The asset graph: an immutable value with sorted keys, upstream/downstream maps, a cached
// topological order, and cycles reported as diagnostics that name their path.
import type { Asset, AssetKey, Diagnostic, Reference } from './model';
import type { AssetSensorDef, ScheduleDef, SensorDef } from './automation';
import type { SymbolicDep } from './dbt/dbtProject';
import { layered } from './layeredMap';

export { changedKeys } from './layeredMap';

/** A dbt project found in the workspace, with what running its models needs. */
export interface DbtProject {
  readonly name: string;
  /** Workspace-relative directory of dbt_project.yml (`''` at the root). */
  readonly dir: string;
  readonly profile?: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Workspace-relative macro files of the project and its installed packages → their text. */
  readonly macros: ReadonlyMap<string, string>;
  /** The dbt-duckdb `path` of the profile's target, workspace-relative; undefined when none. */
  readonly warehouse?: string;
  /** The target's schema (dbt-duckdb default `main`). */
  readonly targetSchema: string;
  readonly targetName: string;
}

export interface Graph {
  /** Every asset by key, in sorted key order. */
  readonly assets: ReadonlyMap<AssetKey, Asset>;
  /** Deps that resolve to assets in the graph, sorted. */
  readonly upstream: ReadonlyMap<AssetKey, readonly AssetKey[]>;
  /** Assets that read each asset, sorted. */
  readonly downstream: ReadonlyMap<AssetKey, readonly AssetKey[]>;
  /** Topological order (upstream first; ties broken by key); assets on a cycle come last. */
  readonly order: readonly AssetKey[];
  readonly diagnostics: readonly Diagnostic[];
  readonly references: readonly Reference[];
  readonly projects: readonly DbtProject[];
  /** dbt `source()` lookups → the asset they resolve to: `pkg:source.table` and `source.table`. */
  readonly sources: ReadonlyMap<string, AssetKey>;
  /** Schedules and sensors read from Dagster code, selections resolved; undefined: none. */
  readonly automations?: GraphAutomations;
  /** Asset deps that name no asset here (each has its diagnostic); another workspace folder may define them. Undefined: none. */
  readonly unresolved?: readonly UnresolvedDep[];
}

/** A dep the linker could not resolve, kept so a multi-root workspace can look for it in the other folders. */
export interface UnresolvedDep {
  readonly file: string;
  readonly from: AssetKey;
  readonly dep: SymbolicDep;
  readonly diagnostic: Diagnostic;
}

/** Where a schedule or sensor is defined, and its selection as written in our syntax (`key:a group:g`). */
export interface AutomationOrigin { readonly file: string; readonly line: number; readonly query: string }

export interface GraphAutomations {
  readonly schedules: readonly (ScheduleDef & AutomationOrigin)[];
  readonly sensors: readonly (SensorDef & AutomationOrigin)[];
  /** `@asset_sensor`s; undefined: none. */
  readonly assetSensors?: readonly (AssetSensorDef & AutomationOrigin)[];
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the graph value from linked assets. Deps that name no asset are dropped here (the linker reports them). */
export function buildGraph(
  assetList: readonly Asset[],
  diagnostics: readonly Diagnostic[],
  references: readonly Reference[],
  projects: readonly DbtProject[],
  sources: ReadonlyMap<string, AssetKey> = new Map(),
): Graph {
  const sorted = [...assetList].sort((a, b) => byString(a.key, b.key));
  const assets = new Map<AssetKey, Asset>(sorted.map((a) => [a.key, a]));
  const upstream = new Map<AssetKey, AssetKey[]>();
  const downstream = new Map<AssetKey, AssetKey[]>();
  for (const a of sorted) { upstream.set(a.key, upstreamOf(a, assets)); downstream.set(a.key, []); }
  for (const [k, ups] of upstream) for (const u of ups) downstream.get(u)!.push(k);
  // Keys arrive sorted, so each downstream list is already sorted.
  return assemble(assets, upstream, downstream, diagnostics, references, projects, sources);
}

/**
 * The graph with some assets replaced (same keys, new deps or fields), in time proportional to the
 * change: the maps are layered over the previous graph's, a cycle is looked for only from the
 * assets whose edges changed, and the topological order is computed when first read.
 * `diagnostics` are the non-cycle diagnostics of the new graph.
 */
export function patchGraph(g: Graph, changed: readonly Asset[], diagnostics: readonly Diagnostic[], references: readonly Reference[]): Graph {
  const assets = layered(g.assets, changed.map((a) => [a.key, a]));
  const upChanges: [AssetKey, AssetKey[]][] = [];
  const downChanges = new Map<AssetKey, AssetKey[]>();
  const added: [AssetKey, AssetKey][] = [];
  const downOf = (u: AssetKey): AssetKey[] => downChanges.get(u) ?? [...g.downstream.get(u)!];
  for (const a of changed) {
    const before = g.upstream.get(a.key) ?? [];
    const after = upstreamOf(a, assets);
    if (sameList(before, after)) continue;
    upChanges.push([a.key, after]);
    for (const u of before) if (!after.includes(u)) downChanges.set(u, downOf(u).filter((k) => k !== a.key));
    for (const u of after) if (!before.includes(u)) { downChanges.set(u, insertSorted(downOf(u), a.key)); added.push([u, a.key]); }
  }
  const cycles = g.diagnostics.filter(isCycleDiagnostic);
  if (!upChanges.length) return graphValue({ ...fieldsOf(g), assets, diagnostics: sortDiagnostics([...diagnostics, ...cycles]), references }, () => g.order);
  const upstream = layered(g.upstream, upChanges);
  const downstream = layered(g.downstream, downChanges);
  // Without cycles before, a new cycle must run through a new edge u → a, that is: a reaches u.
  if (cycles.length || added.some(([u, a]) => reaches(downstream, a, u))) return assemble(assets, upstream, downstream, diagnostics, references, g.projects, g.sources);
  return graphValue({ assets, upstream, downstream, diagnostics: sortDiagnostics([...diagnostics]), references, projects: g.projects, sources: g.sources }, () => topoSort([...assets.keys()], upstream, downstream).order);
}

/** A copy of the graph with some fields replaced; the order stays lazy. */
export function graphWith(g: Graph, fields: Partial<Omit<Graph, 'order'>>): Graph {
  return graphValue({ ...fieldsOf(g), ...fields }, () => g.order);
}

function fieldsOf(g: Graph): Omit<Graph, 'order'> {
  const { assets, upstream, downstream, diagnostics, references, projects, sources, automations, unresolved } = g;
  return { assets, upstream, downstream, diagnostics, references, projects, sources, ...(automations ? { automations } : {}), ...(unresolved ? { unresolved } : {}) };
}

/** A graph whose topological order is computed on first read (many edits never need it). */
function graphValue(rest: Omit<Graph, 'order'>, order: () => readonly AssetKey[]): Graph {
  let cached: readonly AssetKey[] | undefined;
  return { ...rest, get order() { return (cached ??= order()); } };
}

/** True when `to` is downstream of `from` (or is it). */
function reaches(downstream: ReadonlyMap<AssetKey, readonly AssetKey[]>, from: AssetKey, to: AssetKey): boolean {
  const seen = new Set<AssetKey>([from]);
  const stack = [from];
  while (stack.length) {
    const k = stack.pop()!;
    if (k === to) return true;
    for (const d of downstream.get(k) ?? []) if (!seen.has(d)) { seen.add(d); stack.push(d); }
  }
  return false;
}


const cyclePrefix = 'Dependency cycle: ';
/** The cycle diagnostics this module made: told apart without reading messages (some are written lazily). */
const cycleDiagnostics = new WeakSet<Diagnostic>();

/** True for a diagnostic that names a dependency cycle (recomputed whenever edges change). */
export const isCycleDiagnostic = (d: Diagnostic): boolean => cycleDiagnostics.has(d);

function assemble(
  assets: ReadonlyMap<AssetKey, Asset>, upstream: ReadonlyMap<AssetKey, readonly AssetKey[]>, downstream: ReadonlyMap<AssetKey, readonly AssetKey[]>,
  diagnostics: readonly Diagnostic[], references: readonly Reference[], projects: readonly DbtProject[], sources: ReadonlyMap<string, AssetKey>,
): Graph {
  const { order, cycles } = topoSort([...assets.keys()], upstream, downstream);
  const cycleDiags: Diagnostic[] = cycles.map((path) => {
    const first = assets.get(path[0]!)!;
    const d: Diagnostic = { file: first.file, line: first.line, severity: 'error', message: `${cyclePrefix}${[...path, path[0]].join(' → ')}` };
    cycleDiagnostics.add(d);
    return d;
  });
  return graphValue({ assets, upstream, downstream, diagnostics: sortDiagnostics([...diagnostics, ...cycleDiags]), references, projects, sources }, () => order);
}

function upstreamOf(a: Asset, assets: ReadonlyMap<AssetKey, Asset>): AssetKey[] {
  return [...new Set(a.deps.filter((d) => d !== a.key && assets.has(d)))].sort(byString);
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sortDiagnostics(d: Diagnostic[]): Diagnostic[] {
  return d.sort((a, b) => byString(a.file, b.file) || a.line - b.line || byString(a.message, b.message));
}

/** Kahn's algorithm with a min-heap of ready keys; whatever is left over sits on or behind a cycle. */
function topoSort(
  keys: readonly AssetKey[],
  upstream: ReadonlyMap<AssetKey, readonly AssetKey[]>,
  downstream: ReadonlyMap<AssetKey, readonly AssetKey[]>,
): { order: AssetKey[]; cycles: AssetKey[][] } {
  const indegree = new Map<AssetKey, number>();
  const ready = new KeyHeap();
  for (const k of keys) { const n = upstream.get(k)!.length; indegree.set(k, n); if (n === 0) ready.push(k); }
  const order: AssetKey[] = [];
  while (ready.size) {
    const k = ready.pop();
    order.push(k);
    for (const d of downstream.get(k)!) {
      const n = indegree.get(d)! - 1;
      indegree.set(d, n);
      if (n === 0) ready.push(d);
    }
  }
  if (order.length === keys.length) return { order, cycles: [] };
  const left = keys.filter((k) => indegree.get(k)! > 0);
  return { order: [...order, ...left], cycles: findCycles(left, upstream) };
}

/** A binary min-heap of keys, so ties in the topological order break by key in O(log n). */
class KeyHeap {
  private readonly items: AssetKey[] = [];
  get size(): number { return this.items.length; }
  push(k: AssetKey): void {
    const a = this.items;
    a.push(k);
    for (let i = a.length - 1; i > 0;) { const p = (i - 1) >> 1; if (a[p]! <= a[i]!) break; [a[p], a[i]] = [a[i]!, a[p]!]; i = p; }
  }
  pop(): AssetKey {
    const a = this.items;
    const top = a[0]!, last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!]; i = m;
      }
    }
    return top;
  }
}

function insertSorted(list: AssetKey[], k: AssetKey): AssetKey[] {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid]! < k) lo = mid + 1; else hi = mid; }
  list.splice(lo, 0, k);
  return list;
}

/** One path per strongly connected component among the leftover keys (each named once). */
function findCycles(left: readonly AssetKey[], upstream: ReadonlyMap<AssetKey, readonly AssetKey[]>): AssetKey[][] {
  const inLeft = new Set(left);
  const seen = new Set<AssetKey>();
  const cycles: AssetKey[][] = [];
  for (const start of left) {
    if (seen.has(start)) continue;
    // Walk upstream until a key repeats: the repeated stretch is a cycle.
    const path: AssetKey[] = [];
    const pos = new Map<AssetKey, number>();
    let cur: AssetKey | undefined = start;
    while (cur && !pos.has(cur) && !seen.has(cur)) {
      pos.set(cur, path.length);
      path.push(cur);
      cur = upstream.get(cur)!.find((u) => inLeft.has(u));
    }
    for (const k of path) seen.add(k);
    if (cur && pos.has(cur)) {
      // Name the cycle from its smallest key, in data-flow order, so the message is stable.
      const cycle = path.slice(pos.get(cur)!).reverse();
      const min = cycle.indexOf([...cycle].sort()[0]!);
      cycles.push([...cycle.slice(min), ...cycle.slice(0, min)]);
    }
  }
  return cycles;
}

/** Keys upstream of `key` (not including it), up to `depth` hops (Infinity: all). */
export function ancestors(g: Graph, key: AssetKey, depth = Infinity): Set<AssetKey> {
  return walk(g.upstream, key, depth);
}

/** Keys downstream of `key` (not including it), up to `depth` hops. */
export function descendants(g: Graph, key: AssetKey, depth = Infinity): Set<AssetKey> {
  return walk(g.downstream, key, depth);
}

function walk(edges: ReadonlyMap<AssetKey, readonly AssetKey[]>, key: AssetKey, depth: number): Set<AssetKey> {
  const out = new Set<AssetKey>();
  let frontier: AssetKey[] = [key];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: AssetKey[] = [];
    for (const k of frontier) for (const n of edges.get(k) ?? []) if (!out.has(n) && n !== key) { out.add(n); next.push(n); }
    frontier = next;
  }
  return out;
}
