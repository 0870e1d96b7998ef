// The Runs view (`assetLens.runs`): the run history, newest first, read from the server a page at
// a time and read again, after a short pause, whenever a run step changes or the store changes
// (runs of the CLI or automation). Steps still running come from the run events until stored.
import * as vscode from 'vscode';
import { RunHistoryRequest, type RunHistoryDto, type RunHistoryStepDto } from '../shared/protocol';
import type { StepEvent } from '../shared/dto';
import type { ServerClient } from './client';
import { treeItem, type RunNode } from './runsItems';

export const RUNS_VIEW_ID = 'assetLens.runs';
const pageSize = 50;
/** Step events come in bursts; one read of the history per burst. */
const refreshDelayMs = 250;
/** How many more pages a reveal loads to find an older run. */
const revealPages = 4;
/** Runs whose step events are remembered. */
const keptRuns = 100;

export class RunsView implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  private readonly view: vscode.TreeView<RunNode>;
  private readonly subscriptions: vscode.Disposable[];
  private nodes: RunNode[] | undefined;
  private loading: Promise<RunNode[]> | undefined;
  private limit = pageSize;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The runs of the last successful read. */
  private lastRead: RunNode[] = [];
  /** Something changed while the view was hidden. */
  private stale = false;
  /** Runs the user asked to see (revealed), drawn expanded. */
  private readonly expanded = new Set<string>();
  /** Events of this session by run and step: running steps before they are stored. */
  private readonly live = new Map<string, Map<string, StepEvent>>();

  constructor(private readonly server: ServerClient) {
    const provider: vscode.TreeDataProvider<RunNode> = {
      onDidChangeTreeData: this.changed.event,
      getTreeItem: (n) => treeItem(n, this.expanded),
      getChildren: (n) => (n ? childrenOf(n) : this.roots()),
      getParent: (n) => parentOf(n),
    };
    this.view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
    this.subscriptions = [
      server.onRunEvent((e) => { this.track(e); this.schedule(); }),
      server.onDidChangeStatus(() => this.schedule()),
      this.view.onDidChangeVisibility((e) => { if (e.visible && this.stale) this.schedule(); }),
    ];
  }

  /** Reads the history again now (the view's Refresh, and before a reveal). */
  async refresh(): Promise<RunNode[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nodes = undefined;
    this.loading = undefined;
    const nodes = await this.roots();
    this.changed.fire(undefined);
    return nodes;
  }

  /** One more page of older runs. */
  async showOlder(): Promise<void> {
    this.limit += pageSize;
    await this.refresh();
  }

  /**
   * Shows the Runs view with `runId` expanded and selected (and `key`'s step in it when given).
   * Returns false when the run is not among the newest runs (up to a few pages).
   */
  async reveal(runId: string, key?: string): Promise<boolean> {
    this.expanded.add(runId);
    const find = (nodes: RunNode[]) => nodes.find((n): n is Extract<RunNode, { kind: 'run' }> => n.kind === 'run' && n.run.runId === runId);
    let nodes = await this.refresh();
    // An older run (a hover on an asset that has not run for a while) loads a few more pages.
    for (let i = 0; i < revealPages && !find(nodes) && nodes.some((n) => n.kind === 'more'); i++) {
      this.limit += pageSize;
      nodes = await this.refresh();
    }
    const run = find(nodes);
    if (!run) return false;
    const step = key === undefined ? undefined : childrenOf(run).find((c) => c.kind === 'step' && c.step.key === key);
    await this.view.reveal(run, { expand: true, select: !step, focus: true });
    if (step) await this.view.reveal(step, { select: true, focus: true });
    return true;
  }

  private roots(): Promise<RunNode[]> {
    if (this.nodes) return Promise.resolve(this.nodes);
    const loading = (this.loading ??= this.load());
    return loading.then((nodes) => {
      if (this.loading === loading) this.nodes = nodes;
      return nodes;
    });
  }

  private async load(): Promise<RunNode[]> {
    try {
      const page = await this.server.request(RunHistoryRequest, { limit: this.limit });
      const runs: RunNode[] = page.runs.map((r) => ({ kind: 'run', run: this.withLive(r) }));
      this.lastRead = runs;
      if (!runs.length) return [{ kind: 'message', text: 'No runs yet. Materialize an asset to see its run here.' }];
      return page.more ? [...runs, { kind: 'more', shown: runs.length }] : runs;
    } catch (e) {
      // A CLI run holds the store for as long as it runs: the runs read before stay in view meanwhile.
      return [{ kind: 'message', text: `The run history could not be read: ${e instanceof Error ? e.message : String(e)}` }, ...this.lastRead];
    }
  }

  /** Adds the steps of a running run that this session saw start but the store does not hold yet. */
  private withLive(run: RunHistoryDto): RunHistoryDto {
    const events = this.live.get(run.runId);
    if (!events) return run;
    const stored = new Set(run.steps.map((s) => s.key));
    const running: RunHistoryStepDto[] = [...events.values()].filter((e) => e.status === 'running' && !stored.has(e.key) && run.status === 'running')
      .map((e) => ({ key: e.key, status: 'running', startedAt: run.startedAt, durationMs: 0, ...(e.partition !== undefined ? { partition: e.partition } : {}) }));
    return running.length ? { ...run, steps: [...run.steps, ...running] } : run;
  }

  private track(e: StepEvent): void {
    const events = this.live.get(e.runId) ?? new Map<string, StepEvent>();
    events.set(e.key, e);
    this.live.set(e.runId, events);
    // A long session's events are kept for the newest runs only.
    for (const old of [...this.live.keys()].slice(0, Math.max(0, this.live.size - keptRuns))) this.live.delete(old);
  }

  /** A hidden view is not read while runs go on; it is read once when it shows again. */
  private schedule(): void {
    this.stale = !this.view.visible;
    if (this.stale) { this.nodes = undefined; this.loading = undefined; return; }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), refreshDelayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

function childrenOf(n: RunNode): RunNode[] {
  switch (n.kind) {
    case 'run': {
      const steps: RunNode[] = n.run.steps.map((step) => ({ kind: 'step', run: n.run, step }));
      // A run that failed with no failed step (interrupted, could not start) says why first.
      const own = n.run.error && !n.run.steps.some((s) => s.status === 'failed') ? lines(n, n.run.error) : [];
      return [...own, ...steps];
    }
    case 'step': return n.step.error ? lines(n, n.step.error) : [];
    default: return [];
  }
}

function lines(parent: RunNode, text: string): RunNode[] {
  return text.split('\n').map((t) => t.trimEnd()).filter(Boolean).map((t, index) => ({ kind: 'line', parent, text: t, index }));
}

function parentOf(n: RunNode): RunNode | undefined {
  if (n.kind === 'step') return { kind: 'run', run: n.run };
  if (n.kind === 'line') return n.parent;
  return undefined;
}
