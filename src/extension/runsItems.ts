// How the Runs view draws a run and its steps: status icons, what started the run, when and how
// long, and for a step its rows, milliseconds and error. Pure formatting over the history DTOs.
import * as vscode from 'vscode';
import type { RunHistoryDto, RunHistoryStepDto } from '../shared/protocol';
import type { StepStatus } from '../shared/dto';
import { openAsset } from './commands/openAsset';
import { showOlderRuns } from './commands/showOlderRuns';

/** The view's elements; parents are kept so TreeView.reveal can walk up from a step. */
export type RunNode =
  | { readonly kind: 'run'; readonly run: RunHistoryDto }
  | { readonly kind: 'step'; readonly run: RunHistoryDto; readonly step: RunHistoryStepDto }
  | { readonly kind: 'line'; readonly parent: RunNode; readonly text: string; readonly index: number }
  | { readonly kind: 'more'; readonly shown: number }
  | { readonly kind: 'message'; readonly text: string };


const green = new vscode.ThemeColor('testing.iconPassed');
const red = new vscode.ThemeColor('testing.iconFailed');

const stepIcons: Record<StepStatus, vscode.ThemeIcon> = {
  success: new vscode.ThemeIcon('pass', green),
  failed: new vscode.ThemeIcon('error', red),
  cancelled: new vscode.ThemeIcon('circle-slash'),
  skipped: new vscode.ThemeIcon('debug-step-over'),
  running: new vscode.ThemeIcon('sync~spin'),
  pending: new vscode.ThemeIcon('circle-outline'),
};

export function treeItem(node: RunNode, expanded: ReadonlySet<string>): vscode.TreeItem {
  switch (node.kind) {
    case 'run': return runItem(node.run, expanded.has(node.run.runId));
    case 'step': return stepItem(node);
    case 'line': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.id = `${nodeId(node.parent)}#${node.index}`;
      item.tooltip = node.text;
      return item;
    }
    case 'more': {
      const item = new vscode.TreeItem('Show older runs…', vscode.TreeItemCollapsibleState.None);
      item.description = `${node.shown} shown`;
      item.command = { command: showOlderRuns.id, title: 'Show older runs' };
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.tooltip = node.text;
      return item;
    }
  }
}

function runItem(run: RunHistoryDto, expanded: boolean): vscode.TreeItem {
  const state = expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(run.selection, state);
  item.id = run.runId;
  item.iconPath = stepIcons[run.status];
  item.description = [run.status, startedBy(run), clock(run.startedAt), run.durationMs === undefined ? 'running' : duration(run.durationMs)].join(' · ');
  item.contextValue = `run.${run.status}`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${run.status}** — `).appendText(run.selection);
  md.appendMarkdown('\n\n').appendText(`Started by ${run.reason ? `${run.trigger}: ${run.reason}` : run.trigger}`);
  md.appendMarkdown('  \n').appendText(`Started ${new Date(run.startedAt).toLocaleString()}${run.durationMs !== undefined ? `, took ${duration(run.durationMs)}` : ''}`);
  if (run.partition !== undefined) md.appendMarkdown('  \n').appendText(`Partition ${run.partition}`);
  if (run.error) md.appendMarkdown('\n\n').appendText(run.error);
  md.appendMarkdown('\n\n').appendText(`Run ${run.runId}`);
  item.tooltip = md;
  return item;
}

function stepItem(node: Extract<RunNode, { kind: 'step' }>): vscode.TreeItem {
  const s = node.step;
  const why = s.error ?? s.note;
  const item = new vscode.TreeItem(s.partition !== undefined ? `${s.key} [${s.partition}]` : s.key,
    s.error ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = stepIcons[s.status];
  const parts: string[] = [s.status];
  if (s.rows !== undefined) parts.push(`${s.rows.toLocaleString('en-US')} rows`);
  if (s.status !== 'running') parts.push(`${Math.round(s.durationMs).toLocaleString('en-US')} ms`);
  if (why) parts.push(firstLine(why));
  item.description = parts.join(' · ');
  item.tooltip = why ? `${s.key}: ${why}` : `${s.key}: ${s.status}`;
  item.contextValue = `step.${s.status}`;
  item.command = { command: openAsset.id, title: 'Open Definition', arguments: [s.key, ...(s.errorLine ? [s.errorLine] : [])] };
  return item;
}

/** A stable id per element, so VS Code keeps expansion and selection across refreshes. */
function nodeId(node: RunNode): string {
  switch (node.kind) {
    case 'run': return node.run.runId;
    case 'step': return `${node.run.runId}/${node.step.key}/${node.step.partition ?? ''}`;
    case 'line': return `${nodeId(node.parent)}#${node.index}`;
    case 'more': return 'more';
    case 'message': return 'message';
  }
}

/** "user", "backfill", "schedule nightly 0 6 * * *", "automation (eager: …)" — what started the run. */
export function startedBy(run: RunHistoryDto): string {
  if (!run.reason) return run.trigger;
  return run.trigger === 'schedule' || run.trigger === 'sensor' ? run.reason : `${run.trigger} (${run.reason})`;
}

/** The local time of day for today's runs, else the date and time. */
function clock(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return d.toDateString() === new Date().toDateString() ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

const duration = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const firstLine = (s: string): string => s.split('\n')[0]!.trim();
