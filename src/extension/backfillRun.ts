// A backfill from the lineage view's partition matrix: the server runs one partition after another
// (BackfillRequest); here it gets the same cancellable progress and output lines as a run, and one
// summary at the end that names the partitions that failed.
import * as vscode from 'vscode';
import { BackfillRequest, type BackfillResult } from '../shared/protocol';
import { runInNotification, type RunCtx } from './materializeRun';

export async function runBackfill(ctx: RunCtx, selection: string, from: string, to: string): Promise<void> {
  const what = `${selection} [${from}…${to}]`;
  const result = await runInNotification(ctx, 'Backfilling', what, (runToken) => ctx.server.request(BackfillRequest, { selection, from, to, runToken }));
  if (result) report(ctx, what, result);
}

function report(ctx: RunCtx, what: string, result: BackfillResult): void {
  const done = result.partitions.filter((p) => p.status === 'success' || p.status === 'skipped').length;
  const failed = result.partitions.filter((p) => p.status === 'failed');
  ctx.output.appendLine(`${what}: backfill ${result.status}, ${done}/${result.partitions.length} partitions materialized`);
  if (result.leftOut.length) ctx.output.appendLine(`  not partitioned, left out: ${result.leftOut.join(', ')}`);
  for (const f of failed) ctx.output.appendLine(`  ✗ ${f.key}  ${(f.error ?? f.status).split('\n')[0]}`);
  if (result.status === 'cancelled') void vscode.window.showInformationMessage(`Asset Lens: the backfill of ${what} was cancelled.`);
  else if (failed.length) {
    const action = 'Show Output';
    void vscode.window.showErrorMessage(`Asset Lens: backfill of ${what}: ${failed.length} partition(s) failed: ${failed.map((f) => f.key).join(', ')}`, action)
      .then((a) => { if (a === action) ctx.output.show(true); });
  }
}
