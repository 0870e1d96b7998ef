// The lineage view's geometry in headless Chromium with the fake host: a far too tall graph wraps
// into columns that read at Fit, the side bar starts focused on the active asset at a readable
// size, top to bottom, and a drag moves the drawing with the mouse (by CSS during the drag, redrawn after it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AssetDto } from '../../src/shared/dto';
import { JAFFLE, STATUS, asset, assertNoOverlaps, openPage, send, shots, startHarness, stopHarness } from './lineagePage';

before(() => startHarness());
after(stopHarness);

const box = async (page: import('playwright-core').Page, key: string): Promise<{ x: number; y: number; width: number; height: number }> => {
  const b = await page.locator(`g.node[data-key="${key}"] .node-box`).boundingBox();
  assert.ok(b, `${key} is drawn`);
  return b;
};

test('a graph 130 chains tall wraps into columns whose nodes are still boxes at Fit, chains intact', async () => {
  const { page, errors } = await openPage({ viewport: { width: 1280, height: 720 } });
  const assets: AssetDto[] = Array.from({ length: 130 }, (_, i) => [
    asset(`src_${i}`, 'source'), asset(`stg_${i}`, 'model', [`src_${i}`]), asset(`fct_${i}`, 'model', [`stg_${i}`]),
  ]).flat();
  await send(page, { type: 'graph', graph: { assets, diagnostics: [] } });
  await page.waitForSelector('g.node[data-key="fct_129"]');
  const xs = await page.locator('g.node .node-box').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().x)));
  const columns = new Set(xs).size / 3;
  assert.ok(columns >= 3, `the tall graph wraps into several columns (${columns})`);
  const first = await box(page, 'src_0');
  assert.ok(first.width >= 40, `at Fit a node is a box ${first.width.toFixed(0)} px wide, not a speck (unwrapped: ≈ 13 px)`);
  for (const i of [0, 33, 65, 97, 129]) {
    const [s, m, f] = [await box(page, `src_${i}`), await box(page, `stg_${i}`), await box(page, `fct_${i}`)];
    assert.ok(s.x < m.x && m.x < f.x && Math.abs(s.y - f.y) < 1, `chain ${i} reads left to right on one line`);
  }
  assert.equal(await page.locator('path.edge').count(), 260);
  await assertNoOverlaps(page);
  await page.screenshot({ path: join(shots, 'lineage-tall-wrapped.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the side bar starts focused on the active asset, its names readable and in view', async () => {
  const { page, errors } = await openPage({ viewport: { width: 300, height: 700 }, placement: 'sidebar' });
  await send(page, { type: 'graph', graph: JAFFLE });
  await send(page, { type: 'status', materializations: STATUS });
  // No asset in the active editor yet: focus is on but waits, says so, and the whole graph is drawn.
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 8);
  assert.equal(await page.locator('#focus').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#focus.waiting').count(), 1);
  assert.equal(await page.locator('#focus-note').innerText(), 'Focus: no asset open');
  await page.screenshot({ path: join(shots, 'lineage-sidebar-no-asset.png') });
  await send(page, { type: 'activeAsset', key: 'stg_orders' });
  await page.waitForFunction(() => document.querySelectorAll('g.node').length === 4 && document.querySelector('g.node.active'));
  assert.equal(await page.locator('#focus').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#focus.waiting').count(), 0, 'an asset in the editor ends the wait');
  assert.equal(await page.locator('#focus-note').isVisible(), false);
  assert.deepEqual((await page.locator('g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''))).sort(), ['customers', 'orders', 'raw_orders', 'stg_orders']);
  const active = await box(page, 'stg_orders');
  assert.ok(active.width >= 0.75 * 240 - 1, `the active node is drawn at a readable size (${active.width.toFixed(0)} px wide)`);
  assert.ok(active.x >= 0 && active.x + active.width <= 300, 'and it is in view');
  const [up, down] = [await box(page, 'raw_orders'), await box(page, 'orders')];
  assert.ok(up.y + up.height < active.y && active.y + active.height < down.y, 'a tall narrow view runs the lineage top to bottom');
  assert.ok(up.x >= 0 && up.x + up.width <= 300 && up.y >= 0, 'the upstream asset is in view above it');
  const fontPx = await page.locator('g.node[data-key="stg_orders"] .node-name').evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(fontPx >= 9, `its name is ${fontPx.toFixed(1)} px tall`);
  await page.screenshot({ path: join(shots, 'lineage-sidebar.png') });
  const focused = (): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
  await page.locator('g.node[data-key="stg_orders"]').focus();
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'raw_orders', 'top to bottom, up goes upstream');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.ok(['customers', 'orders'].includes((await focused()) ?? ''), 'and down goes downstream');
  await send(page, { type: 'activeAsset', key: 'customers' });
  await page.waitForSelector('g.node.active[data-key="customers"]');
  await page.screenshot({ path: join(shots, 'lineage-sidebar-follows.png') });
  const next = await box(page, 'customers');
  assert.ok(next.x >= 0 && next.x + next.width <= 300, 'focus follows the editor and the new asset is in view');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a drag moves a big graph with the mouse: the layer during the drag, the drawing after it', async () => {
  const { page, errors } = await openPage({ viewport: { width: 1280, height: 720 }, savedState: { transform: { k: 0.8, x: 0, y: 0 } } });
  const assets: AssetDto[] = Array.from({ length: 1200 }, (_, i) => asset(`m${i}`, i < 200 ? 'source' : 'model', i < 200 ? [] : [`m${i % 200}`]));
  await send(page, { type: 'graph', graph: { assets, diagnostics: [] } });
  await page.waitForSelector('g.node[data-key="m0"]');
  const before = await box(page, 'm0');
  const drawn = await page.locator('g.viewport').getAttribute('transform');
  await page.mouse.move(700, 400);
  await page.mouse.down();
  await page.mouse.move(620, 340, { steps: 5 });
  const during = await box(page, 'm0');
  assert.deepEqual([Math.round(during.x - before.x), Math.round(during.y - before.y)], [-80, -60], 'the node follows the mouse');
  assert.equal(await page.locator('g.viewport').getAttribute('transform'), drawn, 'nothing is redrawn during the drag');
  assert.match(await page.locator('.pan-layer').evaluate((e) => (e as HTMLElement).style.transform), /translate\(-80px, ?-60px\)/);
  await page.mouse.up();
  await page.waitForFunction(() => (document.querySelector('.pan-layer') as HTMLElement).style.transform === '');
  const after = await box(page, 'm0');
  assert.deepEqual([Math.round(after.x - before.x), Math.round(after.y - before.y)], [-80, -60], 'after the drag the drawing is where the layer was');
  assert.equal(await page.locator('g.viewport').getAttribute('transform'), 'translate(-80,-60) scale(0.8)');
  assert.deepEqual(errors, []);
  await page.close();
});
