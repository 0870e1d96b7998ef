// Asset Lens: Show Runs — the Runs view; given a run (the hover's "Show run" link passes
// { runId, key }) or an asset key, that run is expanded and selected, with the asset's step.
import * as vscode from 'vscode';
import { StatusRequest } from '../../shared/protocol';
import type { CommandSpec, Ctx } from '../ctx';
import { RUNS_VIEW_ID } from '../runsView';

export const showRuns: CommandSpec = {
  id: 'assetLens.showRuns',
  create: (ctx) => async (arg?: unknown) => {
    await vscode.commands.executeCommand(`${RUNS_VIEW_ID}.focus`);
    const target = await runOf(ctx, arg);
    if (!target) return;
    if (!(await ctx.runs.reveal(target.runId, target.key))) {
      void vscode.window.showInformationMessage(`Asset Lens: the run ${target.runId} is not in the run history shown (it may be older, or from another folder).`);
    }
  },
};

/** The run the argument names: `{ runId, key? }` as is; an asset key: that asset's last run. */
async function runOf(ctx: Ctx, arg: unknown): Promise<{ runId: string; key?: string } | undefined> {
  if (typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string') {
    const { runId, key } = arg as { runId: string; key?: unknown };
    return { runId, ...(typeof key === 'string' ? { key } : {}) };
  }
  if (typeof arg !== 'string' || !arg) return undefined;
  const last = (await ctx.server.request(StatusRequest, {})).materializations.find((m) => m.key === arg);
  if (!last) void vscode.window.showInformationMessage(`Asset Lens: ${arg} has not been materialized yet.`);
  return last ? { runId: last.runId, key: arg } : undefined;
}
