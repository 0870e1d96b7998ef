// Arrow keys on a focused node: right and left go to the nearest downstream and upstream neighbour
// (nearest in height, so the eye does not jump), up and down to the next node in the same layer
// (in a wrapped layout, down from a column's last node goes on to the next column's first).
import type { Layout } from './layout';
import type { Direction } from './render';

/** In a top-to-bottom layout down goes downstream and right along the row. */
const TURNED: Readonly<Record<Direction, Direction>> = { down: 'right', up: 'left', right: 'down', left: 'up' };

export function neighbourIn(layout: Layout, key: string, pressed: Direction): string | undefined {
  const direction = layout.vertical ? TURNED[pressed] : pressed;
  const here = layout.nodes.get(key);
  if (!here) return undefined;
  if (direction === 'up' || direction === 'down') {
    const layer = [...layout.nodes.values()].filter((n) => n.layer === here.layer).sort((a, b) => (layout.vertical ? a.y - b.y || a.x - b.x : a.x - b.x || a.y - b.y));
    const at = layer.findIndex((n) => n.key === key);
    return layer[direction === 'up' ? at - 1 : at + 1]?.key;
  }
  const ends = layout.edges.flatMap((e) => {
    if (direction === 'right' && e.from === key) return [e.to];
    if (direction === 'left' && e.to === key) return [e.from];
    return [];
  });
  let best: string | undefined;
  let bestGap = Infinity;
  for (const k of ends) {
    const there = layout.nodes.get(k);
    const gap = there ? Math.abs(layout.vertical ? there.x - here.x : there.y - here.y) : Infinity;
    if (gap < bestGap || (gap === bestGap && best !== undefined && k < best)) [best, bestGap] = [k, gap];
  }
  return best;
}
