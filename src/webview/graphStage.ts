// The drawing surface: SVG on top (nodes, clusters, and on small graphs the edges), a canvas under
// it for big graphs, the minimap, and pan/zoom. A small graph is all SVG, so every node and edge is
// in the DOM. A big one keeps only the nodes in view in the SVG, and only when zoomed in far enough
// to read them; the canvas draws the rest at a level of detail that fits the zoom.
import type { Layout } from './layout';
import type { NodeView } from './graphModel';
import type { Marks, NodeHandlers, Scene, StatusSource } from './render';
import type { Bounds, Transform, Viewport } from './zoom';
import type { Palette } from './palette';
import { NODE_HEIGHT, NODE_WIDTH, allNodes, createScene, drawEdges, drawNodes, paintMarks, paintStatus } from './render';
import { GraphCanvas } from './canvasLayer';
import { Minimap } from './minimap';
import { DETAIL_SCALE, attachZoom } from './zoom';
import { clusterBands, drawClusters } from './clusters';
import { readPalette, watchTheme } from './palette';

/** Above this many nodes the canvas draws the graph and the SVG holds only the nodes in view. */
export const BIG_GRAPH = 400;
/** From this many nodes on the minimap is shown. */
const MINIMAP_NODES = 60;

export interface StageHandlers extends NodeHandlers {
  /** A collapsed cluster's label was clicked. */
  collapse(cluster: string): void;
  /** The user changed the zoom or pan (undefined: the view fits itself again). */
  saveTransform(t: Transform | undefined): void;
}

export interface StageSource extends StatusSource {
  marks(): Marks;
}

export class GraphStage {
  readonly scene: Scene;
  readonly viewport: Viewport;
  private readonly canvas: GraphCanvas;
  private readonly minimap: Minimap;
  private palette: Palette;
  private views: readonly NodeView[] = [];
  private layout: Layout | undefined;
  private big = false;
  private scheduled = false;
  private lastCull = '';

  constructor(private readonly stage: HTMLElement, private readonly on: StageHandlers, private readonly source: StageSource) {
    const canvasEl = stage.appendChild(document.createElement('canvas'));
    canvasEl.id = 'graph-canvas';
    canvasEl.className = 'graph-canvas';
    this.canvas = new GraphCanvas(canvasEl);
    const svg = stage.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    svg.id = 'graph';
    svg.setAttribute('aria-label', 'Asset lineage graph');
    this.scene = createScene(svg);
    this.viewport = attachZoom(this.scene, (t) => on.saveTransform(t), () => this.schedule());
    this.minimap = new Minimap(stage, (x, y) => this.viewport.centerOn(x, y));
    this.palette = readPalette();
    watchTheme(() => { this.palette = readPalette(); this.repaintCanvas(); });
    new ResizeObserver(() => this.resize()).observe(stage);
    this.scene.svg.on('click', (ev: MouseEvent) => this.onBackground(ev, 'click'))
      .on('dblclick', (ev: MouseEvent) => this.onBackground(ev, 'dblclick'))
      .on('contextmenu', (ev: MouseEvent) => this.onBackground(ev, 'contextmenu'));
  }

  get isBig(): boolean { return this.big; }

  /** Draws a new layout of `views`. */
  show(layout: Layout, views: readonly NodeView[]): void {
    this.layout = layout;
    this.views = views;
    this.big = views.length > BIG_GRAPH;
    this.stage.classList.toggle('big-graph', this.big);
    this.viewport.setBounds({ x: 0, y: 0, width: layout.width, height: layout.height });
    drawEdges(this.scene, this.big ? [] : layout.edges);
    drawClusters(this.scene, clusterBands(views, layout), (c) => this.on.collapse(c));
    this.canvas.setLayout(this.big ? layout : undefined);
    this.lastCull = '';
    const nodes = drawNodes(this.scene, this.big ? [] : views, layout, this.on, true);
    paintStatus(nodes, this.source, Date.now());
    paintMarks(this.scene, this.source.marks());
    this.repaintCanvas();
  }

  /** Statuses changed: repaint the SVG nodes, the canvas and the minimap. */
  repaintStatus(): void {
    paintStatus(allNodes(this.scene), this.source, Date.now());
    this.repaintCanvas();
  }

  repaintMarks(): void {
    paintMarks(this.scene, this.source.marks());
    this.canvas.version++;
    this.schedule();
  }

  /** Fits the view to `keys`, or to the whole graph when undefined or empty. */
  fitTo(keys: ReadonlySet<string> | undefined): void {
    const b = this.bounds(keys);
    if (b) this.viewport.fit(b);
  }

  /** Brings `key` into view (panning if needed), then focuses its node for the keyboard. */
  reveal(key: string): void {
    const p = this.layout?.nodes.get(key);
    if (!p) return;
    const t = this.viewport.current();
    const el = this.scene.svg.node() as SVGSVGElement;
    const [sx, sy] = [p.x * t.k + t.x, p.y * t.k + t.y];
    const outside = sx < 0 || sy < 0 || sx + NODE_WIDTH * t.k > el.clientWidth || sy + NODE_HEIGHT * t.k > el.clientHeight;
    if (outside || (this.big && t.k < DETAIL_SCALE)) {
      if (this.big && t.k < DETAIL_SCALE) this.viewport.restore({ k: 0.8, x: t.x, y: t.y });
      this.viewport.centerOn(p.x + NODE_WIDTH / 2, p.y + NODE_HEIGHT / 2);
    }
    this.cull();
    this.scene.nodeLayer.selectAll<SVGGElement, NodeView>('g.node').filter((d) => d.key === key).node()?.focus();
  }

  bounds(keys?: ReadonlySet<string>): Bounds | undefined {
    let [x, y, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const n of this.layout?.nodes.values() ?? []) {
      if (keys?.size && !keys.has(n.key)) continue;
      [x, y] = [Math.min(x, n.x), Math.min(y, n.y)];
      [right, bottom] = [Math.max(right, n.x + NODE_WIDTH), Math.max(bottom, n.y + NODE_HEIGHT)];
    }
    return right < x ? undefined : { x, y, width: right - x, height: bottom - y };
  }

  private repaintCanvas(): void {
    this.canvas.version++;
    const status = (key: string): ReturnType<StatusSource['status']>['status'] => this.source.status(key).status;
    this.minimap.setGraph(this.layout, status, this.palette, this.views.length >= MINIMAP_NODES);
    this.schedule();
  }

  /** One redraw per animation frame however many zoom events arrive in it. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.frame();
    });
  }

  private frame(): void {
    const t = this.viewport.current();
    const el = this.scene.svg.node() as SVGSVGElement;
    this.minimap.frame(t, { width: el.clientWidth, height: el.clientHeight }, this.palette);
    if (!this.big) return;
    this.cull();
    const marks = this.source.marks();
    const nodes = t.k < DETAIL_SCALE;
    const paint = {
      status: (key: string) => this.source.status(key).status,
      name: (key: string) => key.split('/').pop() || key,
      nodes, selected: marks.selected, ...(marks.matches ? { matches: marks.matches } : {}),
    };
    this.canvas.draw(t, paint, this.palette);
  }

  /** On a big graph, puts the nodes in view into the SVG when zoomed in, and none when not. */
  private cull(): void {
    if (!this.big || !this.layout) return;
    const t = this.viewport.current();
    const el = this.scene.svg.node() as SVGSVGElement;
    const [left, top] = [-t.x / t.k - NODE_WIDTH, -t.y / t.k - NODE_HEIGHT];
    const [right, bottom] = [(el.clientWidth - t.x) / t.k, (el.clientHeight - t.y) / t.k];
    const zoomedIn = t.k >= DETAIL_SCALE;
    const inView = zoomedIn ? this.views.filter((v) => {
      const p = this.layout!.nodes.get(v.key);
      return p !== undefined && p.x >= left && p.x <= right && p.y >= top && p.y <= bottom;
    }) : [];
    const id = `${inView.length}:${inView[0]?.key ?? ''}:${inView.at(-1)?.key ?? ''}`;
    if (id === this.lastCull) return;
    this.lastCull = id;
    const entered = drawNodes(this.scene, inView, this.layout, this.on, false);
    paintStatus(entered, this.source, Date.now());
    paintMarks(this.scene, this.source.marks(), entered);
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const c = this.canvas.canvas;
    c.width = Math.max(1, Math.round(this.stage.clientWidth * dpr));
    c.height = Math.max(1, Math.round(this.stage.clientHeight * dpr));
    this.canvas.version++;
    if (this.viewport.autoFit) this.fitTo(undefined);
    this.schedule();
  }

  /** Clicks on the canvas part of a big graph act on the node under the pointer. */
  private onBackground(ev: MouseEvent, kind: 'click' | 'dblclick' | 'contextmenu'): void {
    const t = this.viewport.current();
    const key = this.big ? this.canvas.hit((ev.offsetX - t.x) / t.k, (ev.offsetY - t.y) / t.k) : undefined;
    if (kind === 'contextmenu') {
      if (key === undefined) return;
      ev.preventDefault();
      this.on.menu(key, ev.clientX, ev.clientY);
    } else if (kind === 'dblclick') {
      if (key !== undefined) this.on.open(key);
    } else this.on.select(key, key !== undefined && (ev.shiftKey || ev.ctrlKey || ev.metaKey));
  }
}
