// Shortens labels to fit a width with an ellipsis, measured on a canvas so that no SVG text is laid
// out twice (getComputedTextLength forces a layout per node, which does not scale to big graphs).

/** The text styles used on nodes; sizes and weights must match media/lineage.css. */
export type TextStyle = 'name';

const FONTS: Record<TextStyle, { readonly weight: string; readonly size: number }> = {
  name: { weight: '600', size: 13 },
};

let context: CanvasRenderingContext2D | null | undefined;

function measurer(style: TextStyle): CanvasRenderingContext2D | null {
  if (context === undefined) context = document.createElement('canvas').getContext('2d');
  if (context) {
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const font = `${FONTS[style].weight} ${FONTS[style].size}px ${family}`;
    // Setting the font parses it, so skip that when nothing changed (the usual case).
    if (context.font !== font) context.font = font;
  }
  return context;
}

/** `text` itself when it fits in `maxWidth` pixels, else its longest prefix that fits plus "…". */
export function fitText(text: string, maxWidth: number, style: TextStyle): string {
  const ctx = measurer(style);
  // Without a canvas, assume a generous average glyph width rather than failing.
  const width = (s: string): number => (ctx ? ctx.measureText(s).width : s.length * FONTS[style].size * 0.62);
  if (width(text) <= maxWidth) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(`${text.slice(0, mid)}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
