// "Show compiled SQL" and run failures in the Problems panel, as an editor sees them: spawn
// dist/server.js on a copy of jaffle_shop and speak LSP. Run `node scripts/build.mjs` first.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompiledSqlResult, MaterializeParams } from '../../src/shared/protocol';
import type { RunSummary } from '../../src/shared/dto';
import { CompiledSqlRequest, GraphChangedNotification, MaterializeRequest } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

interface PublishDiagnostics { uri: string; diagnostics: { message: string; severity: number; range: { start: { line: number } } }[] }

describe('compiled SQL and run failures (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('jaffle_shop', { trusted: true });
  });
  after(() => c.stop());

  test('compiledSql renders refs, project macros and vars into the SQL a run would send', async () => {
    const { sql } = await c.request<CompiledSqlResult>(CompiledSqlRequest, { key: 'orders' });
    assert.match(sql, /from "main"\."stg_orders"/);
    assert.match(sql, /sum\(case when payment_method = 'gift_card' then amount else 0 end\) as gift_card_amount/);
    assert.doesNotMatch(sql, /\{\{|\{%/);
    const staged = await c.request<CompiledSqlResult>(CompiledSqlRequest, { key: 'stg_payments' });
    // The cents_to_dollars macro expanded.
    assert.match(staged.sql, /amount \/ 100/);
  });

  test('compiledSql fails with a reason for a seed, an unknown key and a broken template', async () => {
    await assert.rejects(c.request(CompiledSqlRequest, { key: 'raw_orders' }), /raw_orders has no SQL to compile: it is a seed/);
    await assert.rejects(c.request(CompiledSqlRequest, { key: 'nope' }), /No asset 'nope'/);
    const path = join(c.dir, 'models/customers.sql');
    writeFileSync(path, readFileSync(path, 'utf8') + "\n-- {{ var('not_there') }}\n");
    await changed(c, 'models/customers.sql');
    await assert.rejects(c.request(CompiledSqlRequest, { key: 'customers' }), /models\/customers\.sql line \d+: var\('not_there'\) is not set/);
  });

  test('a failed run shows its error at the failing line of the model, and success clears it', async () => {
    const path = join(c.dir, 'models/staging/stg_orders.sql');
    const good = readFileSync(path, 'utf8');
    const lines = good.split('\n');
    const target = lines.findIndex((l) => l.includes('status'));
    assert.ok(target >= 0);
    lines[target] = lines[target]!.replace('status', 'no_such_status');
    writeFileSync(path, lines.join('\n'));
    await changed(c, 'models/staging/stg_orders.sql');
    const uri = c.uri('models/staging/stg_orders.sql');
    const failed = await materialize(c, 'raw_orders stg_orders');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorLine, target + 1);
    const shown = await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => /stg_orders failed/.test(d.message)));
    const d = shown.diagnostics.find((x) => /stg_orders failed/.test(x.message))!;
    assert.equal(d.range.start.line, target, 'the error sits on the line that names the missing column');
    assert.equal(d.severity, 1);
    assert.match(d.message, /no_such_status/);

    // After a restart the store still knows the failure and its line, so the Problems panel shows it again.
    c = await c.restart();
    await c.initialize({ trusted: true });
    const again = await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((x) => /stg_orders failed/.test(x.message)));
    assert.equal(again.diagnostics.find((x) => /stg_orders failed/.test(x.message))!.range.start.line, target);

    writeFileSync(path, good);
    await changed(c, 'models/staging/stg_orders.sql');
    c.clear();
    assert.equal((await materialize(c, 'stg_orders')).status, 'success');
    await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
  });
});

describe('compiled SQL in Restricted Mode', { timeout: 60_000 }, () => {
  test('is refused: rendering can run code', async () => {
    const c = LspClient.start('jaffle_shop');
    try {
      await c.initialize({ trusted: false });
      await assert.rejects(c.request(CompiledSqlRequest, { key: 'orders' }), /Restricted Mode/);
    } finally {
      await c.stop();
    }
  });
});

/** Tells the server a file changed on disk and waits until its graph has the new text. */
async function changed(c: LspClient, rel: string): Promise<void> {
  c.clear();
  await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri(rel), type: 2 }] });
  await c.waitFor(GraphChangedNotification);
}

let runs = 0;
const materialize = (c: LspClient, selection: string): Promise<RunSummary> =>
  c.request<RunSummary>(MaterializeRequest, { selection, runToken: `compiled-test-${runs++}` } satisfies MaterializeParams);
