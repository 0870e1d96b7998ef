// The partition matrix: partitions (by date) across, assets down, each cell in its state's colour,
// drawn on a canvas. The wheel zooms (shift or a sideways wheel pans); zoomed out, cells are whole
// weeks, months or years, coloured by the most urgent state inside. A click materializes one
// partition (a bucket: its range, as a backfill); a drag across cells asks for a backfill.
import type { PartitionStatusMessage, WebviewToHost } from '../../shared/webviewProtocol';
import type { AssetIndex } from '../graphModel';
import type { PartitionHealth } from '../render';
import type { Unit } from './matrixModel';
import { MatrixModel } from './matrixModel';
import { readPalette } from '../palette';
import { fitText } from '../textFit';
import { countUpTo } from '../sorted';

export const LABEL_WIDTH = 170;
export const HEADER_HEIGHT = 26;
export const ROW_HEIGHT = 24;
const MIN_CELL = 6;
/** Calendar buckets may be narrower: a 3-pixel year still reads as a year next to its label. */
const MIN_CALENDAR_CELL = 3;
const CALENDAR: readonly [Unit, number][] = [['week', 7], ['month', 30.4], ['year', 365.25]];

interface View { z: number; x0: number }
interface Cell { readonly row: number; readonly index: number }

export class PartitionPanel {
  private readonly el: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly title: HTMLElement;
  private readonly unitLabel: HTMLElement;
  private readonly empty: HTMLElement;
  private model: MatrixModel | undefined;
  private keys: readonly string[] = [];
  private index: AssetIndex | undefined;
  private view: View = { z: 1, x0: 0 };
  private drag: { from: Cell; to: Cell } | undefined;
  /** The next status fits the whole range in view (a newly opened matrix); later ones keep the user's zoom. */
  private fitNext = true;

  constructor(parent: HTMLElement, private readonly post: (m: WebviewToHost) => void, private readonly onHealth: () => void) {
    this.el = parent.appendChild(document.createElement('section'));
    this.el.id = 'partitions';
    this.el.className = 'partition-panel';
    this.el.hidden = true;
    this.el.setAttribute('aria-label', 'Partition matrix');
    const head = this.el.appendChild(document.createElement('header'));
    this.title = head.appendChild(document.createElement('span'));
    this.title.className = 'partition-title';
    head.appendChild(legend());
    this.unitLabel = head.appendChild(document.createElement('span'));
    this.unitLabel.id = 'partition-unit';
    this.unitLabel.className = 'partition-unit';
    const close = head.appendChild(document.createElement('button'));
    close.className = 'icon-button';
    close.id = 'partition-close';
    close.type = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', () => { this.el.hidden = true; });
    this.canvas = this.el.appendChild(document.createElement('canvas'));
    this.canvas.id = 'partition-canvas';
    this.empty = this.el.appendChild(document.createElement('div'));
    this.empty.className = 'partition-empty';
    this.listen();
    new ResizeObserver(() => this.draw()).observe(this.el);
  }

  setAssets(index: AssetIndex): void {
    this.index = index;
  }

  /** Opens the matrix for `keys` and asks the host for their partition states. */
  open(keys: readonly string[]): void {
    this.keys = keys;
    this.fitNext = true;
    this.el.hidden = false;
    this.title.textContent = keys.length === 1 ? `Partitions · ${keys[0]}` : `Partitions · ${keys.length} assets`;
    this.empty.textContent = 'Loading partition status…';
    this.empty.hidden = false;
    this.post({ type: 'partitions', keys });
  }

  setStatus(msg: PartitionStatusMessage): void {
    // States change while the user works the matrix (a backfill they dragged): keep their zoom.
    const refit = this.fitNext || this.model?.size !== msg.partitionKeys.length;
    this.fitNext = false;
    this.model = new MatrixModel(msg);
    const known = this.declared();
    this.empty.hidden = this.model.size > 0;
    this.empty.textContent = known
      ? `No stored partition status yet for ${known}. Materialize a partition to see it here.`
      : 'No stored partition status yet.';
    if (refit) this.view = { z: this.plotWidth() / Math.max(1, this.model.size), x0: 0 };
    this.draw();
    this.onHealth();
  }

  health(key: string): PartitionHealth | undefined {
    return this.model?.health(key);
  }

  private declared(): string {
    const defs = this.keys.map((k) => this.index?.assets.get(k)?.partitions).filter((p) => p !== undefined);
    const kinds = [...new Set(defs.map((p) => p.kind + (p.start ? ` from ${p.start}` : '')))];
    return kinds.join(', ');
  }

  private plotWidth(): number {
    return Math.max(1, this.el.clientWidth - LABEL_WIDTH - 12);
  }

  /** The calendar unit (or span of partitions) whose cells are at least MIN_CELL pixels wide. */
  private unit(): { unit: Unit; span: number } {
    const z = this.view.z;
    if (z >= MIN_CELL || !this.model) return { unit: 'partition', span: 1 };
    if (this.model.dated) for (const [unit, days] of CALENDAR) if (z * days >= MIN_CALENDAR_CELL) return { unit, span: 0 };
    return { unit: 'span', span: Math.ceil(MIN_CELL / z) };
  }

  /** The buckets in view as [from, to) partition ranges. */
  private buckets(): [number, number][] {
    const m = this.model;
    if (!m) return [];
    const { unit, span } = this.unit();
    const first = Math.max(0, Math.floor(this.view.x0));
    const last = Math.min(m.size, Math.ceil(this.view.x0 + this.plotWidth() / this.view.z));
    const out: [number, number][] = [];
    if (unit === 'partition' || unit === 'span') {
      for (let i = first - (first % span); i < last; i += span) out.push([i, Math.min(m.size, i + span)]);
      return out;
    }
    const starts = m.starts(unit);
    let b = Math.max(0, countUpTo(starts, first, true) - 1);
    for (; b < starts.length && starts[b]! < last; b++) out.push([starts[b]!, starts[b + 1] ?? m.size]);
    return out;
  }

  private draw(): void {
    const m = this.model;
    const ctx = this.canvas.getContext('2d');
    if (!ctx || this.el.hidden) return;
    const dpr = window.devicePixelRatio || 1;
    const [w, h] = [this.el.clientWidth, HEADER_HEIGHT + ROW_HEIGHT * (m?.rows.length ?? 0) + 4];
    this.canvas.width = w * dpr;
    this.canvas.height = h * dpr;
    this.canvas.style.height = `${h}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!m) return;
    const palette = readPalette();
    const { unit } = this.unit();
    this.unitLabel.textContent = `${m.size.toLocaleString('en-US')} partitions · one cell per ${unit === 'span' ? `${this.unit().span} partitions` : unit}`;
    this.el.dataset['unit'] = unit;
    ctx.font = `12px ${palette.font}`;
    ctx.textBaseline = 'middle';
    m.rows.forEach((row, r) => {
      ctx.fillStyle = palette.text;
      ctx.fillText(fitText(row.key.split('/').pop() || row.key, LABEL_WIDTH - 16, 'status'), 8, HEADER_HEIGHT + r * ROW_HEIGHT + ROW_HEIGHT / 2);
    });
    const buckets = this.buckets();
    this.drawCells(ctx, m, buckets, palette.partition);
    this.drawAxis(ctx, m, buckets, palette.muted);
    this.drawDrag(ctx, palette.accent);
  }

  private drawCells(ctx: CanvasRenderingContext2D, m: MatrixModel, buckets: readonly [number, number][], colours: Record<string, string>): void {
    for (let r = 0; r < m.rows.length; r++) {
      const y = HEADER_HEIGHT + r * ROW_HEIGHT + 2;
      for (const [from, to] of buckets) {
        const { state, uniform } = m.summary(r, from, to);
        const [x0, x1] = [this.xOf(from), this.xOf(to)];
        ctx.fillStyle = colours[state]!;
        ctx.globalAlpha = uniform ? 1 : 0.7;
        ctx.fillRect(x0, y, Math.max(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0)), ROW_HEIGHT - 4);
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawAxis(ctx: CanvasRenderingContext2D, m: MatrixModel, buckets: readonly [number, number][], colour: string): void {
    ctx.fillStyle = colour;
    let nextFree = LABEL_WIDTH;
    for (const [from] of buckets) {
      const x = this.xOf(from);
      const label = m.partitionKeys[from]!.slice(0, this.unit().unit === 'year' ? 4 : this.unit().unit === 'month' ? 7 : 10);
      if (x < nextFree) continue;
      ctx.fillText(label, x + 2, HEADER_HEIGHT / 2);
      nextFree = x + ctx.measureText(label).width + 14;
    }
  }

  private drawDrag(ctx: CanvasRenderingContext2D, colour: string): void {
    if (!this.drag) return;
    const [a, b] = [this.drag.from, this.drag.to];
    const [r0, r1] = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
    const [i0, i1] = this.range(a.index, b.index);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.strokeRect(this.xOf(i0), HEADER_HEIGHT + r0 * ROW_HEIGHT + 1, this.xOf(i1) - this.xOf(i0), (r1 - r0 + 1) * ROW_HEIGHT - 2);
  }

  private xOf(i: number): number {
    return LABEL_WIDTH + (i - this.view.x0) * this.view.z;
  }

  private cellAt(ev: MouseEvent): Cell | undefined {
    const r = this.canvas.getBoundingClientRect();
    const [x, y] = [ev.clientX - r.left, ev.clientY - r.top];
    const row = Math.floor((y - HEADER_HEIGHT) / ROW_HEIGHT);
    const index = Math.floor(this.view.x0 + (x - LABEL_WIDTH) / this.view.z);
    const m = this.model;
    if (!m || x < LABEL_WIDTH || row < 0 || row >= m.rows.length || index < 0 || index >= m.size) return undefined;
    return { row, index };
  }

  /** The partitions [from, to) covered by the buckets holding partitions a and b. */
  private range(a: number, b: number): [number, number] {
    const buckets = this.buckets();
    const holding = (i: number): [number, number] => buckets.find(([f, t]) => i >= f && i < t) ?? [i, i + 1];
    const [lo, hi] = [holding(Math.min(a, b)), holding(Math.max(a, b))];
    return [lo[0], hi[1]];
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener('wheel', (ev) => { ev.preventDefault(); this.onWheel(ev); }, { passive: false });
    c.addEventListener('pointerdown', (ev) => {
      const cell = this.cellAt(ev);
      if (!cell) return;
      c.setPointerCapture(ev.pointerId);
      this.drag = { from: cell, to: cell };
      this.draw();
    });
    c.addEventListener('pointermove', (ev) => {
      const cell = this.cellAt(ev);
      c.title = cell ? this.describe(cell) : '';
      if (this.drag && cell) { this.drag.to = cell; this.draw(); }
    });
    c.addEventListener('pointerup', () => this.finishDrag());
  }

  private onWheel(ev: WheelEvent): void {
    const m = this.model;
    if (!m) return;
    const pan = ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY);
    const fitZ = this.plotWidth() / Math.max(1, m.size);
    if (pan) this.view.x0 += (ev.deltaX || ev.deltaY) / this.view.z;
    else {
      const at = this.view.x0 + (ev.offsetX - LABEL_WIDTH) / this.view.z;
      this.view.z = Math.min(40, Math.max(fitZ, this.view.z * Math.exp(-ev.deltaY / 300)));
      this.view.x0 = at - (ev.offsetX - LABEL_WIDTH) / this.view.z;
    }
    this.view.x0 = Math.max(0, Math.min(this.view.x0, m.size - this.plotWidth() / this.view.z));
    this.draw();
  }

  private finishDrag(): void {
    const d = this.drag;
    this.drag = undefined;
    if (!d || !this.model) return;
    const [from, to] = this.range(d.from.index, d.to.index);
    const rows = this.model.rows.slice(Math.min(d.from.row, d.to.row), Math.max(d.from.row, d.to.row) + 1).map((r) => r.key);
    const keys = this.model.partitionKeys;
    if (to - from === 1) this.post({ type: 'materialize', keys: rows, scope: 'this', partition: keys[from]! });
    else this.post({ type: 'backfill', keys: rows, from: keys[from]!, to: keys[to - 1]! });
    this.draw();
  }

  private describe(cell: Cell): string {
    const m = this.model!;
    const [from, to] = this.range(cell.index, cell.index);
    const row = m.rows[cell.row]!.key;
    if (to - from === 1) return `${row}\n${m.partitionKeys[from]}: ${m.summary(cell.row, from, to).state}`;
    const tally = m.tally(cell.row, from, to).map((n, s) => (n ? `${n} ${['missing', 'materialized', 'failed', 'stale', 'running'][s]}` : '')).filter(Boolean);
    return `${row}\n${m.partitionKeys[from]} – ${m.partitionKeys[to - 1]}: ${tally.join(', ')}`;
  }
}

function legend(): HTMLElement {
  const el = document.createElement('span');
  el.className = 'partition-legend';
  for (const s of ['materialized', 'missing', 'stale', 'failed', 'running']) {
    const item = el.appendChild(document.createElement('span'));
    item.className = `legend-item legend-${s}`;
    item.textContent = s;
  }
  return el;
}
