// A layered left-to-right DAG layout (Sugiyama style) with only linear or n·log n steps: longest-path
// layering, dummy vertices for edges that skip layers, barycenter ordering that keeps the order with
// the fewest crossings, and y coordinates that sit each vertex at its neighbours' mean (an isotonic
// regression keeps order and spacing). PERFORMANCE.md shows why: dagre and ELK are far too slow at
// 10,000 nodes. A far too tall result is wrapped into columns (wrapLayout.ts). It is a pure function of plain values with no DOM, so it can move to a worker.

import { wrapColumns } from './wrapLayout';

export interface LayoutInput {
  readonly key: string;
  /** Keys this node reads; keys not in the input are ignored. */
  readonly deps: readonly string[];
  /** The cluster the node belongs to; a cluster's nodes stay next to each other in every layer. */
  readonly group?: string;
}

export interface LayoutOptions {
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Horizontal space between layers, where the edges run. */
  readonly layerGap: number;
  /** Vertical space between two nodes of a layer. */
  readonly nodeGap: number;
  /** The view's width over its height: a far taller graph wraps into columns. Undefined: never wraps. */
  readonly aspect?: number;
  /**
   * 'down' lays the layers out as rows, top to bottom (for a tall, narrow view such as the side
   * bar); nodeWidth and nodeHeight stay the node's own, layerGap is then vertical. Default 'right'.
   */
  readonly direction?: 'right' | 'down';
}

/** A node's top-left corner and its layer (0 = leftmost). */
export interface PlacedNode {
  readonly key: string;
  readonly layer: number;
  readonly x: number;
  readonly y: number;
}

/** An edge as points to draw through: out of the source's right side, into the target's left. */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly (readonly [number, number])[];
  /** True when the edge closes a cycle, so it runs right to left. */
  readonly back: boolean;
}

export interface Layout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
  /** True when the layers run top to bottom: edges leave a node's bottom and enter a top. */
  readonly vertical?: boolean;
}

// Vertices are numbers: real nodes first (in key order), then one dummy per layer an edge skips.
interface RankGraph {
  readonly layerOf: number[];
  readonly preds: number[][];
  readonly succs: number[][];
  readonly isDummy: boolean[];
  /** For a dummy, the index of its chain in `chains`; -1 for a real node. */
  readonly chainOf: number[];
  readonly chains: { from: number; to: number; via: number[]; back: boolean }[];
  /** Cluster order of each vertex (a dummy takes its edge's source's); all 0 without clusters. */
  readonly groupRank: number[];
}

const DUMMY_GAP = 10;
/** Extra space between two clusters in a layer, where the cluster's label goes. */
export const CLUSTER_GAP = 30;
const SWEEPS = 4;

export function layoutDag(input: readonly LayoutInput[], opt: LayoutOptions): Layout {
  if (opt.direction === 'down') {
    const across = { nodeWidth: opt.nodeHeight, nodeHeight: opt.nodeWidth, layerGap: opt.layerGap, nodeGap: opt.nodeGap };
    return transpose(layoutDag(input, { ...across, ...(opt.aspect ? { aspect: 1 / opt.aspect } : {}) }));
  }
  const keys = [...new Set(input.map((n) => n.key))].sort();
  const index = new Map(keys.map((k, i) => [k, i]));
  const deps: number[][] = keys.map(() => []);
  for (const n of input) {
    const i = index.get(n.key) as number;
    for (const d of n.deps) {
      const j = index.get(d);
      if (j !== undefined && j !== i && !deps[i]!.includes(j)) deps[i]!.push(j);
    }
  }
  const rank = buildRankGraph(keys.length, deps, assignLayers(deps));
  rankGroups(rank, keys, input);
  const layers = orderLayers(rank, keys);
  const ys = assignY(rank, layers, opt);
  return wrapColumns(place(keys, rank, layers, ys, opt), opt);
}

/** Longest path from a root; nodes on a cycle get one more than their placed inputs. */
export function assignLayers(deps: readonly (readonly number[])[]): number[] {
  const n = deps.length;
  const layer = new Array<number>(n).fill(-1);
  const users: number[][] = deps.map(() => []);
  const waiting = deps.map((d) => d.length);
  deps.forEach((d, i) => d.forEach((j) => users[j]!.push(i)));
  const queued = waiting.map((w) => w === 0);
  const queue = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  const enqueue = (i: number): void => { if (!queued[i]) { queued[i] = true; queue.push(i); } };
  let cycleScan = 0;
  for (let next = 0; next < n; next++) {
    // Only a cycle leaves the queue empty early: break it at the first unplaced key.
    while (next >= queue.length) enqueue(cycleScan++);
    const i = queue[next]!;
    layer[i] = deps[i]!.reduce((m, j) => Math.max(m, layer[j]! + 1), 0);
    for (const u of users[i]!) if (--waiting[u]! === 0) enqueue(u);
  }
  // A root feeding only later layers moves right next to its first user, which shortens edges.
  for (let i = 0; i < n; i++) {
    if (deps[i]!.length === 0 && users[i]!.length > 0) layer[i] = users[i]!.reduce((m, u) => Math.min(m, layer[u]!), Infinity) - 1;
  }
  return layer;
}

function buildRankGraph(n: number, deps: readonly (readonly number[])[], layers: readonly number[]): RankGraph {
  const g: RankGraph = {
    layerOf: [...layers], preds: layers.map(() => []), succs: layers.map(() => []),
    isDummy: layers.map(() => false), chainOf: layers.map(() => -1), chains: [], groupRank: [],
  };
  const link = (a: number, b: number): void => { g.succs[a]!.push(b); g.preds[b]!.push(a); };
  for (let to = 0; to < n; to++) {
    for (const from of deps[to]!) {
      const back = layers[from]! >= layers[to]!;
      const via: number[] = [];
      let prev = from;
      for (let l = layers[from]! + 1; !back && l < layers[to]!; l++) {
        const d = g.layerOf.push(l) - 1;
        g.preds.push([]); g.succs.push([]); g.isDummy.push(true); g.chainOf.push(g.chains.length);
        link(prev, d);
        via.push(d);
        prev = d;
      }
      if (!back) link(prev, to);
      g.chains.push({ from, to, via, back });
    }
  }
  return g;
}

/** Fills `groupRank` so that sorting by it first keeps each cluster contiguous within a layer. */
function rankGroups(g: RankGraph, keys: readonly string[], input: readonly LayoutInput[]): void {
  const groupOf = new Map(input.map((n) => [n.key, n.group ?? '']));
  const names = [...new Set(groupOf.values())].sort();
  const rankOf = new Map(names.map((name, i) => [name, i]));
  const real = keys.map((k) => rankOf.get(groupOf.get(k) ?? '') ?? 0);
  for (let v = 0; v < g.layerOf.length; v++) {
    const c = g.chains[g.chainOf[v]!];
    g.groupRank.push(c ? real[c.from]! : real[v]!);
  }
}

function orderLayers(g: RankGraph, keys: readonly string[]): number[][] {
  const sortKey = (v: number): string => {
    const c = g.chains[g.chainOf[v]!];
    const group = String(g.groupRank[v]!).padStart(8, '0');
    return c ? `${group}${keys[c.from]}\u0000${keys[c.to]}` : `${group}${keys[v]!}`;
  };
  const depth = g.layerOf.reduce((m, l) => Math.max(m, l + 1), 0);
  let layers: number[][] = Array.from({ length: depth }, () => []);
  g.layerOf.forEach((l, v) => layers[l]!.push(v));
  layers = layers.map((vs) => vs.map((v) => [sortKey(v), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((p) => p[1]));
  let best = layers.map((l) => [...l]);
  let bestCrossings = totalCrossings(g, layers);
  for (let sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
    for (let l = 1; l < depth; l++) reorder(layers[l]!, layers[l - 1]!, g.preds, g.groupRank);
    for (let l = depth - 2; l >= 0; l--) reorder(layers[l]!, layers[l + 1]!, g.succs, g.groupRank);
    const crossings = totalCrossings(g, layers);
    if (crossings < bestCrossings) { best = layers.map((l) => [...l]); bestCrossings = crossings; }
  }
  return best;
}

/** Sorts `layer` in place by cluster, then by the mean position of each vertex's neighbours in `ref`. */
function reorder(layer: number[], ref: readonly number[], neighbours: readonly (readonly number[])[], groupRank: readonly number[]): void {
  const pos = new Map(ref.map((v, i) => [v, i]));
  const scale = ref.length / Math.max(1, layer.length);
  const bary = layer.map((v, i) => {
    const ns = neighbours[v]!.filter((u) => pos.has(u));
    const mean = ns.reduce((s, u) => s + (pos.get(u) as number), 0) / ns.length;
    return { v, i, b: ns.length ? mean : i * scale };
  });
  bary.sort((a, b) => groupRank[a.v]! - groupRank[b.v]! || a.b - b.b || a.i - b.i);
  bary.forEach((e, i) => { layer[i] = e.v; });
}

/** Edge crossings between consecutive layers, counted as inversions with a Fenwick tree. */
function totalCrossings(g: RankGraph, layers: readonly (readonly number[])[]): number {
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const below = new Map(layers[l + 1]!.map((v, i) => [v, i]));
    const ends = layers[l]!.flatMap((v) => g.succs[v]!.map((u) => below.get(u) as number).sort((a, b) => a - b));
    const tree = new Array<number>(layers[l + 1]!.length + 1).fill(0);
    ends.forEach((e, seen) => {
      let atMost = 0;
      for (let i = e + 1; i > 0; i -= i & -i) atMost += tree[i]!;
      total += seen - atMost;
      for (let i = e + 1; i < tree.length; i += i & -i) tree[i]!++;
    });
  }
  return total;
}

/** Centre y of every vertex: a few passes pulling each vertex toward its neighbours' mean. */
function assignY(g: RankGraph, layers: readonly (readonly number[])[], opt: LayoutOptions): number[] {
  const size = (v: number): number => (g.isDummy[v] ? 0 : opt.nodeHeight);
  const apart = (a: number, b: number): number => (g.groupRank[a] !== g.groupRank[b] ? CLUSTER_GAP : 0);
  const sep = (a: number, b: number): number => (size(a) + size(b)) / 2 + (g.isDummy[a] || g.isDummy[b] ? DUMMY_GAP : opt.nodeGap) + apart(a, b);
  const y = new Array<number>(g.layerOf.length).fill(0);
  for (const layer of layers) {
    const offsets = stackOffsets(layer, sep);
    const mid = (offsets[offsets.length - 1] ?? 0) / 2;
    layer.forEach((v, i) => { y[v] = offsets[i]! - mid; });
  }
  const meanY = (vs: readonly number[], own: number): number => (vs.length ? vs.reduce((s, u) => s + y[u]!, 0) / vs.length : own);
  // Ending on a downward pass lets every node line up with its inputs, so a chain of one-input
  // models (seed → staging model) draws as straight lines.
  for (let pass = 0; pass <= 2 * SWEEPS; pass++) {
    const down = pass % 2 === 0;
    for (const layer of down ? layers : [...layers].reverse()) {
      const desired = layer.map((v) => meanY(down ? g.preds[v]! : g.succs[v]!, y[v]!));
      const settled = settleLayer(desired, stackOffsets(layer, sep));
      layer.forEach((v, i) => { y[v] = settled[i]!; });
    }
  }
  return y;
}

/** Each vertex's minimum distance below the first vertex of its layer. */
function stackOffsets(layer: readonly number[], sep: (a: number, b: number) => number): number[] {
  let c = 0;
  return layer.map((v, i) => (i === 0 ? 0 : (c += sep(layer[i - 1]!, v))));
}

/**
 * The positions closest (least squares) to `desired` that keep the layer's order and spacing:
 * pool-adjacent-violators on desired minus offset, which must be non-decreasing.
 */
function settleLayer(desired: readonly number[], offsets: readonly number[]): number[] {
  const blocks: { sum: number; n: number }[] = [];
  desired.forEach((d, i) => {
    blocks.push({ sum: d - offsets[i]!, n: 1 });
    for (let top = blocks.length - 1; top > 0 && blocks[top]!.sum / blocks[top]!.n < blocks[top - 1]!.sum / blocks[top - 1]!.n; top--) {
      const b = blocks.pop()!;
      blocks[top - 1]!.sum += b.sum;
      blocks[top - 1]!.n += b.n;
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.n; k++) out.push(b.sum / b.n + offsets[out.length]!);
  return out;
}

function place(keys: readonly string[], g: RankGraph, layers: readonly (readonly number[])[], y: readonly number[], opt: LayoutOptions): Layout {
  const half = opt.nodeHeight / 2;
  // Spreading tens of thousands of values into Math.min overflows the stack, so reduce instead.
  const top = y.reduce((m, yv, v) => Math.min(m, g.isDummy[v] ? yv : yv - half), y.length ? Infinity : 0);
  const cy = (v: number): number => y[v]! - top;
  const left = (v: number): number => g.layerOf[v]! * (opt.nodeWidth + opt.layerGap);
  const nodes = new Map<string, PlacedNode>();
  keys.forEach((key, v) => nodes.set(key, { key, layer: g.layerOf[v]!, x: left(v), y: cy(v) - half }));
  const edges = g.chains.map((c): PlacedEdge => {
    const points: [number, number][] = [[left(c.from) + opt.nodeWidth, cy(c.from)]];
    for (const d of c.via) points.push([left(d), cy(d)], [left(d) + opt.nodeWidth, cy(d)]);
    points.push([left(c.to), cy(c.to)]);
    return { from: keys[c.from]!, to: keys[c.to]!, points, back: c.back };
  });
  const height = y.reduce((m, _, v) => Math.max(m, g.isDummy[v] ? cy(v) : cy(v) + half), 0);
  const width = layers.length ? layers.length * (opt.nodeWidth + opt.layerGap) - opt.layerGap : 0;
  return { nodes, edges, width, height };
}

/** A left-to-right layout of transposed boxes, mirrored on the diagonal: the same graph top to bottom. */
function transpose(l: Layout): Layout {
  const nodes = new Map([...l.nodes].map(([k, n]) => [k, { ...n, x: n.y, y: n.x }]));
  const edges = l.edges.map((e) => ({ ...e, points: e.points.map(([x, y]) => [y, x] as const) }));
  return { nodes, edges, width: l.height, height: l.width, vertical: true };
}
