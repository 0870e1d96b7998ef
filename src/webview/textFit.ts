// Shortens labels to fit a width with an ellipsis, measured on a canvas so that no SVG text is laid
// out twice (getComputedTextLength forces a layout per node, which does not scale to big graphs).

/** The text styles used on nodes; sizes and weights must match media/lineage.css. */
export type TextStyle = 'name' | 'status' | 'meta';

const FONTS: Record<TextStyle, { readonly weight: string; readonly size: number }> = {
  name: { weight: '600', size: 13 },
  status: { weight: '400', size: 12 },
  meta: { weight: '400', size: 11 },
};

let context: CanvasRenderingContext2D | null | undefined;
let family: string | undefined;
/** Panning a big graph re-enters the same nodes again and again; their labels are remembered. */
const fitted = new Map<string, string>();
const FITTED_MAX = 20_000;

function measurer(style: TextStyle): CanvasRenderingContext2D | null {
  if (context === undefined) context = document.createElement('canvas').getContext('2d');
  if (context) {
    family ??= getComputedStyle(document.body).fontFamily || 'sans-serif';
    const font = `${FONTS[style].weight} ${FONTS[style].size}px ${family}`;
    // Setting the font parses it, so skip that when nothing changed (the usual case).
    if (context.font !== font) context.font = font;
  }
  return context;
}

/** The width of `text` in pixels in `style`. */
export function textWidth(text: string, style: TextStyle): number {
  const ctx = measurer(style);
  // Without a canvas, assume a generous average glyph width rather than failing.
  return ctx ? ctx.measureText(text).width : text.length * FONTS[style].size * 0.62;
}

/** `text` itself when it fits in `maxWidth` pixels, else its longest prefix that fits plus "…". */
export function fitText(text: string, maxWidth: number, style: TextStyle): string {
  const id = `${style}\u0000${maxWidth}\u0000${text}`;
  const known = fitted.get(id);
  if (known !== undefined) return known;
  const result = fit(text, maxWidth, style);
  if (fitted.size >= FITTED_MAX) fitted.clear();
  fitted.set(id, result);
  return result;
}

function fit(text: string, maxWidth: number, style: TextStyle): string {
  if (maxWidth <= 0) return '';
  if (textWidth(text, style) <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, style) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
