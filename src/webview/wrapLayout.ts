// Wraps a layout that is far taller than the view into columns set side by side, like a newspaper:
// a graph of many small projects stacked 250 views high becomes a few strips that each still read
// left to right, and its overview at "Fit" shows boxes instead of a one-pixel sliver. Cuts go where
// the fewest edges cross (between projects, none do); an edge that still crosses runs to the next
// column. Pure and linear-logarithmic, so it runs in the layout worker after layoutDag.
import type { Layout, LayoutOptions, PlacedEdge, PlacedNode } from './layout';
import { countUpTo } from './sorted';

const countBelow = (xs: readonly number[], v: number): number => countUpTo(xs, v);
const countAtMost = (xs: readonly number[], v: number): number => countUpTo(xs, v, true);

/** Space between two columns, wider than a layer gap so columns read as separate strips. */
export const COLUMN_GAP = 200;
/**
 * A cut may move this share of a column's height from its ideal place to find fewer crossings: at
 * one half, any project shorter than a column has a boundary in reach.
 */
const SLACK = 0.5;
/** Wrap only graphs at least this many times too tall (two columns or more)... */
const MIN_TALL = 4;
/** ...and with at least this many nodes. */
const MIN_NODES = 24;

export function wrapColumns(layout: Layout, opt: LayoutOptions): Layout {
  const colWidth = layout.width + COLUMN_GAP;
  // How many times too tall for the view the graph is; a small or mildly tall graph reads better
  // whole (wrapping four nodes into two strips only breaks their lines).
  const tall = opt.aspect ? (opt.aspect * layout.height) / colWidth : 0;
  if (tall < MIN_TALL || layout.nodes.size < MIN_NODES) return layout;
  const n = Math.round(Math.sqrt(tall));
  const cuts = chooseCuts(layout, opt, n);
  const columnOf = (y: number): number => countAtMost(cuts, y);
  const nodeColumn = new Map([...layout.nodes.values()].map((p) => [p.key, columnOf(p.y + opt.nodeHeight / 2)]));
  const tops = new Array<number>(n).fill(Infinity);
  const bottoms = new Array<number>(n).fill(-Infinity);
  for (const p of layout.nodes.values()) {
    const c = nodeColumn.get(p.key)!;
    tops[c] = Math.min(tops[c]!, p.y);
    bottoms[c] = Math.max(bottoms[c]!, p.y + opt.nodeHeight);
  }
  const shift = (c: number): number => (Number.isFinite(tops[c]!) ? tops[c]! : 0);
  const nodes = new Map<string, PlacedNode>();
  for (const p of layout.nodes.values()) {
    const c = nodeColumn.get(p.key)!;
    nodes.set(p.key, { ...p, x: p.x + c * colWidth, y: p.y - shift(c) });
  }
  const edges = layout.edges.map((e): PlacedEdge => ({
    ...e,
    points: e.points.map(([x, y], i) => {
      // The ends belong to their nodes' columns; the bends in between to the column of their height.
      const end = i === 0 ? e.from : i === e.points.length - 1 ? e.to : undefined;
      const c = end !== undefined ? nodeColumn.get(end) ?? columnOf(y) : columnOf(y);
      return [x + c * colWidth, y - shift(c)] as const;
    }),
  }));
  const height = bottoms.reduce((m, b, c) => Math.max(m, b - shift(c)), 0);
  return { nodes, edges, width: (n - 1) * colWidth + layout.width, height };
}

/** n - 1 increasing cut heights, each near i/n of the height where the fewest edges and nodes cross. */
function chooseCuts(layout: Layout, opt: LayoutOptions, n: number): number[] {
  const tops = [...layout.nodes.values()].map((p) => p.y).sort((a, b) => a - b);
  const bottoms = tops.map((y) => y + opt.nodeHeight);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const e of layout.edges) {
    for (let i = 1; i < e.points.length; i++) {
      const [a, b] = [e.points[i - 1]![1], e.points[i]![1]];
      starts.push(Math.min(a, b));
      ends.push(Math.max(a, b));
    }
  }
  starts.sort((a, b) => a - b);
  ends.sort((a, b) => a - b);
  // Edges spanning the line y = c, plus half a point per node it would slice through.
  const cost = (c: number): number => countBelow(starts, c) - countAtMost(ends, c) + 0.5 * (countBelow(tops, c) - countAtMost(bottoms, c));
  const candidates = [...new Set(tops.map((y) => y - opt.nodeGap / 2))];
  const column = layout.height / n;
  const cuts: number[] = [];
  for (let i = 1; i < n; i++) {
    const ideal = i * column;
    let best = ideal;
    let bestCost = cost(ideal);
    const from = Math.max(ideal - SLACK * column, (cuts.at(-1) ?? -Infinity) + 1);
    for (let j = countBelow(candidates, from); j < candidates.length && candidates[j]! < ideal + SLACK * column; j++) {
      const c = candidates[j]!;
      const k = cost(c);
      if (k < bestCost || (k === bestCost && Math.abs(c - ideal) < Math.abs(best - ideal))) [best, bestCost] = [c, k];
    }
    cuts.push(best);
  }
  return cuts;
}
