// The language client: starts dist/server.js, sends typed custom requests, and turns the
// server's notifications into VS Code events that outlive restarts (trust granted, settings changed).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AutomationRunNotification, GraphChangedNotification, RunEventNotification, RunWaitingNotification, StatusChangedNotification, type CustomNotifications, type CustomRequests, type RunWaitingParams } from '../shared/protocol';
import type { RunSummary, StepEvent } from '../shared/dto';
import type { Config } from './config';
import { showRuns } from './commands/showRuns';

/** Files the server reads; edits to them are sent as they are typed, other changes by the watcher. */
const documentSelector = [
  { scheme: 'file', language: 'sql' },
  { scheme: 'file', language: 'jinja-sql' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'python' },
  { scheme: 'file', pattern: '**/*.{sql,csv}' },
];

export class ServerClient implements vscode.Disposable {
  private readonly graphChanged = new vscode.EventEmitter<void>();
  private readonly statusChanged = new vscode.EventEmitter<void>();
  private readonly runEvent = new vscode.EventEmitter<StepEvent>();
  private readonly runWaiting = new vscode.EventEmitter<RunWaitingParams>();
  private readonly automationRun = new vscode.EventEmitter<RunSummary>();
  readonly onDidChangeGraph = this.graphChanged.event;
  readonly onDidChangeStatus = this.statusChanged.event;
  readonly onRunEvent = this.runEvent.event;
  readonly onRunWaiting = this.runWaiting.event;
  /** A run automation started has finished; its summary says why it ran. */
  readonly onAutomationRun = this.automationRun.event;
  private readonly client: LanguageClient;
  private readonly watchers: vscode.FileSystemWatcher[];
  private started: Promise<void>;

  constructor(context: vscode.ExtensionContext, config: Config) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    this.watchers = [
      vscode.workspace.createFileSystemWatcher('**/*.{sql,yml,yaml,csv,py,parquet}'),
      // A deleted folder arrives as one event for the folder, which the glob above never matches.
      vscode.workspace.createFileSystemWatcher('**/*', true, true, false),
      // Runs of the CLI or another window write here; the server then re-reads the statuses.
      vscode.workspace.createFileSystemWatcher('**/.assetlens/metadata.duckdb*', false, false, true),
    ];
    const clientOptions: LanguageClientOptions = {
      documentSelector,
      synchronize: { fileEvents: this.watchers },
      // A function, so a restart after trust is granted sends the new trust.
      initializationOptions: () => config.serverOptions(),
      // The hover's "Show run" link (src/server/features.ts) is a command link: trusted for that one command only.
      markdown: { isTrusted: { enabledCommands: [showRuns.id] } },
    };
    this.client = new LanguageClient('assetLens', 'Asset Lens Language Server', serverOptions, clientOptions);
    this.client.onNotification(GraphChangedNotification, () => this.graphChanged.fire());
    this.client.onNotification(StatusChangedNotification, () => this.statusChanged.fire());
    this.client.onNotification(RunEventNotification, (e: StepEvent) => this.runEvent.fire(e));
    this.client.onNotification(RunWaitingNotification, (w: RunWaitingParams) => this.runWaiting.fire(w));
    this.client.onNotification(AutomationRunNotification, (s: RunSummary) => this.automationRun.fire(s));
    this.started = this.client.start();
  }

  async request<M extends keyof CustomRequests>(method: M, params: CustomRequests[M]['params']): Promise<CustomRequests[M]['result']> {
    await this.started;
    return this.client.sendRequest<CustomRequests[M]['result']>(method, params);
  }

  async notify<M extends keyof CustomNotifications>(method: M, params: CustomNotifications[M]): Promise<void> {
    await this.started;
    await this.client.sendNotification(method, params);
  }

  /** Re-indexes from scratch with the current settings and trust; views then refetch everything. */
  async restart(): Promise<void> {
    this.started = this.client.restart();
    await this.started;
    this.graphChanged.fire();
    this.statusChanged.fire();
  }

  /** Stops the server process; safe to call twice (deactivate, then dispose). */
  async stop(): Promise<void> {
    if (this.client.isRunning()) await this.client.stop().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    for (const w of this.watchers) w.dispose();
    this.graphChanged.dispose();
    this.statusChanged.dispose();
    this.runEvent.dispose();
    this.runWaiting.dispose();
    this.automationRun.dispose();
  }
}
