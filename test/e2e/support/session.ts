// One e2e session: a copy of a seed project, an isolated code-server, a fresh headless Chromium
// and a Workbench page on the project. `close()` tears all of it down and keeps the logs.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { collectServerLogs, startCodeServer, type CodeServer } from './codeServer';
import { copySeedProject, ensureResultsDir, makeScratchDir, removeDir, repoRoot } from './paths';
import { Workbench } from './workbench';

export type ExtensionSource =
  /** The repository folder as a development extension (its dist/ and node_modules/). */
  | { readonly kind: 'development'; readonly path?: string }
  /** A packaged VSIX, installed with `code-server --install-extension` like a user would. */
  | { readonly kind: 'vsix'; readonly file: string };

export interface SessionOptions {
  /** Names the scratch and log folders: test-results/e2e/<name>-logs/. */
  readonly name: string;
  /** Put before every screenshot's name: test-results/e2e/<prefix><shot>.png. Default none. */
  readonly shotPrefix?: string;
  /** Seed project under seeds/ to copy and open. */
  readonly seed: string;
  readonly extension: ExtensionSource;
  /** Keep workspace trust on so the folder opens in restricted mode unless trusted. */
  readonly workspaceTrust?: boolean;
  /** Changes the copied project before VS Code opens it. */
  readonly prepare?: (workspace: string) => void;
}

export interface Session {
  readonly workbench: Workbench;
  readonly server: CodeServer;
  /** The copied project opened as the workspace folder. */
  readonly workspace: string;
  /** Stops browser and server, copies logs to test-results/e2e/<name>-logs/, removes scratch. */
  close(): Promise<void>;
}

/** Chromium flags from the recipe: no sandbox (root in CI), no GPU, nothing phoning home. */
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function openSession(options: SessionOptions): Promise<Session> {
  const scratch = makeScratchDir(options.name);
  const workspace = copySeedProject(options.seed, join(scratch, 'workspace'));
  options.prepare?.(workspace);
  const development = options.extension.kind === 'development';
  const logDir = join(ensureResultsDir(), `${options.name}-logs`);
  removeDir(logDir);
  mkdirSync(logDir, { recursive: true });

  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    if (server) {
      await server.stop();
      collectServerLogs(server, logDir);
    }
    removeDir(scratch);
  };
  try {
    server = await startCodeServer({
      stateDir: join(scratch, 'server'),
      workspaceTrust: options.workspaceTrust ?? false,
      smokeTestDriver: development,
      ...(options.extension.kind === 'vsix' ? { vsix: options.extension.file } : {}),
    });
    const profile = join(scratch, 'chromium');
    mkdirSync(profile, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 }, args: chromiumArgs,
      // Chromium writes crash reports and dconf caches under HOME: keep them in the scratch dir.
      env: { ...process.env, HOME: profile, TMPDIR: profile } as Record<string, string>,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // Browser-side errors help explain a failing step; they go to the log folder, not stdout.
    page.on('console', (m) => { if (m.type() === 'error') appendFileSync(join(logDir, 'console.log'), `${m.text()}\n`); });
    page.on('pageerror', (e) => appendFileSync(join(logDir, 'console.log'), `pageerror: ${e.message}\n`));

    const payload: [string, string][] = [];
    if (options.extension.kind === 'development') {
      payload.push(['extensionDevelopmentPath', `vscode-remote://${server.authority}${options.extension.path ?? repoRoot}`]);
    }
    const url = `${server.baseUrl}/?folder=${encodeURIComponent(workspace)}` +
      (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
    await page.goto(url);
    const workbench = new Workbench(page, options.shotPrefix ?? '', development);
    return { workbench, server, workspace, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function closeSession(session: Session | undefined): Promise<void> {
  await session?.close();
}

/**
 * For a describe block: opens the session before its tests (cold code-server installs take
 * minutes, once per machine) and closes it after. `wb()` is the workbench, `session()` the rest.
 */
export function suiteSession(options: SessionOptions): { wb: () => Workbench; session: () => Session } {
  let session: Session | undefined;
  const current = (): Session => {
    if (!session) throw new Error('no session: code-server or Chromium did not start');
    return session;
  };
  before(async () => { session = await openSession(options); }, { timeout: 10 * 60_000 });
  after(() => closeSession(session));
  return { wb: () => current().workbench, session: current };
}
