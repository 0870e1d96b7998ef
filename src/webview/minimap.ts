// The minimap in the corner of a big graph: every node as a speck in its status colour and the
// part in view as a frame. Clicking or dragging on it moves the view there. The specks are drawn
// once per graph or status change into a bitmap; a pan only redraws the frame over it.
import type { Layout } from './layout';
import type { Transform } from './zoom';
import type { DisplayStatus } from './status';
import type { Palette } from './palette';
import { NODE_HEIGHT, NODE_WIDTH } from './render';

const WIDTH = 200;
const HEIGHT = 130;
const PAD = 6;

export class Minimap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private base: HTMLCanvasElement | undefined;
  private scale = 1;
  private origin = { x: 0, y: 0 };

  constructor(parent: HTMLElement, private readonly moveTo: (x: number, y: number) => void) {
    this.element = parent.appendChild(document.createElement('div'));
    this.element.className = 'minimap';
    this.element.id = 'minimap';
    this.element.hidden = true;
    this.element.title = 'Minimap: click or drag to move the view';
    this.canvas = this.element.appendChild(document.createElement('canvas'));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = WIDTH * dpr;
    this.canvas.height = HEIGHT * dpr;
    this.ctx = this.canvas.getContext('2d') as CanvasRenderingContext2D;
    const follow = (ev: PointerEvent): void => {
      const r = this.canvas.getBoundingClientRect();
      this.moveTo((ev.clientX - r.left - PAD) / this.scale + this.origin.x, (ev.clientY - r.top - PAD) / this.scale + this.origin.y);
    };
    this.canvas.addEventListener('pointerdown', (ev) => { this.canvas.setPointerCapture(ev.pointerId); follow(ev); ev.stopPropagation(); });
    this.canvas.addEventListener('pointermove', (ev) => { if (this.canvas.hasPointerCapture(ev.pointerId)) follow(ev); });
  }

  /** Redraws the specks; `show` false hides the minimap (small graphs need none). */
  setGraph(layout: Layout | undefined, status: (key: string) => DisplayStatus, palette: Palette, show: boolean): void {
    this.element.hidden = !show || !layout;
    if (!layout || !show) return;
    const dpr = window.devicePixelRatio || 1;
    this.scale = Math.min((WIDTH - 2 * PAD) / Math.max(1, layout.width), (HEIGHT - 2 * PAD) / Math.max(1, layout.height));
    this.origin = { x: 0, y: 0 };
    const base = this.base ?? document.createElement('canvas');
    base.width = this.canvas.width;
    base.height = this.canvas.height;
    const ctx = base.getContext('2d') as CanvasRenderingContext2D;
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * PAD, dpr * PAD);
    ctx.clearRect(-PAD / this.scale, -PAD / this.scale, WIDTH / this.scale, HEIGHT / this.scale);
    const byStatus = new Map<DisplayStatus, Path2D>();
    // At least a pixel each, so a node of a huge graph is still a visible speck.
    const w = Math.max(NODE_WIDTH, 1.5 / this.scale);
    const h = Math.max(NODE_HEIGHT, 1.5 / this.scale);
    for (const n of layout.nodes.values()) {
      const s = status(n.key);
      const path = byStatus.get(s) ?? new Path2D();
      byStatus.set(s, path);
      path.rect(n.x, n.y, w, h);
    }
    for (const [s, path] of byStatus) {
      ctx.fillStyle = palette.status[s];
      ctx.fill(path);
    }
    this.base = base;
  }

  /** Draws the frame of the part in view (`view` is the stage's size in pixels). */
  frame(t: Transform, view: { readonly width: number; readonly height: number }, palette: Palette): void {
    if (this.element.hidden || !this.base) return;
    const dpr = window.devicePixelRatio || 1;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.base, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const x = PAD + (-t.x / t.k - this.origin.x) * this.scale;
    const y = PAD + (-t.y / t.k - this.origin.y) * this.scale;
    ctx.strokeStyle = palette.accent;
    ctx.lineWidth = 1.5;
    ctx.fillStyle = palette.accent;
    ctx.globalAlpha = 0.12;
    ctx.fillRect(x, y, (view.width / t.k) * this.scale, (view.height / t.k) * this.scale);
    ctx.globalAlpha = 1;
    ctx.strokeRect(x, y, (view.width / t.k) * this.scale, (view.height / t.k) * this.scale);
  }
}
