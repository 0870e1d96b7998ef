// A source is observed, not materialized: once the host sends its last observation the node says
// "observed", dated from its newest data, with the data version in its tooltip, in the colour of
// fresh data; a materialization of the same key still wins.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, send, showJaffle, startHarness, statusOf, stopHarness } from './lineagePage';

before(() => startHarness());
after(stopHarness);

test('an observed source shows "observed" with its data version; a new version updates the tooltip', async () => {
  const { page } = await openPage();
  await showJaffle(page, false);
  await page.waitForFunction(() => document.querySelector('g.node[data-key="raw_orders"] .node-status')?.textContent === 'never materialized');
  const observed = (dataVersion: string) => [{ key: 'raw_orders', dataVersion, since: new Date().toISOString(), observedAt: new Date().toISOString() }];
  await send(page, { type: 'status', materializations: [], stale: [], observed: observed('v1') });
  await page.waitForFunction(() => document.querySelector('g.node[data-key="raw_orders"] .node-status')?.textContent === 'observed');
  const node = page.locator('g.node[data-key="raw_orders"]');
  assert.match((await node.locator('title').textContent()) ?? '', /data version v1/);
  assert.match((await node.locator('.node-meta').textContent()) ?? '', /just now/);
  assert.ok(await node.evaluate((g) => g.classList.contains('status-observed')));
  await send(page, { type: 'status', materializations: [], stale: [], observed: observed('v2') });
  await page.waitForFunction(() => /data version v2/.test(document.querySelector('g.node[data-key="raw_orders"] title')?.textContent ?? ''));
  assert.equal(await statusOf(page, 'stg_orders'), 'never materialized', 'only the observed key changes');
  await page.close();
});
