// The language server's state: the indexed folders, the status cache, runs, and the debounced
// relink that publishes diagnostics and tells the client the graph changed. No LSP wiring here
// (main.ts does that), so the pieces stay testable one by one.
import type { RunSummary } from '../shared/dto';
import type { Graph } from '../core/graph';
import { metadataFile } from '../core/warehouse';
import { captureDeps } from '../adapters/depCapture';
import { loadPythonParser, type ParsePython } from '../adapters/pythonParser';
import type { ServerConfig } from './config';
import { DiagnosticsPublisher, type Publish } from './diagnostics';
import { Runs, type RunHooks } from './runs';
import { StatusCache } from './status';
import { Workspace, type Folder, type Located } from './workspace';
import { messageOf } from './result';
import { join } from 'node:path';
import { MetadataStore } from '../adapters/metadataStore';
import { isObservedFile, observeSources } from '../adapters/observe';
import { ServerAutomation } from './automation';

export interface ServerHooks extends Omit<RunHooks, 'showFailures'> {
  readonly publishDiagnostics: Publish;
  /** The graph of some folder changed (after the debounce). */
  readonly onGraphChanged: () => void;
  readonly log: (message: string) => void;
  /** A run automation started has finished (its steps went to onEvent meanwhile). */
  readonly onAutomationRun: (summary: RunSummary) => void;
}

/** Edits arrive per keystroke; relinking once after a short pause keeps typing smooth. */
const relinkDelayMs = 60;
/** Another process writes the store in bursts (one transaction per step); read it after a quiet spell. */
const storeSettleMs = 400;

export class Server {
  readonly status = new StatusCache();
  readonly runs: Runs;
  readonly automation: ServerAutomation;
  private readonly diagnostics: DiagnosticsPublisher;
  private workspace: Promise<Workspace> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastGraph: Graph | undefined;
  private readonly storeTimers = new Map<Folder, NodeJS.Timeout>();

  constructor(readonly config: ServerConfig, private readonly roots: readonly { name: string; root: string }[], private readonly hooks: ServerHooks) {
    this.diagnostics = new DiagnosticsPublisher(hooks.publishDiagnostics);
    this.runs = new Runs(this.status, {
      ...hooks,
      showFailures: (folder, rel, failures) => void this.ready().then((ws) => {
        const file = ws.fileIn(folder, rel);
        this.diagnostics.setFailures(folder.uriOf(rel), file, failures.map((f) => ({ ...f, file })));
        this.diagnostics.update(ws);
      }),
    });
    this.automation = new ServerAutomation(config, {
      log: hooks.log,
      onEvent: hooks.onEvent,
      onRunFinished: (f, summary) => {
        hooks.onAutomationRun(summary);
        void this.refreshStatus(f);
      },
    });
  }

  /** Loads every folder once; later calls share the same promise. */
  ready(): Promise<Workspace> {
    return (this.workspace ??= this.load());
  }

  private async load(): Promise<Workspace> {
    const started = Date.now();
    let parsePython: ParsePython | undefined;
    try {
      parsePython = await loadPythonParser();
    } catch (e) {
      // Without the grammar, dbt still indexes; Python assets are missing and the log says why.
      this.hooks.log(`Python files are not indexed: the parser did not load (${messageOf(e)})`);
    }
    // Rendering Jinja can run arbitrary code (nunjucks is no sandbox), so only a trusted workspace
    // renders models to find the refs the static fast path cannot see.
    const ws = Workspace.load(this.roots, { ...(parsePython ? { parsePython } : {}), ...(this.config.trusted ? { captureDeps } : {}) });
    const assets = ws.folders.reduce((n, f) => n + f.graph().assets.size, 0);
    this.hooks.log(`Indexed ${ws.folders.length} folder(s), ${assets} assets in ${Date.now() - started} ms`);
    this.scheduleRelink();
    // Failures of earlier sessions (or of the CLI) stay in the Problems panel until the asset succeeds.
    for (const folder of ws.folders) void this.runs.syncFailures(folder).catch((e: unknown) => this.hooks.log(`Reading run failures failed: ${messageOf(e)}`));
    this.hooks.log(this.automation.start(ws.folders) ?? 'Automation is on: sources are observed and eager, freshness, schedule and sensor runs start on their own.');
    return ws;
  }

  /**
   * A watched file changed: when a source stands for it, it is observed (in a trusted workspace;
   * observing writes the store) and automation, when on, ticks at once instead of within a minute.
   */
  async sourceFileChanged(uri: string): Promise<void> {
    const at = await this.locate(uri);
    if (!at || !this.config.trusted || !isObservedFile(at.folder.graph(), at.rel)) return;
    if (this.automation.running) { await this.automation.tickAll(at.folder); return; }
    try {
      const store = await MetadataStore.open(join(at.folder.root, metadataFile));
      try { await observeSources(at.folder.root, at.folder.graph(), store, Date.now()); } finally { store.close(); }
      await this.refreshStatus(at.folder);
    } catch (e) {
      this.hooks.log(`Observing ${at.rel} failed: ${messageOf(e)}`);
    }
  }

  async locate(uri: string): Promise<Located | undefined> {
    return (await this.ready()).locate(uri);
  }

  /** Applies a change to the workspace once it is loaded, then relinks after a pause if it mattered. */
  async change(apply: (ws: Workspace) => boolean): Promise<void> {
    if (apply(await this.ready())) this.scheduleRelink();
  }

  /**
   * The metadata store changed on disk. Runs of this server refresh the cache themselves; this
   * catches runs of another process (the CLI, a second window), once their writes settle.
   */
  async storeChanged(uri: string): Promise<boolean> {
    const at = await this.locate(uri);
    if (!at || (at.rel !== metadataFile && at.rel !== `${metadataFile}.wal`)) return false;
    const folder = at.folder;
    if (this.runs.isBusy(folder)) return true;
    clearTimeout(this.storeTimers.get(folder));
    this.storeTimers.set(folder, setTimeout(() => {
      this.storeTimers.delete(folder);
      void this.refreshStatus(folder);
    }, storeSettleMs));
    return true;
  }

  /** Reads a folder's store again (another process or automation wrote it) and shows what changed. */
  private async refreshStatus(folder: Folder): Promise<void> {
    await this.status.refresh(folder);
    await this.runs.syncFailures(folder);
    this.hooks.onStatusChanged();
  }

  private scheduleRelink(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.relink(); }, relinkDelayMs);
  }

  /** Relinks every folder, publishes diagnostics, and notifies when a graph is a new value. */
  private async relink(): Promise<void> {
    const ws = await this.ready();
    const graph = ws.graph();
    this.diagnostics.update(ws);
    const changed = this.lastGraph !== graph;
    this.lastGraph = graph;
    if (changed) this.hooks.onGraphChanged();
  }

  dispose(): void {
    this.automation.dispose();
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.storeTimers.values()) clearTimeout(t);
  }
}
