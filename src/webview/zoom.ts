// Pan and zoom with d3-zoom on a fixed frame. The drawing (SVG and canvas) sits in a layer larger
// than the frame by a margin on every side; a drag only moves that layer with a CSS transform,
// which the compositor applies without repainting anything, so a pan frame costs the same on 10
// nodes and on 10,000. The drawing catches up ("commits") when the drag ends, when it nears the
// margin's edge, and on every zoom. The view fits itself to the graph until the user pans or zooms;
// from then on it keeps the user's transform (saved in the webview state) until they press Fit.
import { select, zoom, zoomIdentity, zoomTransform } from 'd3';
import type { D3ZoomEvent } from 'd3';
import type { Scene } from './render';

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Transform {
  readonly k: number;
  readonly x: number;
  readonly y: number;
}

export interface Viewport {
  /**
   * Shows all of `bounds` (no smaller than `minScale` when given, then aligned to `anchor`, a
   * graph point put in the middle, or the bounds' top-left); the view fits itself again on resize.
   */
  fit(bounds: Bounds, minScale?: number, anchor?: { readonly x: number; readonly y: number }): void;
  /** Applies a transform the user chose earlier. */
  restore(t: Transform): void;
  /** Moves the view so that graph point (x, y) is in its centre, keeping the zoom. */
  centerOn(x: number, y: number): void;
  /** The transform the user sees now. */
  current(): Transform;
  /** The transform the layer's content is drawn at; differs from current() only during a drag. */
  drawn(): Transform;
  /** The graph's size, so the view may zoom out far enough to see all of a big graph. */
  setBounds(bounds: Bounds): void;
  /** True while the view fits itself, false once the user has panned or zoomed. */
  readonly autoFit: boolean;
}

/** The fixed frame that takes the gestures and the oversized layer the drawing lives in. */
export interface PanSurface {
  readonly frame: HTMLElement;
  readonly layer: HTMLElement;
  readonly scene: Scene;
  /** How far the layer reaches past the frame on each side, in pixels. */
  margin(): number;
}

export interface ZoomListeners {
  /** The user changed the view (undefined: it fits itself again). */
  user(t: Transform | undefined): void;
  /** The content must be drawn at `drawn()` (a zoom, a programmatic move, or the end of a drag). */
  commit(t: Transform): void;
  /** The layer was moved by CSS only: cheap things such as the minimap may follow. */
  move(t: Transform): void;
}

const PADDING = 24;
const MAX_FIT_SCALE = 1.25;
/** Below this scale the secondary lines are unreadable, so CSS hides them. */
export const DETAIL_SCALE = 0.45;
const MIN_SCALE = 0.03;
/** A drag commits once it has used this share of the margin, so the next frames stay covered. */
const MARGIN_USE = 0.75;
const DRAG_EVENTS = new Set(['mousemove', 'touchmove', 'pointermove']);

export function attachZoom(surface: PanSurface, on: ZoomListeners): Viewport {
  const { frame, layer, scene } = surface;
  let autoFit = true;
  let applying = false;
  let drawn: Transform = { k: 1, x: 0, y: 0 };
  const commit = (t: Transform): void => {
    drawn = t;
    layer.style.transform = '';
    scene.viewport.attr('transform', zoomIdentity.translate(t.x, t.y).scale(t.k).toString());
    scene.svg.classed('zoomed-out', t.k < DETAIL_SCALE);
    on.commit(t);
  };
  const behavior = zoom<HTMLElement, unknown>()
    .scaleExtent([MIN_SCALE, 3])
    .on('zoom', (ev: D3ZoomEvent<HTMLElement, unknown>) => {
      const t = { k: ev.transform.k, x: ev.transform.x, y: ev.transform.y };
      const [dx, dy] = [t.x - drawn.x, t.y - drawn.y];
      const reach = surface.margin() * MARGIN_USE;
      const drag = DRAG_EVENTS.has((ev.sourceEvent as Event | null)?.type ?? '') && t.k === drawn.k;
      if (drag && Math.abs(dx) < reach && Math.abs(dy) < reach) {
        layer.style.transform = `translate(${dx}px,${dy}px)`;
        on.move(t);
      } else commit(t);
      // Programmatic fits must not switch auto-fit off. The source event alone cannot tell: a fit
      // within d3's wheel-idle delay joins the wheel gesture and inherits its event.
      if (ev.sourceEvent && !applying) {
        autoFit = false;
        on.user(t);
      }
    })
    .on('end', () => {
      const t = zoomTransform(frame);
      if (t.k !== drawn.k || t.x !== drawn.x || t.y !== drawn.y) commit({ k: t.k, x: t.x, y: t.y });
    });
  const sel = select(frame);
  sel.call(behavior).on('dblclick.zoom', null);
  const apply = (t: Transform): void => {
    applying = true;
    try {
      sel.call(behavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
    } finally {
      applying = false;
    }
  };
  return {
    get autoFit() { return autoFit; },
    fit(bounds, minScale, anchor) {
      autoFit = true;
      on.user(undefined);
      const [w, h] = [frame.clientWidth, frame.clientHeight];
      if (!w || !h || bounds.width <= 0 || bounds.height <= 0) return;
      const whole = Math.min(MAX_FIT_SCALE, (w - 2 * PADDING) / bounds.width, (h - 2 * PADDING) / bounds.height);
      const k = Math.max(whole, Math.min(minScale ?? 0, MAX_FIT_SCALE));
      // Per axis: centre what fits; otherwise centre the anchor (but show no space past the graph's
      // ends, so an asset at the end of the lineage sits at the view's edge), or start at the edge.
      const place = (size: number, start: number, extent: number, at: number | undefined): number => {
        if (k * extent + 2 * PADDING <= size) return size / 2 - k * (start + extent / 2);
        const first = PADDING - k * start;
        return at === undefined ? first : Math.min(first, Math.max(size - PADDING - k * (start + extent), size / 2 - k * at));
      };
      apply({ k, x: place(w, bounds.x, bounds.width, anchor?.x), y: place(h, bounds.y, bounds.height, anchor?.y) });
    },
    restore(t) {
      autoFit = false;
      apply(t);
    },
    centerOn(x, y) {
      const t = zoomTransform(frame);
      autoFit = false;
      const next = { k: t.k, x: frame.clientWidth / 2 - t.k * x, y: frame.clientHeight / 2 - t.k * y };
      apply(next);
      on.user(next);
    },
    current() {
      const t = zoomTransform(frame);
      return { k: t.k, x: t.x, y: t.y };
    },
    drawn: () => drawn,
    setBounds(bounds) {
      const w = frame.clientWidth || 800;
      const h = frame.clientHeight || 600;
      const fitK = Math.min(w / Math.max(1, bounds.width), h / Math.max(1, bounds.height));
      behavior.scaleExtent([Math.min(MIN_SCALE, fitK / 2), 3]);
    },
  };
}
