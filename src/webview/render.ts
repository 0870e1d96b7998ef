// Draws the laid-out graph as SVG with keyed d3 joins, so a new graph or status touches only what
// changed. Every workspace string goes in through .text() or an attribute, never as markup.
import { select } from 'd3';
import type { Selection } from 'd3';
import type { AssetKind } from '../shared/protocol';
import type { Layout, PlacedEdge } from './layout';
import type { DisplayStatus, NodeStatus } from './status';
import { formatAgo, formatRows } from './status';
import { kindLook } from './kinds';
import { fitText } from './textFit';

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 68;
const PAD = 12;
const TEXT_X = 32;

export interface NodeView {
  readonly key: string;
  /** The last key segment, which is what people call the asset. */
  readonly name: string;
  readonly kind: AssetKind;
}

export interface NodeHandlers {
  select(key: string | undefined): void;
  open(key: string): void;
  /** Show the context menu for `key` at client coordinates. */
  menu(key: string, clientX: number, clientY: number): void;
}

/** Which nodes stand out: the selection, the active editor's asset and the search matches. */
export interface Marks {
  readonly selected?: string;
  readonly active?: string;
  /** Keys matching the search; undefined when no search is typed. */
  readonly matches?: ReadonlySet<string>;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

export interface Scene {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  readonly viewport: G;
  readonly edgeLayer: G;
  readonly nodeLayer: G;
}

const STATUSES: readonly DisplayStatus[] = ['never', 'materialized', 'checks-failing', 'failed', 'running', 'queued', 'skipped', 'cancelled'];

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
  return { svg, viewport, edgeLayer: viewport.append('g').attr('class', 'edges'), nodeLayer: viewport.append('g').attr('class', 'nodes') };
}

export function drawEdges(scene: Scene, edges: readonly PlacedEdge[]): void {
  scene.edgeLayer.selectAll<SVGPathElement, PlacedEdge>('path.edge')
    .data(edges, (e) => `${e.from}\u0000${e.to}`)
    .join('path')
    .attr('class', (e) => (e.back ? 'edge back' : 'edge'))
    .attr('data-from', (e) => e.from)
    .attr('data-to', (e) => e.to)
    .attr('d', (e) => edgePath(e.points, e.back));
}

/** Horizontal tangents at every point, so a chain through dummy slots reads as one smooth curve. */
export function edgePath(points: readonly (readonly [number, number])[], back: boolean): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first[0]},${first[1]}`;
  let [x0, y0] = first;
  for (const [x1, y1] of rest) {
    const bend = back ? 80 : (x1 - x0) / 2;
    d += y0 === y1 && !back ? `L${x1},${y1}` : `C${x0 + bend},${y0} ${x1 - bend},${y1} ${x1},${y1}`;
    [x0, y0] = [x1, y1];
  }
  return d;
}

export function drawNodes(scene: Scene, views: readonly NodeView[], layout: Layout, on: NodeHandlers): void {
  scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node')
    .data(views, (d) => d.key)
    .join((enter) => buildNodes(enter.append('g'), on))
    .attr('data-key', (d) => d.key)
    .attr('data-kind', (d) => kindLook(d.kind).label)
    .attr('aria-label', (d) => `${d.name}, ${kindLook(d.kind).label}`)
    .attr('transform', (d) => {
      const p = layout.nodes.get(d.key);
      return `translate(${p?.x ?? 0},${p?.y ?? 0})`;
    })
    .each(function (d) {
      const g = select(this);
      g.select('path.kind-icon').attr('d', kindLook(d.kind).icon);
      g.select('text.node-name').text(fitText(d.name, NODE_WIDTH - TEXT_X - PAD, 'name'));
      g.select('text.node-kind').text(kindLook(d.kind).label);
    });
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
  g.append('text').attr('class', 'node-kind').attr('x', NODE_WIDTH - PAD).attr('y', 43).attr('text-anchor', 'end');
  g.append('text').attr('class', 'node-meta').attr('x', TEXT_X).attr('y', 59);
  return g
    .on('click', (ev: MouseEvent, d) => { ev.stopPropagation(); on.select(d.key); })
    .on('dblclick', (ev: MouseEvent, d) => { ev.stopPropagation(); on.open(d.key); })
    .on('contextmenu', (ev: MouseEvent, d) => {
      ev.preventDefault();
      ev.stopPropagation();
      on.select(d.key);
      on.menu(d.key, ev.clientX, ev.clientY);
    })
    .on('keydown', function (ev: KeyboardEvent, d) {
      if (ev.key === 'Enter') on.open(d.key);
      else if (ev.key === ' ') on.select(d.key);
      else if (ev.key === 'ContextMenu' || (ev.key === 'F10' && ev.shiftKey)) {
        const r = this.getBoundingClientRect();
        on.menu(d.key, r.left + r.width / 2, r.top + r.height / 2);
      } else return;
      ev.preventDefault();
    });
}

export function paintStatus(scene: Scene, statusOf: (key: string) => NodeStatus, now: number): void {
  scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node').each(function (d) {
    const s = statusOf(d.key);
    const g = select(this);
    for (const st of STATUSES) g.classed(`status-${st}`, st === s.status);
    g.select('text.node-status').text(s.word);
    g.select('text.node-meta').text([formatRows(s.rows), formatAgo(s.at, now)].filter(Boolean).join(' · '));
    g.select('title').text([d.key, `${kindLook(d.kind).label} · ${s.word}`, s.detail].filter(Boolean).join('\n'));
  });
}

export function paintMarks(scene: Scene, marks: Marks): void {
  const dim = (key: string): boolean => marks.matches !== undefined && !marks.matches.has(key);
  scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node')
    .classed('selected', (d) => d.key === marks.selected)
    .classed('active', (d) => d.key === marks.active)
    .classed('match', (d) => marks.matches?.has(d.key) ?? false)
    .classed('dimmed', (d) => dim(d.key));
  scene.edgeLayer.selectAll<SVGPathElement, PlacedEdge>('path.edge')
    .classed('highlight', (e) => marks.selected !== undefined && (e.from === marks.selected || e.to === marks.selected))
    .classed('dimmed', (e) => dim(e.from) || dim(e.to))
    .filter('.highlight')
    .raise();
}
