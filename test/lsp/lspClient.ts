// A minimal LSP client for the server tests: spawns `node dist/server.js --stdio` on a copy of a
// sample workspace, speaks JSON-RPC over its stdio, and lets a test wait for notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const repo = resolve(__dirname, '../..');

interface Waiter { readonly method: string; readonly match: (p: unknown) => boolean; readonly resolve: (p: unknown) => void }

export class LspClient {
  readonly received: { method: string; params: unknown }[] = [];
  private waiters: Waiter[] = [];
  stderr = '';

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
    const proc = spawn(process.execPath, [join(repo, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const rpc = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    rpc.listen();
    return new LspClient(dir, proc, rpc);
  }

  uri(rel: string): string {
    return pathToFileURL(join(this.dir, rel)).href;
  }

  async initialize(options: { trusted: boolean; warehouse?: string; threads?: number; automation?: boolean }): Promise<unknown> {
    const result = await this.rpc.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(this.dir).href,
      workspaceFolders: [{ uri: pathToFileURL(this.dir).href, name: 'jaffle_shop' }],
      capabilities: { workspace: { codeLens: { refreshSupport: true } } },
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

  async stop(): Promise<void> {
    try {
      await Promise.race([this.rpc.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.rpc.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below ends it either way.
    }
    this.rpc.dispose();
    this.proc.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
