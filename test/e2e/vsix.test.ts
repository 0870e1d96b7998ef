// What users install: `npm run package` builds dist/asset-lens.vsix, code-server installs it with
// --install-extension, and the installed extension shows the lineage and materializes with the
// DuckDB binding it carries (no repository node_modules behind it). No smoke-test driver here,
// so notifications show as toasts, as they do for users.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from './support/paths';
import { closeSession, openSession, type Session } from './support/session';
import { stepTimeout, type Workbench } from './support/workbench';
import { expectLineage, step } from './support/userPath';

const vsix = join(repoRoot, 'dist', 'asset-lens.vsix');

describe('the packaged VSIX installed into VS Code', { timeout: 15 * 60_000 }, () => {
  let session: Session | undefined;
  const wb = (): Workbench => {
    if (!session) throw new Error('no session: packaging, install or code-server failed');
    return session.workbench;
  };

  before(async () => {
    const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(existsSync(vsix), `npm run package wrote no ${vsix}`);
    session = await openSession({ name: 'vsix', shotPrefix: 'vsix-', seed: 'jaffle_shop', extension: { kind: 'vsix', file: vsix } });
  }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));

  test('the VSIX is small enough to publish', () => {
    // The DuckDB binding is ~60 MB unpacked; code-server or dev dependencies would be far more.
    const mb = statSync(vsix).size / 1e6;
    assert.ok(mb < 80, `dist/asset-lens.vsix is ${mb.toFixed(1)} MB`);
  });

  test('the installed extension shows the 8 assets', () => step(wb(), 'lineage', async (w) => {
    await w.waitForWorkbench();
    await w.runCommand('Asset Lens: Show Lineage');
    const names = await expectLineage(w);
    assert.equal(names.length, 8);
    await w.screenshot('panel');
  }));

  test('the installed extension materializes with its bundled DuckDB', (t) => step(wb(), 'materialize', async (w) => {
    await w.openFileFromExplorer('models/customers.sql');
    await w.recordNotifications();
    await w.editorContextMenu(/Materialize Upstream/);
    t.diagnostic(`notification: ${await w.waitForNotification(/materializ/)}`);
    await w.showOutputChannel('Asset Lens');
    await w.waitForOutput(/\bcustomers\b.*\brows?\b/, 3 * stepTimeout);
    const log = await w.readOutputChannel('Asset Lens');
    assert.doesNotMatch(log, /\b(error|failed)\b/i, `no step failed:\n${log}`);
    await w.screenshot('materialized');
  }));
});
