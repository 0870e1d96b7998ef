// The partition matrix keeps the user's zoom while states change under it (a backfill they dragged
// reports partition after partition); only a newly opened matrix fits the whole range again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { asset, openPage, send, startHarness, stopHarness } from './lineagePage';

before(() => startHarness());
after(stopHarness);

const start = Date.UTC(2024, 0, 1);
const days = Array.from({ length: 1000 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
const unit = (page: Page): Promise<string | undefined> => page.evaluate(() => document.getElementById('partitions')?.dataset['unit']);
const showPartitions = async (page: Page): Promise<void> => {
  await page.locator('g.node[data-key="daily"]').click({ button: 'right' });
  await page.click('#context-menu button[data-action="show-partitions"]');
};

test('new partition states keep the zoom; reopening the matrix fits all partitions again', async () => {
  const { page } = await openPage({ viewport: { width: 1200, height: 700 } });
  await send(page, { type: 'graph', graph: { assets: [{ ...asset('daily', 'python'), partitions: { kind: 'daily', start: '2024-01-01' } }], diagnostics: [] } });
  await page.waitForSelector('g.node[data-key="daily"]');
  await showPartitions(page);
  await send(page, { type: 'partitionStatus', partitionKeys: days, rows: [{ key: 'daily', states: '' }] });
  await page.waitForFunction(() => ['week', 'month'].includes(document.getElementById('partitions')?.dataset['unit'] ?? ''));
  const box = (await page.locator('#partition-canvas').boundingBox())!;
  await page.mouse.move(box.x + 169, box.y + 38);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
  await page.waitForFunction(() => document.getElementById('partitions')?.dataset['unit'] === 'partition');
  await send(page, { type: 'partitionStatus', partitionKeys: days, rows: [{ key: 'daily', states: 'MMMF' }] });
  await page.mouse.move(box.x + 170 + 3.5 * 40, box.y + 38);
  assert.equal(await page.evaluate(() => (document.getElementById('partition-canvas') as HTMLCanvasElement).title), 'daily\n2024-01-04: failed', 'still one day per cell, first day leftmost');
  assert.equal(await unit(page), 'partition');
  await showPartitions(page);
  await send(page, { type: 'partitionStatus', partitionKeys: days, rows: [{ key: 'daily', states: 'MMMF' }] });
  await page.waitForFunction(() => document.getElementById('partitions')?.dataset['unit'] !== 'partition');
  await page.close();
});
