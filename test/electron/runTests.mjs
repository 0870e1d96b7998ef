// `npm run test:electron`: runs test/electron/suite.cjs inside a downloaded VS Code with
// @vscode/test-electron, on machines that can download VS Code (the e2e tier uses code-server).
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const workspace = join(mkdtempSync(join(tmpdir(), 'asset-lens-electron-')), 'jaffle_shop');
cpSync(join(root, 'seeds/jaffle_shop'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test/electron/suite.cjs'),
    launchArgs: [workspace, '--disable-extensions'],
  });
} catch (e) {
  console.error('in-host tests failed:', e instanceof Error ? e.message : e);
  process.exit(1);
}
