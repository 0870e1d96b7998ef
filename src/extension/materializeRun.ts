// One way to run a selection, whoever asks (editor command, code lens, lineage view): a
// cancellable progress notification, one output line per finished step, the status bar, and an
// error notification that names the asset when a step fails.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { AssetAtRequest, CancelRunNotification, MaterializeRequest } from '../shared/protocol';
import type { AssetKeyString, RunSummary, StepEvent } from '../shared/dto';
import type { MaterializeScope } from '../shared/webviewProtocol';
import type { Ctx } from './ctx';

/** What a run needs of the Ctx (the lineage host runs selections before the Ctx is complete). */
export type RunCtx = Pick<Ctx, 'server' | 'output' | 'statusBar' | 'userRuns'>;

export const restrictedModeMessage =
  'Asset Lens: materializing runs SQL, so it is disabled in Restricted Mode. Trust this workspace to materialize.';

/** `customers`, `+customers` or `customers+` for each key, as one union. */
export function selectionFor(keys: readonly AssetKeyString[], scope: MaterializeScope): string {
  const one = (k: string) => (scope === 'upstream' ? `+${k}` : scope === 'downstream' ? `${k}+` : k);
  return keys.map(one).join(' ');
}

/**
 * The asset a command is about: a key passed by a code lens or the lineage view, else the asset
 * around the cursor of the editor (the context menu passes the editor's URI).
 */
export async function commandKey(ctx: RunCtx, arg: unknown): Promise<AssetKeyString | undefined> {
  if (typeof arg === 'string' && arg) return arg;
  const editor = vscode.window.activeTextEditor;
  const uri = arg instanceof vscode.Uri ? arg : editor?.document.uri;
  if (!uri) return undefined;
  const line = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active.line : 0;
  return (await ctx.server.request(AssetAtRequest, { uri: uri.toString(), line })).key;
}

/** The command handlers' shared body: find the asset, then run it with the scope (dbt's `--full-refresh` when asked). */
export async function materializeFromCommand(ctx: RunCtx, arg: unknown, scope: MaterializeScope, fullRefresh = false): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(restrictedModeMessage);
    return;
  }
  const key = await commandKey(ctx, arg);
  if (!key) {
    void vscode.window.showInformationMessage('Asset Lens: no asset is defined here. Open a dbt model, seed or Python asset file.');
    return;
  }
  await runSelection(ctx, selectionFor([key], scope), undefined, fullRefresh);
}

/** Runs `selection`; `partition` set: only that partition of its partitioned assets; `fullRefresh`: dbt's `--full-refresh`. */
export async function runSelection(ctx: RunCtx, selection: string, partition?: string, fullRefresh = false): Promise<void> {
  const what = `${partition === undefined ? selection : `${selection} [${partition}]`}${fullRefresh ? ' (full refresh)' : ''}`;
  const summary = await runInNotification(ctx, 'Materializing', what, (runToken) =>
    ctx.server.request(MaterializeRequest, { selection, runToken, ...(partition !== undefined ? { partition } : {}), ...(fullRefresh ? { fullRefresh } : {}) }));
  if (summary) report(ctx, summary);
}

/**
 * The one shape of a user-started run: refused in Restricted Mode, a cancellable progress
 * notification titled "Asset Lens: <verb> <what>", the status bar busy meanwhile, and a failure
 * shown as an error. Resolves to the server's answer, or undefined when the run did not happen.
 */
export async function runInNotification<T>(ctx: RunCtx, verb: string, what: string, send: (runToken: string) => Promise<T>): Promise<T | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(restrictedModeMessage);
    return undefined;
  }
  ctx.output.appendLine(`${new Date().toLocaleTimeString()} ${verb} ${what}`);
  ctx.statusBar.startRun(what);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Asset Lens: ${verb} ${what}`, cancellable: true },
      (progress, token) => runWithProgress(ctx, progress, token, send, what),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ctx.output.appendLine(`  not run: ${message}`);
    void vscode.window.showErrorMessage(`Asset Lens: ${message}`);
    return undefined;
  } finally {
    ctx.statusBar.endRun();
  }
}

/** Sends a run request with a fresh run token, reporting its steps until it answers; cancelling the progress cancels the run. */
export async function runWithProgress<T>(
  ctx: RunCtx, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, send: (runToken: string) => Promise<T>, what: string,
): Promise<T> {
  const runToken = randomUUID();
  ctx.userRuns.begin(runToken, what);
  const onEvent = ctx.server.onRunEvent((e) => {
    // Steps of automated runs go to the views and the automation log, not into this run's progress.
    if (e.reason !== undefined) return;
    ctx.statusBar.step(e);
    if (e.status === 'running') progress.report({ message: `${e.index + 1}/${e.total} ${shortName(e.key)}${e.partition !== undefined ? ` [${e.partition}]` : ''}` });
    else if (e.status !== 'pending') {
      progress.report({ increment: 100 / Math.max(1, e.total) });
      ctx.output.appendLine(stepLine(e));
    }
  });
  // An overlapping run in progress holds some of the assets: this one waits, and says for what.
  const onWaiting = ctx.server.onRunWaiting((w) => {
    if (w.runToken !== runToken) return;
    progress.report({ message: w.message });
    ctx.output.appendLine(`  ${w.message}`);
  });
  const onCancel = token.onCancellationRequested(() => void ctx.server.notify(CancelRunNotification, { runToken }));
  try {
    return await send(runToken);
  } finally {
    ctx.userRuns.end(runToken);
    onEvent.dispose();
    onWaiting.dispose();
    onCancel.dispose();
  }
}

const marks: Record<StepEvent['status'], string> = { pending: '·', running: '▶', success: '✓', failed: '✗', skipped: '↷', cancelled: '■' };

/** `✓ stg_customers  200 rows  12 ms` (a partition's step: `✓ daily [2024-01-03]  48 rows  9 ms`); other outcomes say their status and why. */
export function stepLine(e: StepEvent): string {
  const parts = [`${marks[e.status]} ${e.key}${e.partition !== undefined ? ` [${e.partition}]` : ''}`];
  if (e.status !== 'success') parts.push(e.status);
  if (e.rows !== undefined) parts.push(`${e.rows.toLocaleString('en-US')} rows`);
  // Always in ms, so every step line reads alike however long the step took.
  if (e.durationMs !== undefined) parts.push(`${Math.round(e.durationMs).toLocaleString('en-US')} ms`);
  const why = e.error ?? e.note;
  if (why) parts.push(why.split('\n')[0]!);
  return parts.join('  ');
}

function report(ctx: RunCtx, summary: RunSummary): void {
  const count = (s: StepEvent['status']) => summary.steps.filter((x) => x.status === s).length;
  const parts = [`${count('success')} succeeded`, ...(['failed', 'skipped', 'cancelled'] as const).filter((s) => count(s)).map((s) => `${count(s)} ${s}`)];
  ctx.output.appendLine(`${summary.selection}: ${parts.join(', ')} in ${formatMs(summary.durationMs)}`);
  switch (summary.status) {
    case 'success': case 'running': return;
    case 'cancelled': void vscode.window.showInformationMessage(`Asset Lens: the run of ${summary.selection} was cancelled.`); return;
    case 'failed': {
      const action = 'Show Output';
      void vscode.window.showErrorMessage(`Asset Lens: ${summary.error ?? `materializing ${summary.selection} failed`}`, action)
        .then((a) => { if (a === action) ctx.output.show(true); });
    }
  }
}

const shortName = (key: string): string => key.split('/').pop() ?? key;

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
