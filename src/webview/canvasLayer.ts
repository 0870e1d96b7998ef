// Draws big graphs on a canvas under the SVG: every edge, and the nodes the SVG does not hold, at a
// level of detail that fits the zoom (dots, then boxes, then boxes with names). Anything outside
// the canvas is skipped. The canvas covers the pan layer (the view and a margin round it), so a drag
// moves it with CSS and it is redrawn only when the drag commits (see zoom.ts).
import type { Layout } from './layout';
import type { Transform } from './zoom';
import type { DisplayStatus } from './status';
import type { Palette } from './palette';
import { NODE_HEIGHT, NODE_WIDTH } from './render';

/** What the canvas needs to know about each node besides its place. */
export interface CanvasPaint {
  status(key: string): DisplayStatus;
  name(key: string): string;
  /** False when the SVG draws the nodes in view (zoomed in), so the canvas draws edges only. */
  readonly nodes: boolean;
  readonly selected: ReadonlySet<string>;
  /** Search matches; undefined when no search is typed. */
  readonly matches?: ReadonlySet<string>;
}

const BOX_SCALE = 0.12;
const NAME_SCALE = 0.3;

export class GraphCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private keys: string[] = [];
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  /** Edge segments as x0,y0,x1,y1 with the index of their edge in `edgeEnds`. */
  private segs = new Float64Array(0);
  private segEdge = new Int32Array(0);
  private edgeEnds: [string, string][] = [];
  private vertical = false;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: true }) as CanvasRenderingContext2D;
  }

  setLayout(layout: Layout | undefined): void {
    const nodes = [...(layout?.nodes.values() ?? [])];
    this.vertical = layout?.vertical ?? false;
    this.keys = nodes.map((n) => n.key);
    this.xs = Float64Array.from(nodes, (n) => n.x);
    this.ys = Float64Array.from(nodes, (n) => n.y);
    const segs: number[] = [];
    const owner: number[] = [];
    this.edgeEnds = (layout?.edges ?? []).map((e, i) => {
      for (let p = 1; p < e.points.length; p++) {
        const [a, b] = [e.points[p - 1]!, e.points[p]!];
        segs.push(a[0], a[1], b[0], b[1]);
        owner.push(i);
      }
      return [e.from, e.to];
    });
    this.segs = Float64Array.from(segs);
    this.segEdge = Int32Array.from(owner);
  }

  clear(): void {
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Draws the whole canvas under transform `t` (graph to canvas pixels before the device ratio). */
  draw(t: Transform, paint: CanvasPaint, palette: Palette): void {
    const dpr = window.devicePixelRatio || 1;
    const area = { x: -t.x / t.k, y: -t.y / t.k, w: this.canvas.width / dpr / t.k, h: this.canvas.height / dpr / t.k };
    this.clear();
    this.render(this.ctx, t.k * dpr, t.x * dpr, t.y * dpr, area, paint, palette);
  }

  /** The node under a point in graph coordinates, if any. */
  hit(x: number, y: number): string | undefined {
    for (let i = 0; i < this.keys.length; i++) {
      if (x >= this.xs[i]! && x <= this.xs[i]! + NODE_WIDTH && y >= this.ys[i]! && y <= this.ys[i]! + NODE_HEIGHT) return this.keys[i];
    }
    return undefined;
  }

  private render(ctx: CanvasRenderingContext2D, k: number, tx: number, ty: number, area: { x: number; y: number; w: number; h: number }, paint: CanvasPaint, palette: Palette): void {
    ctx.setTransform(k, 0, 0, k, tx, ty);
    this.renderEdges(ctx, k, area, paint, palette);
    if (paint.nodes) this.renderNodes(ctx, k, area, paint, palette);
  }

  private renderEdges(ctx: CanvasRenderingContext2D, k: number, area: { x: number; y: number; w: number; h: number }, paint: CanvasPaint, palette: Palette): void {
    const curved = k >= BOX_SCALE;
    const [right, bottom] = [area.x + area.w, area.y + area.h];
    const plain = new Path2D();
    const bright = new Path2D();
    const s = this.segs;
    for (let i = 0; i < this.segEdge.length; i++) {
      const [x0, y0, x1, y1] = [s[4 * i]!, s[4 * i + 1]!, s[4 * i + 2]!, s[4 * i + 3]!];
      if (Math.max(x0, x1) < area.x || Math.min(x0, x1) > right || Math.max(y0, y1) < area.y || Math.min(y0, y1) > bottom) continue;
      const [from, to] = this.edgeEnds[this.segEdge[i]!]!;
      const path = paint.selected.has(from) || paint.selected.has(to) ? bright : plain;
      path.moveTo(x0, y0);
      if (curved && this.vertical && x0 !== x1) {
        const bend = (y1 - y0) / 2;
        path.bezierCurveTo(x0, y0 + bend, x1, y1 - bend, x1, y1);
      } else if (curved && !this.vertical && y0 !== y1) {
        const bend = (x1 - x0) / 2;
        path.bezierCurveTo(x0 + bend, y0, x1 - bend, y1, x1, y1);
      } else path.lineTo(x1, y1);
    }
    ctx.lineWidth = Math.max(1.2, 1 / k);
    ctx.strokeStyle = palette.edge;
    ctx.globalAlpha = paint.matches ? 0.15 : 0.5;
    ctx.stroke(plain);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = palette.accent;
    ctx.lineWidth = Math.max(2, 2 / k);
    ctx.stroke(bright);
  }

  private renderNodes(ctx: CanvasRenderingContext2D, k: number, area: { x: number; y: number; w: number; h: number }, paint: CanvasPaint, palette: Palette): void {
    const byStatus = new Map<DisplayStatus, Path2D>();
    const boxes = new Path2D();
    const named: number[] = [];
    const [right, bottom] = [area.x + area.w, area.y + area.h];
    for (let i = 0; i < this.keys.length; i++) {
      const [x, y, key] = [this.xs[i]!, this.ys[i]!, this.keys[i]!];
      if (x > right || x + NODE_WIDTH < area.x || y > bottom || y + NODE_HEIGHT < area.y) continue;
      const status = paint.status(key);
      const path = byStatus.get(status) ?? new Path2D();
      byStatus.set(status, path);
      if (k < BOX_SCALE) path.rect(x, y, NODE_WIDTH, NODE_HEIGHT);
      else {
        boxes.rect(x, y, NODE_WIDTH, NODE_HEIGHT);
        path.rect(x, y, 6, NODE_HEIGHT);
        if (k >= NAME_SCALE) named.push(i);
      }
    }
    ctx.fillStyle = palette.nodeBg;
    ctx.fill(boxes);
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = 1 / k;
    if (k >= BOX_SCALE) ctx.stroke(boxes);
    for (const [status, path] of byStatus) {
      ctx.fillStyle = palette.status[status];
      ctx.globalAlpha = k < BOX_SCALE ? 0.85 : 1;
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;
    this.renderMarks(ctx, k, area, paint, palette);
    this.renderNames(ctx, named, paint, palette);
  }

  /** Outlines selected and matching nodes so they stand out at any zoom. */
  private renderMarks(ctx: CanvasRenderingContext2D, k: number, area: { x: number; y: number; w: number; h: number }, paint: CanvasPaint, palette: Palette): void {
    const ring = (keys: ReadonlySet<string>, colour: string): void => {
      const path = new Path2D();
      for (let i = 0; i < this.keys.length; i++) {
        const key = this.keys[i]!;
        if (!keys.has(key)) continue;
        const [x, y] = [this.xs[i]!, this.ys[i]!];
        if (x > area.x + area.w || x + NODE_WIDTH < area.x || y > area.y + area.h || y + NODE_HEIGHT < area.y) continue;
        const pad = 3 / k;
        path.rect(x - pad, y - pad, NODE_WIDTH + 2 * pad, NODE_HEIGHT + 2 * pad);
      }
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2.5 / k;
      ctx.stroke(path);
    };
    if (paint.matches) ring(paint.matches, palette.match);
    ring(paint.selected, palette.accent);
  }

  private renderNames(ctx: CanvasRenderingContext2D, named: readonly number[], paint: CanvasPaint, palette: Palette): void {
    if (!named.length) return;
    ctx.fillStyle = palette.text;
    ctx.font = `600 22px ${palette.font}`;
    ctx.textBaseline = 'middle';
    for (const i of named) {
      ctx.fillText(paint.name(this.keys[i]!), this.xs[i]! + 16, this.ys[i]! + NODE_HEIGHT / 2, NODE_WIDTH - 28);
    }
  }
}
