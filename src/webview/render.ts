// Draws nodes and edges as SVG with keyed d3 joins, so a new graph or status touches only what
// changed. On a big graph only the nodes in view are in the DOM (the canvas draws the rest).
// Every workspace string goes in through .text() or an attribute, never as markup.
import { select } from 'd3';
import type { Selection } from 'd3';
import type { Layout, PlacedEdge } from './layout';
import type { NodeView } from './graphModel';
import type { DisplayStatus, NodeStatus } from './status';
import { formatAgo, formatChecks, formatRows } from './status';
import { kindLook } from './kinds';
import { fitText, textWidth } from './textFit';

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 68;
const PAD = 12;
const TEXT_X = 32;

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface NodeHandlers {
  /** `additive`: shift/ctrl/cmd held, so the node joins or leaves the selection. */
  select(key: string | undefined, additive: boolean): void;
  open(key: string): void;
  /** Show the context menu for `key` at client coordinates. */
  menu(key: string, clientX: number, clientY: number): void;
  /** An arrow key on a focused node. */
  navigate(key: string, direction: Direction): void;
}

/** Which nodes stand out: the selection, the active editor's asset and the search matches. */
export interface Marks {
  readonly selected: ReadonlySet<string>;
  readonly active?: string;
  /** Keys matching the search; undefined when no search is typed. */
  readonly matches?: ReadonlySet<string>;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

export interface Scene {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  readonly viewport: G;
  readonly clusterLayer: G;
  readonly edgeLayer: G;
  readonly nodeLayer: G;
}

const STATUSES: readonly DisplayStatus[] = ['never', 'observed', 'materialized', 'stale', 'checks-failing', 'failed', 'running', 'queued', 'skipped', 'cancelled'];
const ARROWS: Readonly<Record<string, Direction>> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

export function createScene(svgEl: SVGSVGElement): Scene {
  const svg = select(svgEl);
  const defs = svg.append('defs');
  for (const id of ['arrow', 'arrow-hl']) {
    defs.append('marker').attr('id', id).attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
      .attr('markerWidth', 8).attr('markerHeight', 8).attr('markerUnits', 'userSpaceOnUse').attr('orient', 'auto')
      .append('path').attr('class', `${id}-head`).attr('d', 'M0,1 L9,5 L0,9 z');
  }
  // One clip shared by all nodes: clip paths resolve in the referencing node's own coordinates.
  defs.append('clipPath').attr('id', 'node-clip').append('rect')
    .attr('width', NODE_WIDTH).attr('height', NODE_HEIGHT).attr('rx', 6);
  const viewport = svg.append('g').attr('class', 'viewport');
  return {
    svg, viewport,
    clusterLayer: viewport.append('g').attr('class', 'clusters'),
    edgeLayer: viewport.append('g').attr('class', 'edges'),
    nodeLayer: viewport.append('g').attr('class', 'nodes'),
  };
}

export function drawEdges(scene: Scene, edges: readonly PlacedEdge[], vertical = false): void {
  scene.edgeLayer.selectAll<SVGPathElement, PlacedEdge>('path.edge')
    .data(edges, (e) => `${e.from}\u0000${e.to}`)
    .join('path')
    .attr('class', (e) => (e.back ? 'edge back' : 'edge'))
    .attr('data-from', (e) => e.from)
    .attr('data-to', (e) => e.to)
    .attr('d', (e) => edgePath(e.points, e.back, vertical));
}

/**
 * Tangents along the flow at every point (horizontal, or vertical when the layers run down), so a
 * chain through dummy slots reads as one smooth curve.
 */
export function edgePath(points: readonly (readonly [number, number])[], back: boolean, vertical = false): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first[0]},${first[1]}`;
  let [x0, y0] = first;
  for (const [x1, y1] of rest) {
    const bend = back ? 80 : vertical ? (y1 - y0) / 2 : (x1 - x0) / 2;
    const straight = !back && (vertical ? x0 === x1 : y0 === y1);
    const c = vertical ? `C${x0},${y0 + bend} ${x1},${y1 - bend}` : `C${x0 + bend},${y0} ${x1 - bend},${y1}`;
    d += straight ? `L${x1},${y1}` : `${c} ${x1},${y1}`;
    [x0, y0] = [x1, y1];
  }
  return d;
}

export type NodeSelection = Selection<SVGGElement, NodeView, SVGGElement, unknown>;

/**
 * Joins `views` (all nodes, or those in view) into the node layer; `refill` after a new graph.
 * Returns the nodes that were added, which have no status painted yet.
 */
export function drawNodes(scene: Scene, views: readonly NodeView[], layout: Layout, on: NodeHandlers, refill: boolean): NodeSelection {
  let entered: NodeSelection | undefined;
  const joined = scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node')
    .data(views, (d) => d.key)
    .join((enter) => (entered = buildNodes(enter.append('g'), on).each(function (d) { fillNode(this, d); })));
  if (refill) joined.each(function (d) { fillNode(this, d); });
  joined.attr('transform', (d) => {
      const p = layout.nodes.get(d.key);
      return `translate(${p?.x ?? 0},${p?.y ?? 0})`;
  });
  return refill ? joined : entered ?? scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node.none');
}

export function allNodes(scene: Scene): NodeSelection {
  return scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node');
}

function fillNode(el: SVGGElement, d: NodeView): void {
  const g = select(el);
  const look = kindLook(d.kind);
  g.attr('data-key', d.key).attr('data-kind', look.label)
    .attr('aria-label', `${d.name}, ${look.label}`)
    .classed('cluster-node', d.members !== undefined);
  g.select('path.kind-icon').attr('d', look.icon);
  g.select('text.node-name').text(fitText(d.name, NODE_WIDTH - TEXT_X - PAD, 'name'));
  g.select('text.node-kind').text(d.members ? `${d.members.length} assets` : look.label);
}

function buildNodes(g: Selection<SVGGElement, NodeView, SVGGElement, unknown>, on: NodeHandlers): Selection<SVGGElement, NodeView, SVGGElement, unknown> {
  g.attr('class', 'node').attr('tabindex', 0).attr('role', 'button');
  g.append('title');
  g.append('rect').attr('class', 'node-box').attr('width', NODE_WIDTH).attr('height', NODE_HEIGHT).attr('rx', 6);
  g.append('rect').attr('class', 'node-bar').attr('width', 4).attr('height', NODE_HEIGHT).attr('clip-path', 'url(#node-clip)');
  g.append('path').attr('class', 'kind-icon').attr('transform', `translate(${PAD},10)`);
  g.append('text').attr('class', 'node-name').attr('x', TEXT_X).attr('y', 22);
  g.append('circle').attr('class', 'status-dot').attr('cx', PAD + 7).attr('cy', 39).attr('r', 4);
  g.append('text').attr('class', 'node-status').attr('x', TEXT_X).attr('y', 43);
  g.append('text').attr('class', 'node-reason').attr('y', 43);
  g.append('text').attr('class', 'node-kind').attr('x', NODE_WIDTH - PAD).attr('y', 43).attr('text-anchor', 'end');
  g.append('text').attr('class', 'node-meta').attr('x', TEXT_X).attr('y', 59);
  g.append('g').attr('class', 'partition-bar').attr('transform', `translate(${TEXT_X},${NODE_HEIGHT - 5})`);
  return g
    .on('click', (ev: MouseEvent, d) => { ev.stopPropagation(); on.select(d.key, ev.shiftKey || ev.ctrlKey || ev.metaKey); })
    .on('dblclick', (ev: MouseEvent, d) => { ev.stopPropagation(); on.open(d.key); })
    .on('contextmenu', (ev: MouseEvent, d) => {
      ev.preventDefault();
      ev.stopPropagation();
      on.menu(d.key, ev.clientX, ev.clientY);
    })
    .on('keydown', function (ev: KeyboardEvent, d) { onNodeKey(this, ev, d.key, on); });
}

function onNodeKey(el: SVGGElement, ev: KeyboardEvent, key: string, on: NodeHandlers): void {
  const arrow = ARROWS[ev.key];
  if (ev.key === 'Enter') on.open(key);
  else if (ev.key === ' ') on.select(key, ev.shiftKey || ev.ctrlKey || ev.metaKey);
  else if (arrow) on.navigate(key, arrow);
  else if (ev.key === 'ContextMenu' || (ev.key === 'F10' && ev.shiftKey)) {
    const r = el.getBoundingClientRect();
    on.menu(key, r.left + r.width / 2, r.top + r.height / 2);
  } else return;
  ev.preventDefault();
}

/** Share of a partitioned asset's partitions in each state, for the bar along the node's foot. */
export type PartitionHealth = readonly { readonly state: string; readonly share: number }[];

export interface StatusSource {
  status(key: string): NodeStatus;
  /** Undefined when the host has sent no partition states for the node. */
  health(key: string): PartitionHealth | undefined;
}

export function paintStatus(nodes: NodeSelection, source: StatusSource, now: number): void {
  nodes.each(function (d) {
    paintNode(this, d, source, now);
  });
}

function paintNode(el: SVGGElement, d: NodeView, source: StatusSource, now: number): void {
  const s = source.status(d.key);
  const g = select(el);
  for (const st of STATUSES) g.classed(`status-${st}`, st === s.status);
  g.select('text.node-status').text(s.word);
  const reasonX = TEXT_X + textWidth(s.word, 'status') + 6;
  g.select('text.node-reason').attr('x', reasonX)
    .text(s.reason ? fitText(`· ${s.reason}`, NODE_WIDTH - reasonX - PAD - 46, 'status') : '');
  const meta = d.members ? [`${d.members.length} assets`] : [formatRows(s.rows), formatAgo(s.at, now), formatChecks(s.checks)];
  g.select('text.node-meta').text(fitText(meta.filter(Boolean).join(' · '), NODE_WIDTH - TEXT_X - PAD, 'meta'));
  const kind = d.members ? `group of ${d.members.length}` : kindLook(d.kind).label;
  const title = [d.key, `${kind} · ${s.word}`, s.reason, d.cluster !== undefined ? `group: ${d.cluster}` : '', s.detail];
  g.select('title').text(title.filter(Boolean).join('\n'));
  paintHealth(g.select<SVGGElement>('g.partition-bar'), source.health(d.key));
}

function paintHealth(bar: Selection<SVGGElement, unknown, null, undefined>, health: PartitionHealth | undefined): void {
  const width = NODE_WIDTH - TEXT_X - PAD;
  let x = 0;
  const parts = (health ?? []).filter((h) => h.share > 0).map((h) => {
    const part = { state: h.state, x, w: h.share * width };
    x += part.w;
    return part;
  });
  bar.selectAll('rect').data(parts).join('rect')
    .attr('class', (p) => `health health-${p.state}`)
    .attr('x', (p) => p.x).attr('width', (p) => Math.max(0.5, p.w)).attr('height', 3);
}

export function paintMarks(scene: Scene, marks: Marks, nodes: NodeSelection = allNodes(scene)): void {
  const dim = (key: string): boolean => marks.matches !== undefined && !marks.matches.has(key);
  nodes
    .classed('selected', (d) => marks.selected.has(d.key))
    .classed('active', (d) => d.key === marks.active)
    .classed('match', (d) => marks.matches?.has(d.key) ?? false)
    .classed('dimmed', (d) => dim(d.key));
  scene.edgeLayer.selectAll<SVGPathElement, PlacedEdge>('path.edge')
    .classed('highlight', (e) => marks.selected.has(e.from) || marks.selected.has(e.to))
    .classed('dimmed', (e) => dim(e.from) || dim(e.to))
    .filter('.highlight')
    .raise();
}
