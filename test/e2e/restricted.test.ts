// Restricted mode in a real VS Code: workspace trust is on and the user answers "No" to "Do you
// trust the authors?". Asset Lens declares limited support: the graph still shows, and
// Materialize Upstream explains why it does not run instead of running SQL.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeSession, openSession, type Session } from './support/session';
import { stepTimeout, type Workbench } from './support/workbench';
import { expectLineage, step } from './support/userPath';

describe('jaffle_shop in an untrusted folder (restricted mode)', { timeout: 15 * 60_000 }, () => {
  let session: Session | undefined;
  const wb = (): Workbench => {
    if (!session) throw new Error('no session: code-server or Chromium did not start');
    return session.workbench;
  };

  before(async () => {
    session = await openSession({
      name: 'restricted', shotPrefix: 'restricted-', seed: 'jaffle_shop',
      extension: { kind: 'development' }, workspaceTrust: true,
    });
  }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));

  test('the folder opens untrusted, in restricted mode', () => step(wb(), 'trust', async (w) => {
    // A normal window asks "Do you trust the authors?" (the user says No); an extension
    // development window skips the question and opens untrusted straight away.
    const dialog = w.page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' });
    const banner = w.page.locator('.part.banner', { hasText: 'Restricted Mode' });
    await dialog.or(banner).first().waitFor({ timeout: stepTimeout });
    if (await dialog.isVisible()) {
      await dialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click();
      await dialog.waitFor({ state: 'hidden', timeout: stepTimeout });
    }
    await w.waitForWorkbench();
    await banner.waitFor({ timeout: stepTimeout });
    await w.page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor({ timeout: stepTimeout });
  }));

  test('the lineage still shows the 8 assets', () => step(wb(), 'lineage', async (w) => {
    await w.runCommand('Asset Lens: Show Lineage');
    const names = await expectLineage(w);
    assert.equal(names.length, 8);
    await w.screenshot('panel');
  }));

  test('Materialize Upstream says it cannot run in restricted mode and runs nothing', (t) => step(wb(), 'materialize', async (w) => {
    await w.openFileFromExplorer('models/customers.sql');
    await w.recordNotifications();
    await w.editorContextMenu(/Materialize Upstream/);
    const message = await w.waitForNotification(/trust|restricted/);
    t.diagnostic(`notification: ${message}`);
    await w.screenshot('materialize');
    // Nothing ran: no warehouse was created in the workspace.
    const workspace = session?.workspace ?? '';
    const duckdbFiles = [workspace, join(workspace, '.assetlens')]
      .filter((d) => existsSync(d))
      .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.duckdb')));
    assert.deepEqual(duckdbFiles, [], 'no DuckDB file is written in restricted mode');
  }));

  test('Show Compiled SQL says why it does not render in restricted mode, and opens no editor', (t) => step(wb(), 'compiled', async (w) => {
    await w.openFileFromExplorer('models/orders.sql');
    await w.recordNotifications();
    await w.editorContextMenu(/Show Compiled SQL/);
    const message = await w.waitForNotification(/compiled SQL is not shown in Restricted Mode.*macros/);
    t.diagnostic(`notification: ${message}`);
    await w.screenshot('compiled');
    assert.equal(await w.page.locator('.tab', { hasText: '(compiled)' }).count(), 0, 'no compiled SQL editor');
  }));
});
