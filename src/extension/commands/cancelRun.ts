// Asset Lens: Cancel Run — cancels the runs this window started (Dagster's "Terminate"): running
// queries are interrupted, the tables they were replacing keep their previous version.
import * as vscode from 'vscode';
import type { CommandSpec } from '../ctx';

export const cancelRun: CommandSpec = {
  id: 'assetLens.cancelRun',
  create: (ctx) => () => {
    const cancelled = ctx.userRuns.cancelAll();
    if (!cancelled.length) void vscode.window.showInformationMessage('Asset Lens: no run of this window is in progress.');
    else ctx.output.appendLine(`${new Date().toLocaleTimeString()} Cancelling ${cancelled.join(', ')}`);
  },
};
