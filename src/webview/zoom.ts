// Pan and zoom with d3-zoom. The view fits itself to the graph until the user pans or zooms; from
// then on it keeps the user's transform (saved in the webview state) until they press Fit.
import { zoom, zoomIdentity, zoomTransform } from 'd3';
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
  /** Shows all of `bounds`; the view goes back to fitting itself on resize and new graphs. */
  fit(bounds: Bounds): void;
  /** Applies a transform the user chose earlier. */
  restore(t: Transform): void;
  /** Moves the view so that graph point (x, y) is in its centre, keeping the zoom. */
  centerOn(x: number, y: number): void;
  /** The transform now applied. */
  current(): Transform;
  /** The graph's size, so the view may zoom out far enough to see all of a big graph. */
  setBounds(bounds: Bounds): void;
  /** True while the view fits itself, false once the user has panned or zoomed. */
  readonly autoFit: boolean;
}

const PADDING = 24;
const MAX_FIT_SCALE = 1.25;
/** Below this scale the secondary lines are unreadable, so CSS hides them. */
export const DETAIL_SCALE = 0.45;
const MIN_SCALE = 0.03;

/** `onTransform` hears every change (user or programmatic), `onUserTransform` the user's only. */
export function attachZoom(scene: Scene, onUserTransform: (t: Transform | undefined) => void, onTransform: (t: Transform) => void): Viewport {
  let autoFit = true;
  let applying = false;
  const behavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([MIN_SCALE, 3])
    .on('zoom', (ev: D3ZoomEvent<SVGSVGElement, unknown>) => {
      scene.viewport.attr('transform', ev.transform.toString());
      scene.svg.classed('zoomed-out', ev.transform.k < DETAIL_SCALE);
      onTransform({ k: ev.transform.k, x: ev.transform.x, y: ev.transform.y });
      // Programmatic fits must not switch auto-fit off. The source event alone cannot tell: a fit
      // within d3's wheel-idle delay joins the wheel gesture and inherits its event.
      if (ev.sourceEvent && !applying) {
        autoFit = false;
        const { k, x, y } = ev.transform;
        onUserTransform({ k, x, y });
      }
    });
  scene.svg.call(behavior).on('dblclick.zoom', null);
  const apply = (t: Transform): void => {
    applying = true;
    try {
      scene.svg.call(behavior.transform, zoomIdentity.translate(t.x, t.y).scale(t.k));
    } finally {
      applying = false;
    }
  };
  return {
    get autoFit() { return autoFit; },
    fit(bounds) {
      autoFit = true;
      onUserTransform(undefined);
      const node = scene.svg.node();
      const w = node?.clientWidth ?? 0;
      const h = node?.clientHeight ?? 0;
      if (!w || !h || bounds.width <= 0 || bounds.height <= 0) return;
      const k = Math.min(MAX_FIT_SCALE, (w - 2 * PADDING) / bounds.width, (h - 2 * PADDING) / bounds.height);
      apply({ k, x: w / 2 - k * (bounds.x + bounds.width / 2), y: h / 2 - k * (bounds.y + bounds.height / 2) });
    },
    restore(t) {
      autoFit = false;
      apply(t);
    },
    centerOn(x, y) {
      const node = scene.svg.node();
      const t = zoomTransform(node as SVGSVGElement);
      autoFit = false;
      const next = { k: t.k, x: (node?.clientWidth ?? 0) / 2 - t.k * x, y: (node?.clientHeight ?? 0) / 2 - t.k * y };
      apply(next);
      onUserTransform(next);
    },
    current() {
      const t = zoomTransform(scene.svg.node() as SVGSVGElement);
      return { k: t.k, x: t.x, y: t.y };
    },
    setBounds(bounds) {
      const node = scene.svg.node();
      const w = node?.clientWidth || 800;
      const h = node?.clientHeight || 600;
      const fitK = Math.min(w / Math.max(1, bounds.width), h / Math.max(1, bounds.height));
      behavior.scaleExtent([Math.min(MIN_SCALE, fitK / 2), 3]);
    },
  };
}
