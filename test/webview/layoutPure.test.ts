// The lineage layout as plain values (no browser): tall graphs wrap into columns cut where few
// edges cross, and the top-to-bottom variant is the same graph turned, with edges leaving bottoms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayoutInput } from '../../src/webview/layout';
import { layoutDag } from '../../src/webview/layout';

const OPT = { nodeWidth: 240, nodeHeight: 68, layerGap: 88, nodeGap: 20 };

/** `projects` independent projects of `size` sources, each feeding a model and a mart. */
function projects(count: number, size: number): LayoutInput[] {
  const out: LayoutInput[] = [];
  for (let p = 0; p < count; p++) {
    for (let i = 0; i < size; i++) {
      const [src, stg, fct] = [`p${p}_src_${i}`, `p${p}_stg_${i}`, `p${p}_fct_${i}`];
      out.push({ key: src, deps: [], group: `p${p}` }, { key: stg, deps: [src], group: `p${p}` }, { key: fct, deps: [stg, `p${p}_src_0`], group: `p${p}` });
    }
  }
  return out;
}

test('a graph far taller than the view wraps into columns, cut where the fewest edges cross', () => {
  const input = projects(8, 20);
  const tall = layoutDag(input, OPT);
  const wrapped = layoutDag(input, { ...OPT, aspect: 16 / 10 });
  assert.deepEqual(layoutDag(input, { ...OPT, aspect: 16 / 10 }), wrapped, 'deterministic');
  assert.ok(tall.height / tall.width > 10, `unwrapped it is a sliver (${tall.width} × ${tall.height})`);
  const ratio = wrapped.width / wrapped.height;
  assert.ok(ratio > 0.5 && ratio < 4, `wrapped it is about the view's shape (${wrapped.width} × ${wrapped.height})`);
  const columns = new Set([...wrapped.nodes.values()].map((n) => Math.floor(n.x / (tall.width + 1))));
  assert.ok(columns.size >= 3, `${columns.size} columns`);
  // Projects do not line up across layers (a layer with more nodes is taller), so a cut may have
  // to cross a few edges; it picks the line that crosses the fewest.
  const crossing = wrapped.edges.filter((e) => {
    const [from, to] = [wrapped.nodes.get(e.from)!, wrapped.nodes.get(e.to)!];
    return !(to.x > from.x && to.x - from.x < tall.width);
  });
  assert.ok(crossing.length <= 0.03 * wrapped.edges.length, `${crossing.length} of ${wrapped.edges.length} edges run between columns`);
  const boxes = [...wrapped.nodes.values()];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const apart = a.x + 240 <= b.x || b.x + 240 <= a.x || a.y + 68 <= b.y || b.y + 68 <= a.y;
      assert.ok(apart, `${a.key} and ${b.key} overlap`);
    }
  }
  assert.deepEqual(layoutDag(projects(1, 3), { ...OPT, aspect: 16 / 10 }), layoutDag(projects(1, 3), OPT), 'a small graph is never wrapped');
});

test('top to bottom: layers are rows, edges leave a node\'s bottom and enter the next row\'s top', () => {
  const input = projects(1, 3);
  const down = layoutDag(input, { ...OPT, layerGap: 48, direction: 'down' });
  assert.equal(down.vertical, true);
  const [src, stg, fct] = ['p0_src_1', 'p0_stg_1', 'p0_fct_1'].map((k) => down.nodes.get(k)!);
  assert.ok(src!.y + 68 < stg!.y && stg!.y + 68 < fct!.y, 'each layer is a row below the last');
  const edge = down.edges.find((e) => e.from === 'p0_src_1' && e.to === 'p0_stg_1')!;
  assert.deepEqual(edge.points[0], [src!.x + 120, src!.y + 68]);
  assert.deepEqual(edge.points.at(-1), [stg!.x + 120, stg!.y]);
  assert.ok(down.width >= 3 * 240 && down.height < down.width, `${down.width} × ${down.height}`);
});
