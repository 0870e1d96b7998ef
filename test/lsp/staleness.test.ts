// Stale reasons over LSP on seed 002 (event_driven): after an upstream re-runs over new data, the
// hover and the code lens of its downstream say which upstream has newer data.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MaterializeParams } from '../../src/shared/protocol';
import type { RunSummary } from '../../src/shared/dto';
import { MaterializeRequest, StatusChangedNotification } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

interface Hover { contents: { kind: string; value: string } }

describe('stale reasons on event_driven (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('event_driven', { trusted: true });
  });
  after(() => c.stop());

  const hover = () => c.request<Hover | null>('textDocument/hover', { textDocument: { uri: c.uri('dbt_project/models/orders_summary.sql') }, position: { line: 1, character: 4 } });
  const materialize = async (selection: string, runToken: string) => {
    c.clear();
    const s = await c.request<RunSummary>(MaterializeRequest, { selection, runToken } satisfies MaterializeParams);
    assert.equal(s.status, 'success', s.error);
    await c.waitFor(StatusChangedNotification);
  };

  test('hover shows no stale reason after a full run, then names raw/orders once it re-ran over new data', async () => {
    await materialize('+orders_summary', 'r1');
    assert.doesNotMatch((await hover())!.contents.value, /Stale/);
    appendFileSync(join(c.dir, 'source_data/orders.csv'), '9999,1,2024-01-09,42.0,completed\n');
    await materialize('raw/orders', 'r2');
    const h = (await hover())!.contents.value;
    assert.match(h, /\*\*Stale\*\*: upstream `raw\/orders` has newer data/);
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: c.uri('dbt_project/models/orders_summary.sql') } });
    assert.ok(lenses.some((l) => l.command.title === 'stale: upstream `raw/orders` has newer data'), lenses.map((l) => l.command.title).join(' | '));
  });
});
