// The language server as an editor sees it: spawn dist/server.js on a copy of jaffle_shop and
// speak LSP. Run `node scripts/build.mjs` first (scripts/test.mjs lsp does).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MaterializeParams } from '../../src/shared/protocol';
import type { GraphDto, RunSummary, StepEvent } from '../../src/shared/dto';
import { CancelRunNotification, GraphChangedNotification, GraphRequest, MaterializeRequest, RunEventNotification, StatusChangedNotification } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

interface Hover { contents: { kind: string; value: string } }
interface Location { uri: string; range: { start: { line: number } } }
interface PublishDiagnostics { uri: string; diagnostics: { message: string; range: { start: { line: number; character: number } } }[] }

/** The 0-based position of the first occurrence of `needle` in a file (plus `offset` characters). */
function positionOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' is in the file`);
  const before = text.slice(0, i + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

describe('language server on jaffle_shop (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  let orders: string;
  before(async () => {
    c = await LspClient.started('jaffle_shop', { trusted: true });
    orders = readFileSync(join(c.dir, 'models/orders.sql'), 'utf8');
  });
  after(() => c.stop());

  const hoverAt = (rel: string, pos: { line: number; character: number }) =>
    c.request<Hover | null>('textDocument/hover', { textDocument: { uri: c.uri(rel) }, position: pos });

  test('the graph request returns the 8 assets and 8 edges', async () => {
    const g = await c.request<GraphDto>(GraphRequest, {});
    assert.equal(g.assets.length, 8);
    assert.equal(g.assets.reduce((n, a) => n + a.deps.length, 0), 8);
  });

  test("hover over ref('stg_orders') shows the asset key and kind", async () => {
    const h = await hoverAt('models/orders.sql', positionOf(orders, "ref('stg_orders')", 7));
    assert.ok(h, 'a hover');
    assert.match(h.contents.value, /stg_orders/);
    assert.match(h.contents.value, /Key: `stg_orders`/);
    assert.match(h.contents.value, /dbt model \(view\)/);
    assert.match(h.contents.value, /Never materialized/);
  });

  test("hover over the word ref of ref('stg_orders') means the same reference", async () => {
    const h = await hoverAt('models/orders.sql', positionOf(orders, "ref('stg_orders')", 1));
    assert.match(h!.contents.value, /Key: `stg_orders`/);
  });

  test('hover elsewhere in a model file shows the model defined there', async () => {
    const h = await hoverAt('models/orders.sql', positionOf(orders, 'order_payments as'));
    assert.match(h!.contents.value, /Key: `orders`/);
  });

  test('definition of a ref is the model file, line 1', async () => {
    const loc = await c.request<Location | null>('textDocument/definition', { textDocument: { uri: c.uri('models/orders.sql') }, position: positionOf(orders, "ref('stg_orders')", 7) });
    assert.ok(loc);
    assert.equal(loc.uri, c.uri('models/staging/stg_orders.sql'));
    assert.equal(loc.range.start.line, 0);
  });

  test('completion inside ref(\' lists the models and seeds', async () => {
    const items = await c.request<{ label: string; detail: string }[]>('textDocument/completion', { textDocument: { uri: c.uri('models/orders.sql') }, position: positionOf(orders, "ref('stg_orders')", 5) });
    assert.deepEqual(items.map((i) => i.label).sort(), ['customers', 'orders', 'raw_customers', 'raw_orders', 'raw_payments', 'stg_customers', 'stg_orders', 'stg_payments']);
    assert.match(items.find((i) => i.label === 'stg_orders')!.detail, /model \(view\) · models\/staging\/stg_orders.sql/);
  });

  test('document symbols list the assets of a file', async () => {
    const symbols = await c.request<{ name: string; detail: string }[]>('textDocument/documentSymbol', { textDocument: { uri: c.uri('models/orders.sql') } });
    assert.deepEqual(symbols.map((s) => s.name), ['orders']);
    const seeds = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: c.uri('seeds/raw_orders.csv') } });
    assert.deepEqual(seeds.map((s) => s.name), ['raw_orders']);
  });

  test('workspace symbols find assets by name', async () => {
    const symbols = await c.request<{ name: string }[]>('workspace/symbol', { query: 'stg' });
    assert.deepEqual(symbols.map((s) => s.name).sort(), ['stg_customers', 'stg_orders', 'stg_payments']);
  });

  test('code lenses above a model: the three run commands and "never materialized"', async () => {
    const lenses = await c.request<{ command: { title: string; command: string; arguments?: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: c.uri('models/orders.sql') } });
    assert.deepEqual(lenses.map((l) => l.command.title), ['Materialize', 'Upstream', 'Downstream', 'never materialized']);
    assert.deepEqual(lenses[1]!.command.arguments, ['orders']);
  });

  test("an unsaved edit to ref('stg_order') is diagnosed on its line with a suggestion", async () => {
    const uri = c.uri('models/orders.sql');
    const broken = orders.replace("ref('stg_orders')", "ref('stg_order')");
    await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: orders } });
    await c.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: broken }] });
    const d = await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    assert.match(d.diagnostics[0]!.message, /does not match .*Did you mean 'stg_orders'\?/);
    assert.deepEqual(d.diagnostics[0]!.range.start, positionOf(broken, "ref('stg_order')", 5));
    // Fixing it clears the file's diagnostics.
    await c.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: orders }] });
    await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    await c.notify('textDocument/didClose', { textDocument: { uri } });
  });

  test('the editor text of an open file wins over its file on disk until it is closed', async () => {
    const uri = c.uri('models/orders.sql');
    const broken = orders.replace("ref('stg_orders')", "ref('stg_order')");
    c.clear();
    await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: broken } });
    await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    writeFileSync(join(c.dir, 'models/orders.sql'), orders.replace('order_payments', 'order_payments2'));
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    const unresolved = (g: GraphDto) => g.diagnostics.some((d) => d.file === 'models/orders.sql' && /stg_order'/.test(d.message));
    assert.ok(unresolved(await c.request<GraphDto>(GraphRequest, {})), 'the unsaved text is what the graph reads');
    c.clear();
    await c.notify('textDocument/didClose', { textDocument: { uri } });
    await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    assert.ok(!unresolved(await c.request<GraphDto>(GraphRequest, {})), 'after closing, the disk text is read again');
    writeFileSync(join(c.dir, 'models/orders.sql'), orders);
  });

  test('a model created on disk joins the graph, and leaves it when deleted', async () => {
    const rel = 'models/customer_count.sql';
    c.clear();
    writeFileSync(join(c.dir, rel), "select count(*) as n from {{ ref('customers') }}\n");
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri(rel), type: 1 }] });
    await c.waitFor(GraphChangedNotification);
    const g = await c.request<GraphDto>(GraphRequest, {});
    assert.deepEqual(g.assets.find((a) => a.key === 'customer_count')?.deps, ['customers']);
    c.clear();
    rmSync(join(c.dir, rel));
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri(rel), type: 3 }] });
    await c.waitFor(GraphChangedNotification);
    assert.equal((await c.request<GraphDto>(GraphRequest, {})).assets.length, 8);
  });

  test('a selection that matches nothing is refused with a suggestion', async () => {
    await assert.rejects(
      c.request<RunSummary>(MaterializeRequest, { selection: '+customer', runToken: 't0' } satisfies MaterializeParams),
      /No asset matches 'customer'. Did you mean 'customers'\?/,
    );
  });

  test('materializing +customers runs 7 steps, streams events, and hovers then show rows', async () => {
    c.clear();
    const summary = await c.request<RunSummary>(MaterializeRequest, { selection: '+customers', runToken: 't1' } satisfies MaterializeParams);
    assert.equal(summary.status, 'success', summary.error);
    assert.equal(summary.steps.length, 7);
    const done = c.received.filter((n) => n.method === RunEventNotification).map((n) => n.params as StepEvent).filter((e) => e.status === 'success');
    assert.equal(done.length, 7);
    await c.waitFor(StatusChangedNotification);
    const customers = readFileSync(join(c.dir, 'models/customers.sql'), 'utf8');
    const h = await hoverAt('models/customers.sql', positionOf(customers, "ref('stg_customers')", 7));
    assert.match(h!.contents.value, /Last materialized/);
    assert.match(h!.contents.value, /Last materialized just now \(.*Z\) in \d+ ms · 200 rows · [\d.]+ kB/);
    assert.match(h!.contents.value, /\| column \| type \|/);
    const lenses = await c.request<{ command: { title: string; command: string; arguments?: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: c.uri('models/customers.sql') } });
    assert.match(lenses.at(-1)!.command.title, /^✓ just now · [\d,]+ rows/);
    // Clicking the summary shows the run in the Runs view, the asset's step selected.
    assert.deepEqual([lenses.at(-1)!.command.command, lenses.at(-1)!.command.arguments], ['assetLens.showRuns', [{ runId: summary.runId, key: 'customers' }]]);
  });

  test('cancelling a run stops it before its remaining steps', async () => {
    c.clear();
    const running = c.waitFor<StepEvent>(RunEventNotification, (e) => e.status === 'running');
    const run = c.request<RunSummary>(MaterializeRequest, { selection: '+orders', runToken: 't2' } satisfies MaterializeParams);
    await running;
    await c.notify(CancelRunNotification, { runToken: 't2' });
    const summary = await run;
    assert.equal(summary.status, 'cancelled');
    assert.ok(summary.steps.some((s) => s.status === 'cancelled'), 'some step was cancelled');
  });

  test('fullRefresh rebuilds an incremental model that a plain run appends to', async () => {
    const rel = 'models/order_log.sql';
    writeFileSync(join(c.dir, rel), "{{ config(materialized='incremental') }}\nselect order_id, status from {{ ref('stg_orders') }}\n" +
      '{% if is_incremental() %}where order_id > (select max(order_id) - 10 from {{ this }}){% endif %}\n');
    c.clear();
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri(rel), type: 1 }] });
    await c.waitFor(GraphChangedNotification);
    const rows = async (params: Partial<MaterializeParams>) =>
      (await c.request<RunSummary>(MaterializeRequest, { selection: 'order_log', runToken: `fr-${Math.random()}`, ...params })).steps[0]!.rows;
    assert.equal((await c.request<RunSummary>(MaterializeRequest, { selection: '+order_log', runToken: 'fr0' })).status, 'success');
    assert.equal(await rows({}), 410, 'an incremental run appends the last 10 orders again');
    assert.equal(await rows({ fullRefresh: true }), 400, 'a full refresh rebuilds it');
  });
});

describe('language server in an untrusted workspace', { timeout: 60_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('jaffle_shop', { trusted: false });
  });
  after(() => c.stop());

  test('materialize is refused with a message that says why', async () => {
    await assert.rejects(
      c.request<RunSummary>(MaterializeRequest, { selection: '+customers', runToken: 'u1' } satisfies MaterializeParams),
      /Restricted Mode/,
    );
  });

  test('the graph and hovers still work, and code lenses offer no run commands', async () => {
    const g = await c.request<GraphDto>(GraphRequest, {});
    assert.equal(g.assets.length, 8);
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: c.uri('models/orders.sql') } });
    assert.deepEqual(lenses.map((l) => l.command.title), ['never materialized']);
  });
});
