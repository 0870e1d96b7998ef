// Draws each cluster (a Dagster group or a dbt project) as a tinted band behind its nodes in every
// layer it spans; the layout keeps a cluster's nodes next to each other, so bands never overlap.
// The band's label collapses the cluster into one node.
import type { Layout } from './layout';
import type { NodeView } from './graphModel';
import type { Scene } from './render';
import { NODE_HEIGHT, NODE_WIDTH } from './render';
import { fitText } from './textFit';

export interface ClusterBand {
  readonly cluster: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The band in the cluster's leftmost layer carries the label. */
  readonly labelled: boolean;
}

const PAD_X = 10;
const PAD_TOP = 26;
const PAD_BOTTOM = 10;

export function clusterBands(views: readonly NodeView[], layout: Layout): ClusterBand[] {
  const spans = new Map<string, { cluster: string; x: number; top: number; bottom: number }>();
  for (const v of views) {
    const p = layout.nodes.get(v.key);
    if (v.cluster === undefined || v.members || !p) continue;
    // Keyed by x, not layer: a wrapped layout has a layer in several columns.
    const id = `${v.cluster}\u0000${p.x}`;
    const s = spans.get(id) ?? { cluster: v.cluster, x: p.x, top: p.y, bottom: p.y + NODE_HEIGHT };
    spans.set(id, { ...s, top: Math.min(s.top, p.y), bottom: Math.max(s.bottom, p.y + NODE_HEIGHT) });
  }
  const first = new Map<string, number>();
  for (const s of spans.values()) first.set(s.cluster, Math.min(first.get(s.cluster) ?? Infinity, s.x));
  return [...spans.values()]
    .sort((a, b) => a.x - b.x || a.top - b.top)
    .map((s) => ({
      cluster: s.cluster, x: s.x - PAD_X, y: s.top - PAD_TOP, width: NODE_WIDTH + 2 * PAD_X,
      height: s.bottom - s.top + PAD_TOP + PAD_BOTTOM, labelled: first.get(s.cluster) === s.x,
    }));
}

/** Draws the bands; `collapse` runs when a band's label is clicked. Only drawn with 2+ clusters. */
export function drawClusters(scene: Scene, bands: readonly ClusterBand[], collapse: (cluster: string) => void): void {
  const shown = new Set(bands.map((b) => b.cluster)).size > 1 ? bands : [];
  const g = scene.clusterLayer.selectAll<SVGGElement, ClusterBand>('g.cluster')
    .data(shown, (b) => `${b.cluster}\u0000${b.x}`)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'cluster');
      e.append('rect').attr('class', 'cluster-band').attr('rx', 8);
      const label = e.append('g').attr('class', 'cluster-label').attr('role', 'button');
      label.append('title');
      label.append('text').attr('x', 10).attr('y', 16);
      return e;
    })
    .attr('data-cluster', (b) => b.cluster)
    .attr('transform', (b) => `translate(${b.x},${b.y})`);
  g.select('rect.cluster-band').attr('width', (b) => b.width).attr('height', (b) => b.height);
  const label = g.select<SVGGElement>('g.cluster-label').attr('display', (b) => (b.labelled ? null : 'none'));
  label.select('text').text((b) => fitText(`▾ ${b.cluster}`, NODE_WIDTH, 'status'));
  label.select('title').text((b) => `Collapse ${b.cluster}`);
  label.on('click', (ev: MouseEvent, b) => { ev.stopPropagation(); collapse(b.cluster); });
}
