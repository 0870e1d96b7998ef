// Runs that automation starts land in the Asset Lens output channel beside the user's runs, with
// why they ran ("eager: upstream source_orders has new data") and one line per step, so a user can
// tell what ran on its own and why.
import * as vscode from 'vscode';
import type { RunSummary } from '../shared/dto';
import type { RunCtx } from './materializeRun';
import { stepLine } from './materializeRun';

export function logAutomationRuns(ctx: RunCtx): vscode.Disposable {
  return ctx.server.onAutomationRun((summary) => {
    for (const line of automationLines(summary, new Date().toLocaleTimeString())) ctx.output.appendLine(line);
  });
}

/** `12:00:01 Automation: raw/orders (eager: …) success`, then its step lines and its error. */
export function automationLines(summary: RunSummary, time: string): string[] {
  const what = `${summary.selection}${summary.partition !== undefined ? ` [${summary.partition}]` : ''}`;
  const why = summary.reason ? ` (${summary.reason})` : '';
  const lines = [`${time} Automation: ${what}${why} ${summary.status}`];
  for (const step of summary.steps) if (step.status !== 'pending') lines.push(`  ${stepLine(step)}`);
  if (summary.error && !summary.steps.some((s) => s.error === summary.error)) lines.push(`  ${summary.error.split('\n')[0]}`);
  return lines;
}
