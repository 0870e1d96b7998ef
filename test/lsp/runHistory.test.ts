// The run history request as the Runs view uses it: spawn dist/server.js on a copy of a sample,
// run things, and read the history back a page at a time. Run `node scripts/build.mjs` first.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import type { BackfillResult, RunHistoryResult } from '../../src/shared/protocol';
import type { RunSummary } from '../../src/shared/dto';
import { BackfillRequest, GraphChangedNotification, MaterializeRequest, RunHistoryRequest } from '../../src/shared/protocol';
import { LspClient } from './lspClient';

describe('run history (jaffle_shop)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = await LspClient.started('jaffle_shop', { trusted: true });
  });
  after(() => c.stop());
  const history = (params: object = {}) => c.request<RunHistoryResult>(RunHistoryRequest, params);

  test('is empty before anything ran, and reading it creates no store', async () => {
    assert.deepEqual(await history(), { runs: [], more: false });
    assert.equal(existsSync(join(c.dir, '.assetlens')), false);
  });

  test('lists runs newest first with what started them and each step with status, rows and ms', async () => {
    const ok = await c.request<RunSummary>(MaterializeRequest, { selection: '+customers', runToken: 'h1' });
    assert.equal(ok.status, 'success');
    const path = join(c.dir, 'models/staging/stg_orders.sql');
    writeFileSync(path, readFileSync(path, 'utf8').replace('status', 'no_such_status'));
    c.clear();
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uri('models/staging/stg_orders.sql'), type: 2 }] });
    await c.waitFor(GraphChangedNotification);
    const bad = await c.request<RunSummary>(MaterializeRequest, { selection: 'stg_orders+', runToken: 'h2' });
    assert.equal(bad.status, 'failed');

    const { runs, more } = await history();
    assert.equal(more, false);
    assert.deepEqual(runs.map((r) => [r.runId, r.selection, r.status, r.trigger]), [[bad.runId, 'stg_orders+', 'failed', 'user'], [ok.runId, '+customers', 'success', 'user']]);
    const [failed, done] = runs as [RunHistoryResult['runs'][number], RunHistoryResult['runs'][number]];
    assert.match(failed.error ?? '', /stg_orders failed/);
    const step = (key: string) => failed.steps.find((s) => s.key === key);
    assert.equal(step('stg_orders')?.status, 'failed');
    assert.match(step('stg_orders')?.error ?? '', /models\/staging\/stg_orders\.sql: .*no_such_status/);
    // The line the Runs view opens the model at, kept in the store (so it survives a restart).
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(step('stg_orders')?.errorLine, lines.findIndex((l) => l.includes('no_such_status')) + 1);
    assert.equal(step('customers')?.status, 'skipped');
    assert.match(step('customers')?.note ?? '', /upstream stg_orders failed/);
    assert.equal(done.steps.length, 7);
    assert.ok(done.steps.every((s) => s.status === 'success' && s.rows !== undefined && s.durationMs >= 0), JSON.stringify(done.steps));
    assert.equal(done.steps.find((s) => s.key === 'customers')?.rows, 200);
    assert.equal(done.steps.at(-1)?.key, 'customers', 'steps in the order they started: the target last');
    assert.ok(done.durationMs !== undefined && done.durationMs >= 0);
  });

  test('pages: a limit cuts the newest runs, `before` gives the older ones', async () => {
    const first = await history({ limit: 1 });
    assert.equal(first.runs.length, 1);
    assert.equal(first.runs[0]!.selection, 'stg_orders+');
    assert.equal(first.more, true);
    const second = await history({ limit: 1, before: first.runs[0]!.startedAt });
    assert.deepEqual(second.runs.map((r) => r.selection), ['+customers']);
    assert.equal(second.more, false);
    await assert.rejects(history({ limit: 0 }), /positive integer/);
  });

  test("the hover links to the asset's last run in the Runs view", async () => {
    const last = (await history()).runs.find((r) => r.steps.some((s) => s.key === 'stg_customers'))!;
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: c.uri('models/staging/stg_customers.sql') }, position: { line: 0, character: 0 } });
    const md = (h?.contents as { value: string } | undefined)?.value ?? '';
    const link = /\[Show run\]\(command:assetLens\.showRuns\?([^ )]+)/.exec(md);
    assert.ok(link, `a Show run link in:\n${md}`);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1]!)), [{ runId: last.runId, key: 'stg_customers' }]);
  });
});

describe('run history of a backfill (weather_course)', { timeout: 120_000 }, () => {
  test('each partition is a run started by the backfill, with its partition on the run and the step', async () => {
    const c = LspClient.start('weather_course');
    try {
      await c.initialize({ trusted: true });
      const r = await c.request<BackfillResult>(BackfillRequest, { selection: 'daily_weather_raw', from: '2024-01-01', to: '2024-01-02', runToken: 'b1' });
      assert.equal(r.status, 'success');
      const { runs } = await c.request<RunHistoryResult>(RunHistoryRequest, {});
      assert.deepEqual(runs.map((x) => [x.trigger, x.partition, x.status]), [['backfill', '2024-01-02', 'success'], ['backfill', '2024-01-01', 'success']]);
      assert.deepEqual(runs.map((x) => x.steps.map((s) => [s.key, s.partition])), [[['daily_weather_raw', '2024-01-02']], [['daily_weather_raw', '2024-01-01']]]);
    } finally {
      await c.stop();
    }
  });
});
