// Show Compiled SQL and the Runs view in a real VS Code (code-server + Chromium), on jaffle_shop:
// a user reads the SQL a model would run, materializes, browses the run history, and follows the
// hover's "Show run" link to the run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { closeSession, openSession, type Session } from './support/session';
import { exact, stepTimeout, type Workbench } from './support/workbench';
import { step } from './support/userPath';

const repo = resolve(__dirname, '../..');

describe('jaffle_shop in VS Code: compiled SQL and run history', { timeout: 15 * 60_000 }, () => {
  let session: Session | undefined;
  const wb = (): Workbench => {
    if (!session) throw new Error('no session: code-server or Chromium did not start');
    return session.workbench;
  };
  /** The Runs view (a tab of the bottom panel, "Asset Runs"), and one of its rows by its label. */
  const runsView = (w: Workbench): Locator => w.page.locator('.part.panel .pane', { has: w.page.locator('.monaco-list') });
  const row = (w: Workbench, label: string): Locator =>
    runsView(w).locator('.monaco-list-row', { has: w.page.locator('.label-name', { hasText: exact(label) }) }).first();

  before(async () => {
    session = await openSession({ name: 'surfaces', shotPrefix: 'surfaces-', seed: 'jaffle_shop', extension: { kind: 'development' } });
  }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));

  test('Show Compiled SQL opens the rendered model beside, with refs as relations', () => step(wb(), 'compiled', async (w) => {
    await w.waitForWorkbench();
    await w.openFileFromExplorer('models/orders.sql');
    await w.editorContextMenu(/Show Compiled SQL/);
    await w.page.locator('.tab.active', { hasText: 'orders (compiled).sql' }).waitFor({ timeout: stepTimeout });
    const editor = w.activeEditor();
    await editor.locator('.view-line', { hasText: 'stg_payments' }).first().waitFor({ timeout: stepTimeout });
    const text = (await editor.locator('.view-line').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    assert.match(text, /select \* from "main"\."stg_orders"/, text);
    assert.match(text, /select \* from "main"\."stg_payments"/, text);
    assert.match(text, /sum\(case when payment_method = 'credit_card' then amount else 0 end\) as credit_card_amount/, text);
    assert.doesNotMatch(text, /\{\{|\{%/, 'no Jinja is left');
    assert.equal(await w.page.locator('.editor-group-container').count(), 2, 'the compiled SQL opens beside the model');
    await w.screenshot('compiled-sql');
  }));

  test('Show Compiled SQL again after an edit updates the same editor', () => step(wb(), 'compiled-again', async (w) => {
    await w.page.locator('.tab', { hasText: /^\s*orders\.sql/ }).first().click();
    await w.activeEditor().locator('.view-line').first().click();
    await w.page.keyboard.press('Control+Home');
    await w.page.keyboard.type('-- edited {{ "after" }} the first look\n');
    const edited = w.page.locator('.editor-group-container .monaco-editor .view-line', { hasText: '-- edited after the first look' });
    // The server relinks shortly after a keystroke: ask again until the compiled SQL has the edit.
    for (let attempt = 0; attempt < 5 && !(await edited.count()); attempt++) {
      await w.editorContextMenu(/Show Compiled SQL/);
      await edited.first().waitFor({ timeout: 3_000 }).catch(() => undefined);
    }
    await edited.first().waitFor({ timeout: stepTimeout });
    assert.equal(await w.page.locator('.tab', { hasText: 'orders (compiled).sql' }).count(), 1, 'one compiled editor, updated in place');
    await w.screenshot('compiled-sql-again');
    await w.page.locator('.tab', { hasText: /^\s*orders\.sql/ }).first().click();
    await w.runCommand('File: Revert File');
    await w.runCommand('View: Close All Editor Groups');
  }));

  test('after Materialize Upstream the Runs view lists the run and its steps with status and rows; a step opens its asset', () => step(wb(), 'runs', async (w) => {
    await w.openFileFromExplorer('models/customers.sql');
    await w.editorContextMenu(/Materialize Upstream/);
    await w.runCommand('Asset Lens: Show Runs');
    const run = row(w, '+customers');
    await run.locator('.label-description', { hasText: /^success · user · / }).waitFor({ timeout: 3 * stepTimeout });
    if ((await run.getAttribute('aria-expanded')) !== 'true') await run.click();
    for (const [key, rows] of [['raw_customers', 200], ['stg_orders', 400], ['customers', 200]] as const) {
      const description = await row(w, key).locator('.label-description').innerText({ timeout: stepTimeout });
      assert.match(description, new RegExp(`^success · ${rows} rows · \\d+ ms$`), `${key}: ${description}`);
    }
    assert.equal(await runsView(w).locator('.monaco-list-row[aria-level="2"]').count(), 7, 'seven steps');
    await w.page.locator('.part.panel .composite-bar .action-item.checked', { hasText: /Asset Runs/i }).waitFor({ timeout: stepTimeout });
    await w.screenshot('runs');
    // Clicking a step opens the asset's definition.
    await row(w, 'stg_orders').click();
    await w.page.locator('.tab.active', { hasText: 'stg_orders.sql' }).waitFor({ timeout: stepTimeout });
  }));

  test("the hover's Show run link reveals the asset's step in the Runs view", () => step(wb(), 'hover-link', async (w) => {
    // Collapsed and unselected first, so only the link can expand the run and select the step.
    const run = row(w, '+customers');
    if ((await run.getAttribute('aria-expanded')) === 'true') await run.click();
    await runsView(w).locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'detached', timeout: stepTimeout });
    await w.openFileFromExplorer('models/customers.sql');
    const hover = await w.hoverOverText("ref('stg_customers')", /Show run/);
    await hover.locator('a', { hasText: 'Show run' }).click();
    const selected = runsView(w).locator('.monaco-list-row.selected');
    await selected.filter({ hasText: 'stg_customers' }).waitFor({ timeout: stepTimeout });
    await w.screenshot('hover-show-run');
  }));

  test("clicking the code lens's run summary reveals the asset's step in the Runs view", () => step(wb(), 'lens-link', async (w) => {
    const run = row(w, '+customers');
    if ((await run.getAttribute('aria-expanded')) === 'true') await run.click();
    await runsView(w).locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'detached', timeout: stepTimeout });
    await w.openFileFromExplorer('models/customers.sql');
    await w.page.locator('.codelens-decoration a', { hasText: /^✓ .*200 rows/ }).first().click();
    await runsView(w).locator('.monaco-list-row.selected').filter({ hasText: /^\s*customers/ }).waitFor({ timeout: stepTimeout });
    await w.screenshot('lens-show-run');
  }));

  test('a run of the CLI in a terminal shows in the Runs view; its refresh button re-reads the history', () => step(wb(), 'cli-run', async (w) => {
    const cli = spawnSync(process.execPath, [join(repo, 'bin/asset-lens.js'), 'materialize', session!.workspace, '--select', 'stg_orders'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    await w.page.locator('.part.panel .title-actions .action-label[aria-label="Asset Lens: Refresh Runs"]').click();
    const cliRun = runsView(w).locator('.monaco-list-row[aria-level="1"]').first();
    await cliRun.filter({ hasText: 'stg_orders' }).locator('.label-description', { hasText: /^success · user · / }).waitFor({ timeout: stepTimeout });
    assert.equal(await row(w, '+customers').count(), 1, 'the earlier run is still listed');
    await w.screenshot('runs-cli');
  }));

  test('Asset Lens: Cancel Run stops a long model within seconds; the run reads cancelled', () => step(wb(), 'cancel-run', async (w) => {
    // Ten billion products: minutes of work unless it is interrupted.
    writeFileSync(join(session!.workspace, 'models/slow.sql'), 'select sum(a.range * b.range) as total from range(100000) a, range(100000) b\n');
    await w.openFileFromExplorer('models/slow.sql');
    await w.page.locator('.codelens-decoration a', { hasText: /^Materialize$/ }).first().click();
    const running = w.page.locator('.part.statusbar .statusbar-item', { hasText: /slow/ });
    await running.waitFor({ timeout: stepTimeout });
    await w.screenshot('cancel-running');
    await w.runCommand('Asset Lens: Cancel Run');
    await running.waitFor({ state: 'detached', timeout: stepTimeout });
    await w.showOutputChannel('Asset Lens');
    // Monaco renders the output's spaces as no-break spaces.
    await w.waitForOutput(/^slow:\s0\ssucceeded,\s1\scancelled/);
    await w.screenshot('cancel-run');
  }));
});
