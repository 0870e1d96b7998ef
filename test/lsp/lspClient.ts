// A minimal LSP client for the server tests: spawns `node dist/server.js --stdio` on a copy of a
// sample workspace, speaks JSON-RPC over its stdio, and lets a test wait for notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const repo = resolve(__dirname, '../..');

/** What the client tells the server at `initialize` (the extension's settings and workspace trust). */
export interface InitOptions { readonly trusted: boolean; readonly warehouse?: string; readonly threads?: number; readonly automation?: boolean }

interface Waiter { readonly method: string; readonly match: (p: unknown) => boolean; readonly resolve: (p: unknown) => void }

export class LspClient {
  readonly received: { method: string; params: unknown }[] = [];
  private waiters: Waiter[] = [];
  stderr = '';

  /** Further workspace folders (multi-root), each `{ name, dir }`; `dir` is the first. */
  readonly folders: { name: string; dir: string }[] = [];

  private constructor(readonly dir: string, private readonly proc: ChildProcess, readonly rpc: MessageConnection) {
    rpc.onNotification((method: string, params: unknown) => {
      this.received.push({ method, params });
      for (const w of [...this.waiters]) if (w.method === method && w.match(params)) { this.waiters = this.waiters.filter((x) => x !== w); w.resolve(params); }
    });
    // The server asks for code lens refreshes; a real client answers them, so this one does too.
    rpc.onRequest(() => null);
    proc.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
  }

  /** Copies `seeds/<seed>` to a temp folder and starts a server on it (not yet initialized). */
  static start(seed: string): LspClient {
    const dir = mkdtempSync(join(tmpdir(), `asset-lens-lsp-${seed}-`));
    cpSync(join(repo, 'seeds', seed), dir, { recursive: true });
    return LspClient.spawn(dir);
  }

  /** `start` and `initialize` in one: a server on a copy of `seeds/<seed>`, ready for requests. */
  static async started(seed: string, options: InitOptions): Promise<LspClient> {
    const c = LspClient.start(seed);
    await c.initialize(options);
    return c;
  }

  /**
   * A multi-root workspace: each folder is a copy of a path under seeds/ (minus `exclude`, paths
   * relative to it) in a temp folder of its own; the first folder is `dir`.
   */
  static startFolders(folders: readonly { name: string; seedPath: string; exclude?: readonly string[] }[]): LspClient {
    const dirs = folders.map((f) => {
      const dir = mkdtempSync(join(tmpdir(), `asset-lens-lsp-${f.name}-`));
      const from = join(repo, 'seeds', f.seedPath);
      cpSync(from, dir, { recursive: true, filter: (src) => !(f.exclude ?? []).some((x) => src === join(from, x) || src.startsWith(join(from, x) + '/')) });
      return { name: f.name, dir };
    });
    const c = LspClient.spawn(dirs[0]!.dir);
    c.folders.push(...dirs);
    return c;
  }

  /** Stops this server, keeping its folder, and starts a new one on it (not yet initialized): a restart of the editor. */
  async restart(): Promise<LspClient> {
    await this.stop({ keepFolders: true });
    const c = LspClient.spawn(this.dir);
    c.folders.push(...this.folders);
    return c;
  }

  private static spawn(dir: string): LspClient {
    const proc = spawn(process.execPath, [join(repo, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const rpc = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    rpc.listen();
    return new LspClient(dir, proc, rpc);
  }

  uri(rel: string): string {
    return pathToFileURL(join(this.dir, rel)).href;
  }

  /** The URI of a file in the multi-root folder named `folder`. */
  uriIn(folder: string, rel: string): string {
    const f = this.folders.find((x) => x.name === folder);
    if (!f) throw new Error(`no folder ${folder}`);
    return pathToFileURL(join(f.dir, rel)).href;
  }

  async initialize(options: InitOptions): Promise<unknown> {
    const result = await this.rpc.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(this.dir).href,
      workspaceFolders: this.folders.length ? this.folders.map((f) => ({ uri: pathToFileURL(f.dir).href, name: f.name })) : [{ uri: pathToFileURL(this.dir).href, name: 'jaffle_shop' }],
      capabilities: { workspace: { codeLens: { refreshSupport: true }, workspaceFolders: true } },
      initializationOptions: { warehouse: '.assetlens/warehouse.duckdb', threads: 2, ...options },
    });
    await this.rpc.sendNotification('initialized', {});
    return result;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.rpc.sendRequest(method, params) as Promise<T>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.rpc.sendNotification(method, params);
  }

  /** Resolves with the first notification (already received or future) that matches. */
  waitFor<T>(method: string, match: (p: T) => boolean = () => true, timeoutMs = 20_000): Promise<T> {
    const seen = this.received.find((n) => n.method === method && match(n.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} notification matched within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ method, match: (p) => match(p as T), resolve: (p) => { clearTimeout(timer); resolvePromise(p as T); } });
    });
  }

  /** Forgets notifications received so far, so the next waitFor sees only new ones. */
  clear(): void {
    this.received.length = 0;
  }

  async stop(options: { keepFolders?: boolean } = {}): Promise<void> {
    try {
      await Promise.race([this.rpc.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.rpc.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below ends it either way.
    }
    this.rpc.dispose();
    this.proc.kill();
    if (options.keepFolders) return;
    for (const d of new Set([this.dir, ...this.folders.map((f) => f.dir)])) rmSync(d, { recursive: true, force: true });
  }
}
