// The graph as the view needs it: neighbours both ways, each asset's cluster (its Dagster group or
// its dbt project), and the graph actually drawn once clusters are collapsed and focus or a filter
// hides assets. Pure functions of plain values, so the rules are easy to test and to reason about.
import type { AssetDto, AssetKeyString, AssetKind, GraphDto } from '../shared/dto';
import type { LayoutInput } from './layout';

/** Prefix of a collapsed cluster's node key. A node with `members` is a cluster, so an asset whose key happens to start with it is still drawn as an asset. */
export const CLUSTER_PREFIX = 'group:';

export interface NodeView {
  readonly key: string;
  /** The last key segment (what people call the asset), or the cluster's name. */
  readonly name: string;
  readonly kind: AssetKind | 'group';
  /** The cluster the asset belongs to; undefined when it belongs to none. */
  readonly cluster?: string;
  /** For a collapsed cluster: the keys of its assets. */
  readonly members?: readonly AssetKeyString[];
  readonly partitioned: boolean;
}

export interface AssetIndex {
  readonly assets: ReadonlyMap<AssetKeyString, AssetDto>;
  readonly ups: ReadonlyMap<AssetKeyString, readonly AssetKeyString[]>;
  readonly downs: ReadonlyMap<AssetKeyString, readonly AssetKeyString[]>;
  readonly clusters: ReadonlyMap<AssetKeyString, string | undefined>;
  /** Edges between assets present in the graph. */
  readonly edgeCount: number;
}

/** A Dagster group, else the dbt project (package) of a dbt node, else none. */
export function clusterOf(a: AssetDto): string | undefined {
  if (a.group) return a.group;
  const parts = a.dbt?.unique_id.split('.');
  return parts && parts.length >= 3 ? parts[1] : undefined;
}

export function indexGraph(graph: GraphDto): AssetIndex {
  const assets = new Map(graph.assets.map((a) => [a.key, a]));
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  for (const a of assets.values()) { ups.set(a.key, []); downs.set(a.key, []); }
  let edgeCount = 0;
  for (const a of assets.values()) {
    for (const d of new Set(a.deps)) {
      if (!assets.has(d) || d === a.key) continue;
      ups.get(a.key)!.push(d);
      downs.get(d)!.push(a.key);
      edgeCount++;
    }
  }
  const clusters = new Map([...assets.values()].map((a) => [a.key, clusterOf(a)]));
  return { assets, ups, downs, clusters, edgeCount };
}

/** `key` and the assets within `depth` steps upstream and/or downstream of it (Infinity: all). */
export function reach(index: AssetIndex, seeds: Iterable<string>, depth: number, up: boolean, down: boolean): Set<string> {
  const seen = new Set<string>();
  let frontier = [...seeds].filter((k) => index.assets.has(k));
  frontier.forEach((k) => seen.add(k));
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = [];
    for (const k of frontier) {
      const around = [...(up ? index.ups.get(k) ?? [] : []), ...(down ? index.downs.get(k) ?? [] : [])];
      for (const n of around) if (!seen.has(n)) { seen.add(n); next.push(n); }
    }
    frontier = next;
  }
  return seen;
}

export interface DisplayOptions {
  /** The assets to draw; undefined draws all. */
  readonly visible?: ReadonlySet<string>;
  /** Clusters drawn as one node each. */
  readonly collapsed: ReadonlySet<string>;
}

export interface DisplayGraph {
  readonly nodes: readonly NodeView[];
  readonly input: readonly LayoutInput[];
  /** The drawn node that stands for each drawn asset (itself, or its collapsed cluster). */
  readonly nodeOf: ReadonlyMap<AssetKeyString, string>;
}

export function displayGraph(index: AssetIndex, opt: DisplayOptions): DisplayGraph {
  const nodeOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const key of index.assets.keys()) {
    if (opt.visible && !opt.visible.has(key)) continue;
    const c = index.clusters.get(key);
    const shown = c !== undefined && opt.collapsed.has(c) ? CLUSTER_PREFIX + c : key;
    nodeOf.set(key, shown);
    if (shown !== key) members.set(shown, [...(members.get(shown) ?? []), key]);
  }
  const deps = new Map<string, Set<string>>();
  for (const [key, shown] of nodeOf) {
    const set = deps.get(shown) ?? new Set<string>();
    for (const d of index.ups.get(key) ?? []) {
      const from = nodeOf.get(d);
      if (from !== undefined && from !== shown) set.add(from);
    }
    deps.set(shown, set);
  }
  const nodes = [...deps.keys()].map((k) => nodeView(index, k, members.get(k)));
  const input = nodes.map((n) => ({ key: n.key, deps: [...deps.get(n.key)!].sort(), ...(n.cluster !== undefined ? { group: n.cluster } : {}) }));
  return { nodes, input, nodeOf };
}

function nodeView(index: AssetIndex, key: string, members: readonly string[] | undefined): NodeView {
  if (members) {
    const cluster = key.slice(CLUSTER_PREFIX.length);
    return { key, name: cluster, kind: 'group', cluster, members, partitioned: false };
  }
  const a = index.assets.get(key)!;
  const cluster = index.clusters.get(key);
  return {
    key, name: key.split('/').pop() || key, kind: a.kind, partitioned: a.partitions !== undefined,
    ...(cluster !== undefined ? { cluster } : {}),
  };
}
