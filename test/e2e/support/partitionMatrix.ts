// The lineage panel's partition matrix as a user works it: zoom in with the wheel until a cell is
// one day, drag across days to backfill, click a day to run it, and read a cell the way a user
// does — its tooltip ("2024-01-04: failed") and its colour against the legend's swatch.
import type { FrameLocator, Locator } from 'playwright-core';
import { nextFrames, stepTimeout, type Workbench } from './workbench';

/** The matrix's geometry, as src/webview/partitions/panel.ts draws it. */
const LABEL_WIDTH = 170;
const HEADER_HEIGHT = 26;
const ROW_HEIGHT = 24;
/** The widest a cell gets when zoomed all the way in (the wheel's limit). */
const MAX_CELL = 40;

export interface Cell {
  readonly state: string;
  /** [r, g, b] of the cell's middle pixel. */
  readonly rgb: readonly number[];
}

export class PartitionMatrix {
  constructor(private readonly w: Workbench, private readonly view: FrameLocator = w.lineage()) {}

  get canvas(): Locator { return this.view.locator('#partition-canvas'); }

  /** Waits for the open matrix to draw its status. */
  async waitForCells(): Promise<void> {
    await this.view.locator('#partitions:not([hidden])').waitFor({ timeout: stepTimeout });
    await this.view.locator('#partition-unit', { hasText: /partitions · one cell per/ }).waitFor({ timeout: stepTimeout });
  }

  /**
   * Wheels in all the way at the left edge of the cells, so the first partition stays leftmost
   * (zooming keeps the partition under the pointer in place).
   */
  async zoomToPartitions(): Promise<void> {
    const box = await this.box();
    await this.w.page.mouse.move(box.x + LABEL_WIDTH - 1, box.y + HEADER_HEIGHT + ROW_HEIGHT / 2);
    for (let i = 0; i < 12 && !(await this.view.locator('#partition-unit', { hasText: /one cell per partition$/ }).isVisible()); i++) {
      await this.w.page.mouse.wheel(0, -400);
      await nextFrames(this.w.page);
    }
    // More notches reach the widest cells (MAX_CELL), so a drag or click lands squarely in one day.
    for (let i = 0; i < 6; i++) await this.w.page.mouse.wheel(0, -400);
    await this.view.locator('#partition-unit', { hasText: /one cell per partition$/ }).waitFor({ timeout: stepTimeout });
  }

  /** Drags along `row` from partition column `from` to `to` (zoomed in, counted from the left edge). */
  async drag(row: number, from: number, to: number): Promise<void> {
    const [a, b] = [await this.point(row, from), await this.point(row, to)];
    await this.w.page.mouse.move(a.x, a.y);
    await this.w.page.mouse.down();
    await this.w.page.mouse.move(b.x, b.y, { steps: 8 });
    await this.w.page.mouse.up();
  }

  async click(row: number, column: number): Promise<void> {
    const p = await this.point(row, column);
    await this.w.page.mouse.click(p.x, p.y);
  }

  /** Hovers the cell and reads its tooltip's state word and its colour. */
  async cell(row: number, column: number): Promise<Cell> {
    const p = await this.point(row, column);
    await this.w.page.mouse.move(p.x, p.y - 2);
    await this.w.page.mouse.move(p.x, p.y);
    const box = await this.box();
    return this.canvas.evaluate((c, [x, y]) => {
      const dpr = window.devicePixelRatio || 1;
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(Math.round(x! * dpr), Math.round(y! * dpr), 1, 1).data;
      return { state: ((c as HTMLCanvasElement).title.split('\n')[1] ?? '').replace(/^[^:]*:\s*/, ''), rgb: [d[0]!, d[1]!, d[2]!] };
    }, [p.x - box.x, p.y - box.y]);
  }

  /** Waits until the cell's tooltip names `state`. */
  async waitForState(row: number, column: number, state: string, timeout = stepTimeout): Promise<Cell> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const c = await this.cell(row, column);
      if (c.state === state) return c;
      if (Date.now() > deadline) throw new Error(`partition cell ${column} of row ${row} is ${c.state}, not ${state}`);
      // The matrix redraws when the host sends new states; a redraw is what this waits for.
      await this.canvas.evaluate((c) => new Promise<void>((r) => {
        const o = new MutationObserver(() => { o.disconnect(); r(); });
        o.observe(c, { attributes: true });
        setTimeout(() => { o.disconnect(); r(); }, 1000);
      }));
    }
  }

  /** The legend swatch's colour for `state`, as [r, g, b]. */
  async legend(state: string): Promise<number[]> {
    const css = await this.view.locator(`.legend-${state}`).evaluate((el) => getComputedStyle(el, '::before').backgroundColor);
    return (css.match(/\d+/g) ?? []).slice(0, 3).map(Number);
  }

  private async box(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.canvas.boundingBox();
    if (!box) throw new Error('the partition matrix canvas is not on screen');
    return box;
  }

  /** The middle of a cell in page coordinates; the zoomed-in view starts at partition 0. */
  private async point(row: number, column: number): Promise<{ x: number; y: number }> {
    const box = await this.box();
    return { x: box.x + LABEL_WIDTH + (column + 0.5) * MAX_CELL, y: box.y + HEADER_HEIGHT + (row + 0.5) * ROW_HEIGHT };
  }
}
