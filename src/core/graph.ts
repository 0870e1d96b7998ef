// The asset graph: an immutable value with sorted keys, upstream/downstream maps, a cached
// topological order, and cycles reported as diagnostics that name their path.
import type { Asset, AssetKey, Diagnostic, Reference } from './model';
import type { AssetSensorDef, ScheduleDef, SensorDef } from './automation';

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
 * The graph with some assets replaced (same keys, new deps or fields): the maps are copied on
 * write and the order recomputed only when edges changed, so one edit costs milliseconds.
 * `diagnostics` are the non-cycle diagnostics of the new graph.
 */
export function patchGraph(g: Graph, changed: readonly Asset[], diagnostics: readonly Diagnostic[], references: readonly Reference[]): Graph {
  const assets = new Map(g.assets);
  for (const a of changed) assets.set(a.key, a);
  const upstream = new Map(g.upstream);
  const downstream = new Map(g.downstream);
  let edgesChanged = false;
  for (const a of changed) {
    const before = g.upstream.get(a.key) ?? [];
    const after = upstreamOf(a, assets);
    if (sameList(before, after)) continue;
    edgesChanged = true;
    upstream.set(a.key, after);
    for (const u of before) if (!after.includes(u)) downstream.set(u, downstream.get(u)!.filter((k) => k !== a.key));
    for (const u of after) if (!before.includes(u)) downstream.set(u, insertSorted([...downstream.get(u)!], a.key));
  }
  if (!edgesChanged) {
    const cycles = g.diagnostics.filter((d) => d.message.startsWith(cyclePrefix));
    return { ...g, assets, diagnostics: sortDiagnostics([...diagnostics, ...cycles]), references };
  }
  return assemble(assets, upstream, downstream, diagnostics, references, g.projects, g.sources);
}

const cyclePrefix = 'Dependency cycle: ';

function assemble(
  assets: ReadonlyMap<AssetKey, Asset>, upstream: ReadonlyMap<AssetKey, readonly AssetKey[]>, downstream: ReadonlyMap<AssetKey, readonly AssetKey[]>,
  diagnostics: readonly Diagnostic[], references: readonly Reference[], projects: readonly DbtProject[], sources: ReadonlyMap<string, AssetKey>,
): Graph {
  const { order, cycles } = topoSort([...assets.keys()], upstream, downstream);
  const cycleDiags: Diagnostic[] = cycles.map((path) => {
    const first = assets.get(path[0]!)!;
    return { file: first.file, line: first.line, severity: 'error', message: `${cyclePrefix}${[...path, path[0]].join(' → ')}` };
  });
  return { assets, upstream, downstream, order, diagnostics: sortDiagnostics([...diagnostics, ...cycleDiags]), references, projects, sources };
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
