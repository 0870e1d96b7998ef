// Automation in the language server on seed 002 (event_driven): the runs it starts stream their
// steps to the client like a user's run (so the panel shows them running), and each finished run
// is announced with why automation started it (so the output channel can say so).
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AutomationRunParams } from '../../src/shared/protocol';
import type { StepEvent } from '../../src/shared/dto';
import { AutomationRunNotification, RunEventNotification } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

describe('automation on event_driven (trusted, automation on)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('event_driven', { trusted: true, automation: true });
  });
  after(() => c.stop());

  const ran = (key: string, reason: RegExp) => c.waitFor<AutomationRunParams>(AutomationRunNotification, (s) => s.steps.some((e) => e.key === key) && reason.test(s.reason ?? ''), 60_000);

  test('the first tick materializes what was never materialized, streaming its steps', async () => {
    const summary = await ran('orders_summary', /.+/);
    assert.equal(summary.status, 'success', summary.error);
    const events = c.received.filter((n) => n.method === RunEventNotification).map((n) => n.params as StepEvent);
    assert.ok(events.some((e) => e.key === 'raw/orders' && e.status === 'running'), 'raw/orders was reported running');
    assert.ok(events.some((e) => e.key === 'orders_summary' && e.status === 'success' && e.runId === summary.runId), 'orders_summary was reported done in its run');
  });

  test('an edited orders.csv is observed and raw/orders runs eagerly, with its reason', async () => {
    c.clear();
    appendFileSync(join(c.dir, 'source_data/orders.csv'), '9999,1,2024-01-09,42.0,completed\n');
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri('source_data/orders.csv'), type: 2 }] });
    const summary = await ran('raw/orders', /^eager: upstream source_orders has new data$/);
    assert.equal(summary.status, 'success', summary.error);
    const running = await c.waitFor<StepEvent>(RunEventNotification, (e) => e.key === 'raw/orders' && e.status === 'running');
    assert.equal(running.runId, summary.runId, 'the streamed step belongs to the automated run');
    assert.equal(running.reason, summary.reason, 'and says why it runs, so a user run\'s progress can leave it out');
    assert.deepEqual(summary.steps.map((s) => s.key), ['raw/orders'], 'the lazy summaries wait for their freshness lag');
  });
});

describe('policies on hover on stargazer (two dbt projects)', { timeout: 60_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('stargazer', { trusted: true });
  });
  after(() => c.stop());

  test('the downstream model across the project boundary shows its freshness policy', async () => {
    const h = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: c.uri('dbt_project_2/models/mart/mart_gh_join.sql') }, position: { line: 7, character: 6 } });
    assert.ok(h, 'a hover');
    assert.match(h.contents.value, /\*\*Automation\*\*\n- freshness policy: max lag 10 min/);
    assert.match(h.contents.value, /Upstream 2/);
  });
});
