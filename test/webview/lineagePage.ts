// The harness of the lineage webview tests: builds the bundle, serves the page that the extension's
// own lineageHtml() writes (its strict CSP, one nonce script), and drives headless Chromium with a
// fake VS Code host that records what the page posts. Fixtures are a jaffle-shop-like project.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Module from 'node:module';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { AssetDto, GraphDto, MaterializationDto, StepEvent } from '../../src/shared/dto';
import type { HostToWebview, WebviewToHost } from '../../src/shared/webviewProtocol';
import type * as LineageModule from '../../src/extension/lineageView';

const root = resolve(__dirname, '../..');
export const shots = join(root, 'test-results', 'webview');
let lineage: typeof LineageModule;
let server: Server;
let origin = '';
let context: BrowserContext;
let userDataDir = '';

export const asset = (key: string, kind: AssetDto['kind'], deps: string[] = []): AssetDto => ({ key, kind, file: `models/${key}.sql`, line: 1, deps });
export const JAFFLE: GraphDto = {
  assets: [
    asset('raw_customers', 'seed'), asset('raw_orders', 'seed'), asset('raw_payments', 'seed'),
    asset('stg_customers', 'model', ['raw_customers']), asset('stg_orders', 'model', ['raw_orders']),
    asset('stg_payments', 'model', ['raw_payments']),
    asset('customers', 'model', ['stg_customers', 'stg_orders', 'stg_payments']),
    asset('orders', 'model', ['stg_orders', 'stg_payments']),
  ],
  diagnostics: [],
};
export const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();
const done = (key: string, rows: number, extra: Partial<MaterializationDto> = {}): MaterializationDto =>
  ({ key, runId: 'r1', status: 'success', startedAt: minutesAgo(12), durationMs: 40, rows, ...extra });
export const STATUS: MaterializationDto[] = [
  done('raw_customers', 100), done('raw_orders', 99), done('raw_payments', 113),
  done('stg_customers', 100), done('stg_orders', 99),
  done('customers', 100, { checks: [{ name: 'unique_customer_id', status: 'fail', failingRows: 2 }] }),
  { key: 'orders', runId: 'r1', status: 'failed', startedAt: minutesAgo(3), durationMs: 5, error: 'Binder Error: column "amount" not found' },
];
export const running: StepEvent = { runId: 'r2', key: 'stg_payments', status: 'running', index: 0, total: 1 };

// The extension file imports `vscode`, which exists only inside VS Code: hand it the little it uses.
const vscodeStub = {
  Uri: { joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join('/').replace(/\/+/g, '/') }) },
  Disposable: class { constructor(private readonly fn: () => void) {} dispose(): void { this.fn(); } },
  env: { clipboard: { writeText: async (): Promise<void> => undefined } },
  window: { setStatusBarMessage: () => ({ dispose: () => undefined }) },
};

function stubVscode(): void {
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = (request, ...rest) => (request === 'vscode' ? vscodeStub : load(request, ...rest));
}

function buildBundle(): void {
  const full = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (full.status === 0) return;
  // Other layers may not build yet; the webview bundle alone is all this test needs.
  const one = (entry: string, out: string): string => `require('esbuild').build({ bundle: true, platform: 'browser', target: 'chrome114', format: 'iife', sourcemap: true, entryPoints: ['${entry}'], outfile: '${out}', logLevel: 'error' })`;
  const script = `Promise.all([${one('src/webview/main.ts', 'dist/webview.js')}, ${one('src/webview/layoutWorker.ts', 'dist/layoutWorker.js')}]).catch(() => process.exit(1))`;
  const solo = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(solo.status, 0, `webview bundle failed to build:\n${solo.stderr}`);
}

function serve(): Promise<void> {
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': ['dist/webview.js', 'text/javascript'],
    '/dist/layoutWorker.js': ['dist/layoutWorker.js', 'text/javascript'],
    '/media/lineage.css': ['media/lineage.css', 'text/css'],
  };
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const webview = { cspSource: origin, asWebviewUri: (u: { path: string }) => new URL(u.path, origin) };
    const file = files[path];
    if (path === '/favicon.ico') res.writeHead(204).end();
    else if (path === '/') {
      const placement = new URL(req.url ?? '/', origin).searchParams.get('placement') === 'sidebar' ? 'sidebar' : 'editor';
      res.writeHead(200, { 'content-type': 'text/html' }).end(lineage.lineageHtml(webview as never, { path: '/' } as never, placement));
    }
    else if (file) res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(join(root, file[0])));
    else res.writeHead(404).end();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    ok();
  }));
}

const DARK = { '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc', '--vscode-editorWidget-background': '#252526', '--vscode-editorWidget-border': '#454545', '--vscode-focusBorder': '#0078d4', '--vscode-descriptionForeground': '#9d9d9d' };
export const LIGHT = { '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#c8c8c8', '--vscode-focusBorder': '#005fb8', '--vscode-descriptionForeground': '#616161', '--vscode-input-background': '#ffffff', '--vscode-input-border': '#cecece', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-testing-iconPassed': '#388a34', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-charts-blue': '#1a85ff', '--vscode-menu-background': '#ffffff', '--vscode-menu-foreground': '#3b3b3b', '--vscode-disabledForeground': '#8b8b8b' };

const FAKE_HOST = `
window.__posted = [];
window.__violations = [];
let acquired = false;
window.acquireVsCodeApi = function () {
  if (acquired) throw new Error('acquireVsCodeApi may only be called once');
  acquired = true;
  return {
    postMessage(m) { window.__posted.push(JSON.parse(JSON.stringify(m))); if (window.__toHost) window.__toHost(m); },
    getState() { return window.__state; },
    setState(s) { window.__state = s; },
  };
};
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
`;

export interface Harness { readonly page: Page; readonly dialogs: string[]; readonly errors: string[] }
export interface PageOptions {
  readonly savedState?: unknown;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly theme?: Record<string, string>;
  /** Also receives every message the page posts. */
  readonly toHost?: (m: WebviewToHost) => void;
  /** Runs once the page exists, before it loads. */
  readonly beforeLoad?: (page: Page) => void;
  /** Where the host says the view is shown; the side bar starts in focus mode. */
  readonly placement?: 'sidebar' | 'editor';
}

/** Opens the page with a fake host and waits for its `ready`. */
export async function openPage(options: PageOptions = {}): Promise<Harness> {
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  options.beforeLoad?.(page);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  if (options.toHost) await page.exposeFunction('__toHost', options.toHost);
  // VS Code defines acquireVsCodeApi outside the page's CSP; an init script is the same. It is a
  // string because tsx would wrap a function's inner names in a helper the page does not have.
  await page.addInitScript(`${FAKE_HOST}\nwindow.__state = ${JSON.stringify(options.savedState ?? null)} ?? undefined;`);
  await page.goto(`${origin}/${options.placement === 'sidebar' ? '?placement=sidebar' : ''}`);
  await page.evaluate((vars) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.style.backgroundColor = vars['--vscode-editor-background'] ?? '';
  }, options.theme ?? DARK);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'))
    .catch((e: Error) => { throw new Error(`the page never said ready: ${errors.join('; ') || e.message}`); });
  return { page, dialogs, errors };
}

export const send = (page: Page, message: HostToWebview): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);
export const posted = (page: Page): Promise<WebviewToHost[]> => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
export const cspViolations = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
export const statusOf = (page: Page, key: string): Promise<string | null> => page.locator(`g.node[data-key="${key}"] .node-status`).textContent();

export async function showJaffle(page: Page, withStatus = true): Promise<void> {
  await send(page, { type: 'graph', graph: JAFFLE });
  await page.waitForSelector('g.node[data-key="orders"]');
  if (withStatus) {
    await send(page, { type: 'status', materializations: STATUS });
    await page.waitForFunction(() => document.querySelector('g.node[data-key="orders"] .node-status')?.textContent === 'failed');
  }
}

export async function assertNoOverlaps(page: Page): Promise<void> {
  const boxes = await page.locator('g.node .node-box').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    assert.ok(apart, `nodes overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
  }));
}

/** `chromiumArgs`: extra flags, e.g. the benchmark's to lift the 60 Hz frame cap. */
export async function startHarness(chromiumArgs: readonly string[] = []): Promise<void> {
  stubVscode();
  lineage = await import('../../src/extension/lineageView');
  buildBundle();
  mkdirSync(shots, { recursive: true });
  await serve();
  userDataDir = mkdtempSync(join(tmpdir(), 'asset-lens-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1180, height: 560 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...chromiumArgs],
  });
}

export async function stopHarness(): Promise<void> {
  await context?.close();
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
}

/** The extension's lineage module, loaded by startHarness with `vscode` stubbed. */
export function lineageModule(): typeof LineageModule {
  return lineage;
}
