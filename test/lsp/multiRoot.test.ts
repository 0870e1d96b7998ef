// A multi-root workspace as VS Code opens it: stargazer's first dbt project and its Python in one
// folder, dbt_project_2 in another. Each is indexed, their keys join into one graph, hover and
// go-to-definition cross the folder boundary, and a folder removed or added is followed. Trusted,
// a run of `+x` where x reads the other folder's model builds that folder's part first.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GraphChangedNotification, GraphRequest, MaterializeRequest, RunEventNotification, RunHistoryRequest, type RunHistoryResult } from '../../src/shared/protocol';
import type { GraphDto, RunSummary, StepEvent } from '../../src/shared/dto';
import { LspClient } from './lspClient';

interface Hover { contents: { kind: string; value: string } }
interface Location { uri: string; range: { start: { line: number } } }
interface PublishDiagnostics { uri: string; diagnostics: { message: string }[] }

function positionOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' is in the file`);
  const before = text.slice(0, i + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** A Dagster asset in the first folder that reads a dbt model of the second. */
/** A dbt exposure in the second folder reading a model of each folder. */
const exposure = "version: 2\nexposures:\n  - name: stargazer_dashboard\n    type: dashboard\n    owner:\n      name: Growth team\n    depends_on:\n      - ref('mart_gh_join')\n      - source('mart', 'mart_gh_stargazer')\n";

const report = 'from dagster import AssetKey, asset\n\n\n@asset(deps=[AssetKey(["mart", "mart_gh_join"])])\ndef stargazer_report() -> None:\n    """Weekly report on the joined stars."""\n';

describe('language server on a workspace of two folders', { timeout: 120_000 }, () => {
  let c: LspClient;
  let two: { name: string; dir: string };
  const expected = JSON.parse(readFileSync(join(__dirname, '../../seeds/stargazer/expected_graph.json'), 'utf8')) as { assets: { key: string; deps: string[] }[] };
  before(async () => {
    c = LspClient.startFolders([{ name: 'stargazer', seedPath: 'stargazer', exclude: ['dbt_project_2'] }, { name: 'project_two', seedPath: 'stargazer/dbt_project_2' }]);
    writeFileSync(join(c.folders[0]!.dir, 'assets_modern_data_stack/report.py'), report);
    two = c.folders[1]!;
    writeFileSync(join(two.dir, 'models/exposures.yml'), exposure);
    await c.initialize({ trusted: false });
  });
  after(() => c.stop());

  test('both folders are indexed and their keys join into one graph', async () => {
    const g = await c.request<GraphDto>(GraphRequest, {});
    const edges = g.assets.map((a) => [a.key, a.deps]);
    assert.deepEqual(edges, [...expected.assets.map((a) => [a.key, a.deps]), ['stargazer_dashboard', ['mart/mart_gh_join', 'mart/mart_gh_stargazer']], ['stargazer_report', ['mart/mart_gh_join']]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    assert.equal(g.assets.find((a) => a.key === 'mart/mart_gh_join')!.file, 'project_two/models/mart/mart_gh_join.sql');
    assert.equal(g.assets.find((a) => a.key === 'mart/mart_gh_stargazer')!.file, 'stargazer/dbt_project_1/models/mart/mart_gh_stargazer.sql');
    assert.deepEqual(g.diagnostics, []);
  });

  test("hover and definition on source('mart', …) in the second folder reach the model of the first", async () => {
    const uri = c.uriIn('project_two', 'models/mart/mart_gh_join.sql');
    const text = readFileSync(join(two.dir, 'models/mart/mart_gh_join.sql'), 'utf8');
    const pos = positionOf(text, "'mart_gh_stargazer'", 2);
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos });
    assert.match(h!.contents.value, /Key: `mart\/mart_gh_stargazer`/);
    assert.match(h!.contents.value, /dbt model/, 'the model the source stands for, not a source');
    const loc = await c.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: pos });
    assert.equal(loc!.uri, c.uriIn('stargazer', 'dbt_project_1/models/mart/mart_gh_stargazer.sql'));
  });

  test('definition on a Python deps entry in the first folder opens the model of the second', async () => {
    const uri = c.uriIn('stargazer', 'assets_modern_data_stack/report.py');
    const loc = await c.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: positionOf(report, 'AssetKey(["mart"', 3) });
    assert.equal(loc?.uri, c.uriIn('project_two', 'models/mart/mart_gh_join.sql'));
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(report, 'def stargazer_report') });
    assert.match(h!.contents.value, /Key: `stargazer_report`/);
  });

  test('an exposure is drawn downstream of both folders; its depends_on entries hover and go to the models', async () => {
    const g = await c.request<GraphDto>(GraphRequest, {});
    assert.equal(g.assets.find((a) => a.key === 'stargazer_dashboard')!.kind, 'exposure');
    const uri = c.uriIn('project_two', 'models/exposures.yml');
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(exposure, 'stargazer_dashboard') });
    assert.match(h!.contents.value, /dbt exposure/);
    assert.match(h!.contents.value, /Owner: Growth team/);
    const loc = await c.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: positionOf(exposure, "'mart_gh_stargazer'", 3) });
    assert.equal(loc?.uri, c.uriIn('stargazer', 'dbt_project_1/models/mart/mart_gh_stargazer.sql'));
  });

  test('a folder removed leaves the graph (its dependents say so); added back, it joins again', async () => {
    const reportUri = c.uriIn('stargazer', 'assets_modern_data_stack/report.py');
    const folder = { uri: c.uriIn('project_two', '').replace(/\/$/, ''), name: 'project_two' };
    c.clear();
    await c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    const d = await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === reportUri && p.diagnostics.length > 0);
    assert.match(d.diagnostics[0]!.message, /mart\/mart_gh_join' does not match any asset/);
    await c.waitFor(GraphChangedNotification);
    const without = await c.request<GraphDto>(GraphRequest, {});
    assert.equal(without.assets.some((a) => a.key === 'mart/mart_gh_join'), false);
    assert.ok(without.assets.every((a) => !a.file.startsWith('stargazer/')), 'one folder left: files are relative to it again');
    c.clear();
    await c.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    await c.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === reportUri && p.diagnostics.length === 0);
    const back = await c.request<GraphDto>(GraphRequest, {});
    assert.deepEqual(back.assets.find((a) => a.key === 'stargazer_report')!.deps, ['mart/mart_gh_join']);
  });
});

describe('a run across the two folders (trusted)', { timeout: 120_000 }, () => {
  let c: LspClient;
  before(async () => {
    c = LspClient.startFolders([{ name: 'stargazer', seedPath: 'stargazer', exclude: ['dbt_project_2'] }, { name: 'project_two', seedPath: 'stargazer/dbt_project_2' }]);
    // As in a repository of both projects: their profiles name one warehouse file.
    const warehouse = join(c.folders[0]!.dir, 'warehouse.duckdb');
    for (const profile of [join(c.folders[0]!.dir, 'dbt_project_1/profiles.yml'), join(c.folders[1]!.dir, 'profiles.yml')]) {
      writeFileSync(profile, readFileSync(profile, 'utf8').replace("path: '../warehouse.duckdb'", `path: '${warehouse}'`));
    }
    await c.initialize({ trusted: true });
  });
  after(() => c.stop());

  test("+mart_gh_join builds the first folder's part, then the second's; progress counts them as one run", async () => {
    c.clear();
    const summary = await c.request<RunSummary>(MaterializeRequest, { selection: '+mart/mart_gh_join', runToken: 'x1' });
    assert.equal(summary.status, 'success', summary.error);
    assert.ok(summary.steps.every((s) => s.status === 'success'), JSON.stringify(summary.steps));
    // The first folder's five steps, then the second folder's two.
    assert.deepEqual(summary.steps.slice(0, 5).map((s) => s.key).sort(), [
      'mart/mart_gh_stargazer', 'postgres/stargazers', 'postgres/stargazers_user', 'staging/stg_gh_stargazers', 'staging/stg_gh_users']);
    assert.deepEqual(summary.steps.slice(5).map((s) => s.key), ['mart/mart_gh_cumulative', 'mart/mart_gh_join']);
    const done = c.received.filter((n) => n.method === RunEventNotification).map((n) => n.params as StepEvent).filter((e) => e.status === 'success');
    assert.deepEqual(done.map((e) => e.total), Array(7).fill(7));
    assert.deepEqual(done.map((e) => e.index).sort(), [0, 1, 2, 3, 4, 5, 6]);
    // Each folder keeps its part in its run history.
    const { runs } = await c.request<RunHistoryResult>(RunHistoryRequest, {});
    assert.deepEqual(runs.map((r) => [r.selection, r.steps.length]).sort(), [
      ['+mart/mart_gh_join (part 1 of 2, in stargazer)', 5], ['+mart/mart_gh_join (part 2 of 2, in project_two)', 2]]);
  });

  test("a failure in the first folder's part skips the second's, saying why", async () => {
    const path = join(c.folders[0]!.dir, 'dbt_project_1/models/mart/mart_gh_stargazer.sql');
    writeFileSync(path, readFileSync(path, 'utf8') + '\nwhere no_such_column = 1\n');
    c.clear();
    await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: c.uriIn('stargazer', 'dbt_project_1/models/mart/mart_gh_stargazer.sql'), type: 2 }] });
    await c.waitFor(GraphChangedNotification);
    const summary = await c.request<RunSummary>(MaterializeRequest, { selection: '+mart/mart_gh_join', runToken: 'x2' });
    assert.equal(summary.status, 'failed');
    assert.match(summary.error ?? '', /mart_gh_stargazer/);
    const step = (key: string) => summary.steps.find((s) => s.key === key)!;
    assert.equal(step('mart/mart_gh_stargazer').status, 'failed');
    assert.equal(step('mart/mart_gh_join').status, 'skipped');
    assert.match(step('mart/mart_gh_join').note ?? '', /the part of this run in stargazer failed/);
  });
});
