// The drawing surface: SVG on top (nodes, clusters, and on small graphs the edges), a canvas under
// it for big graphs, the minimap, and pan/zoom. A small graph is all SVG, so every node and edge is
// in the DOM. A big one keeps only the nodes in and near the view in the SVG, and only when zoomed
// in far enough to read them; the canvas draws the rest at a level of detail that fits the zoom.
// Both sit in a layer wider than the view (see zoom.ts), so a drag moves pixels already drawn.
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
/** The layer reaches past the view by half its larger side, up to this (canvas memory grows with it). */
const MAX_MARGIN = 400;

export interface StageHandlers extends NodeHandlers {
  /** A collapsed cluster's label was clicked. */
  collapse(cluster: string): void;
  /** The user changed the zoom or pan (undefined: the view fits itself again). */
  saveTransform(t: Transform | undefined): void;
  /** The view's size changed (it may lay out again, or fit again while it fits itself). */
  resized(): void;
}

export interface StageSource extends StatusSource {
  marks(): Marks;
}

export class GraphStage {
  readonly scene: Scene;
  readonly viewport: Viewport;
  private readonly frameEl: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly canvas: GraphCanvas;
  private readonly minimap: Minimap;
  private palette: Palette;
  private views: readonly NodeView[] = [];
  private layout: Layout | undefined;
  private big = false;
  private scheduled = false;
  /** A frame is due that redraws the content, not just the minimap. */
  private dirty = false;
  private margin = 0;
  private lastCull = '';

  constructor(private readonly stage: HTMLElement, private readonly on: StageHandlers, private readonly source: StageSource) {
    this.frameEl = stage.appendChild(document.createElement('div'));
    this.frameEl.className = 'pan-frame';
    this.layer = this.frameEl.appendChild(document.createElement('div'));
    this.layer.className = 'pan-layer';
    const canvasEl = this.layer.appendChild(document.createElement('canvas'));
    canvasEl.id = 'graph-canvas';
    canvasEl.className = 'graph-canvas';
    this.canvas = new GraphCanvas(canvasEl);
    const svg = this.layer.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    svg.id = 'graph';
    svg.setAttribute('aria-label', 'Asset lineage graph');
    this.scene = createScene(svg);
    this.viewport = attachZoom({ frame: this.frameEl, layer: this.layer, scene: this.scene, margin: () => this.margin }, {
      user: (t) => on.saveTransform(t),
      commit: () => this.schedule(true),
      move: () => this.schedule(false),
    });
    this.minimap = new Minimap(stage, (x, y) => this.viewport.centerOn(x, y));
    this.palette = readPalette();
    watchTheme(() => { this.palette = readPalette(); this.repaintCanvas(); });
    this.sizeLayer();
    new ResizeObserver(() => this.resize()).observe(stage);
    this.scene.svg.on('click', (ev: MouseEvent) => this.onBackground(ev, 'click'))
      .on('dblclick', (ev: MouseEvent) => this.onBackground(ev, 'dblclick'))
      .on('contextmenu', (ev: MouseEvent) => this.onBackground(ev, 'contextmenu'));
  }

  get isBig(): boolean { return this.big; }

  /** The visible size of the graph area in pixels. */
  get size(): { readonly width: number; readonly height: number } {
    return { width: this.frameEl.clientWidth, height: this.frameEl.clientHeight };
  }

  /** Draws a new layout of `views`. */
  show(layout: Layout, views: readonly NodeView[]): void {
    this.layout = layout;
    this.views = views;
    this.big = views.length > BIG_GRAPH;
    this.stage.classList.toggle('big-graph', this.big);
    this.sizeCanvas();
    this.viewport.setBounds({ x: 0, y: 0, width: layout.width, height: layout.height });
    drawEdges(this.scene, this.big ? [] : layout.edges, layout.vertical);
    // Bands follow layers down the page; a top-to-bottom layout (the side bar) draws none.
    drawClusters(this.scene, layout.vertical ? [] : clusterBands(views, layout), (c) => this.on.collapse(c));
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
    this.schedule(true);
  }

  /**
   * Fits the view to `keys`, or to the whole graph when undefined or empty; with `minScale`, no
   * smaller than that, centred on `anchor` (a key) where the graph does not fit.
   */
  fitTo(keys: ReadonlySet<string> | undefined, minScale?: number, anchor?: string): void {
    const b = this.bounds(keys);
    const p = anchor === undefined ? undefined : this.layout?.nodes.get(anchor);
    if (b) this.viewport.fit(b, minScale, p && { x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 });
  }

  /** Brings `key` into view (panning if needed), then focuses its node for the keyboard. */
  reveal(key: string): void {
    const p = this.layout?.nodes.get(key);
    if (!p) return;
    const t = this.viewport.current();
    const { width, height } = this.size;
    const [sx, sy] = [p.x * t.k + t.x, p.y * t.k + t.y];
    const outside = sx < 0 || sy < 0 || sx + NODE_WIDTH * t.k > width || sy + NODE_HEIGHT * t.k > height;
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
    const status = (key: string): ReturnType<StatusSource['status']>['status'] => this.source.status(key).status;
    this.minimap.setGraph(this.layout, status, this.palette, this.views.length >= MINIMAP_NODES);
    this.schedule(true);
  }

  /** One redraw per animation frame however many zoom events arrive in it. */
  private schedule(full: boolean): void {
    this.dirty ||= full;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const redraw = this.dirty;
      this.dirty = false;
      this.frame(redraw);
    });
  }

  /** The minimap follows every move; the content is redrawn only when `redraw` (a commit). */
  private frame(redraw: boolean): void {
    this.minimap.frame(this.viewport.current(), this.size, this.palette);
    if (!redraw || !this.big) return;
    this.cull();
    const marks = this.source.marks();
    const d = this.viewport.drawn();
    const paint = {
      status: (key: string) => this.source.status(key).status,
      name: (key: string) => key.split('/').pop() || key,
      nodes: d.k < DETAIL_SCALE, selected: marks.selected, ...(marks.matches ? { matches: marks.matches } : {}),
    };
    // The canvas covers the layer, whose origin is a margin above and left of the view's.
    this.canvas.draw({ k: d.k, x: d.x + this.margin, y: d.y + this.margin }, paint, this.palette);
  }

  /** On a big graph, puts the nodes on the layer into the SVG when zoomed in, and none when not. */
  private cull(): void {
    if (!this.big || !this.layout) return;
    const t = this.viewport.drawn();
    const { width, height } = this.size;
    const m = this.margin;
    const [left, top] = [(-m - t.x) / t.k - NODE_WIDTH, (-m - t.y) / t.k - NODE_HEIGHT];
    const [right, bottom] = [(width + m - t.x) / t.k, (height + m - t.y) / t.k];
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

  /** Sizes the layer to the view plus the margin, with an SVG view box that keeps 1:1 pixels. */
  private sizeLayer(): void {
    const { width, height } = this.size;
    const m = (this.margin = Math.round(Math.min(MAX_MARGIN, Math.max(width, height) / 2)));
    Object.assign(this.layer.style, { left: `${-m}px`, top: `${-m}px`, width: `${width + 2 * m}px`, height: `${height + 2 * m}px` });
    this.scene.svg.attr('viewBox', `${-m} ${-m} ${width + 2 * m} ${height + 2 * m}`);
    this.sizeCanvas();
  }

  /** Only a big graph uses the canvas, so a small one keeps it at one pixel. */
  private sizeCanvas(): void {
    const dpr = window.devicePixelRatio || 1;
    const c = this.canvas.canvas;
    const { width, height } = this.size;
    c.width = this.big ? Math.max(1, Math.round((width + 2 * this.margin) * dpr)) : 1;
    c.height = this.big ? Math.max(1, Math.round((height + 2 * this.margin) * dpr)) : 1;
  }

  private resize(): void {
    this.sizeLayer();
    this.lastCull = '';
    this.on.resized();
    this.schedule(true);
  }

  /** Clicks on the canvas part of a big graph act on the node under the pointer. */
  private onBackground(ev: MouseEvent, kind: 'click' | 'dblclick' | 'contextmenu'): void {
    const t = this.viewport.current();
    const r = this.frameEl.getBoundingClientRect();
    const key = this.big ? this.canvas.hit((ev.clientX - r.left - t.x) / t.k, (ev.clientY - r.top - t.y) / t.k) : undefined;
    if (kind === 'contextmenu') {
      if (key === undefined) return;
      ev.preventDefault();
      this.on.menu(key, ev.clientX, ev.clientY);
    } else if (kind === 'dblclick') {
      if (key !== undefined) this.on.open(key);
    } else this.on.select(key, key !== undefined && (ev.shiftKey || ev.ctrlKey || ev.metaKey));
  }
}
