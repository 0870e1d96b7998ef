// The composition root: builds the Ctx once, registers every command, view and listener, and
// hands each disposable to the extension context. All language knowledge is in the server.
import * as vscode from 'vscode';
import { GraphRequest } from '../shared/protocol';
import { ActiveAsset } from './activeAsset';
import { logAutomationRuns } from './automationLog';
import { ServerClient } from './client';
import { Config } from './config';
import type { CommandSpec, Ctx } from './ctx';
import { createLineageHost } from './lineageHost';
import { registerLineageView } from './lineageView';
import { StatusBar } from './statusBar';
import { materialize } from './commands/materialize';
import { materializeDownstream } from './commands/materializeDownstream';
import { materializeUpstream } from './commands/materializeUpstream';
import { openLineageInEditor } from './commands/openLineageInEditor';
import { refresh } from './commands/refresh';
import { showLineage } from './commands/showLineage';
import { toggleAutomation } from './commands/toggleAutomation';
import { showCompiledSql } from './commands/showCompiledSql';
import { showRuns } from './commands/showRuns';
import { refreshRuns } from './commands/refreshRuns';
import { cancelRun } from './commands/cancelRun';
import { materializeFullRefresh } from './commands/materializeFullRefresh';
import { UserRuns } from './userRuns';
import { showOlderRuns } from './commands/showOlderRuns';
import { openAsset } from './commands/openAsset';
import { RunsView } from './runsView';

/** Every command the extension contributes; test/unit/contributes.test.ts checks it against package.json. */
const commands: readonly CommandSpec[] = [materialize, materializeUpstream, materializeDownstream, materializeFullRefresh, showLineage, openLineageInEditor, refresh, toggleAutomation, showCompiledSql, showRuns, showOlderRuns, refreshRuns, cancelRun, openAsset];

let server: ServerClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const config = new Config();
  server = new ServerClient(context, config);
  const output = vscode.window.createOutputChannel('Asset Lens');
  const statusBar = new StatusBar();
  statusBar.setAutomation(config.automation && vscode.workspace.isTrusted);
  const active = new ActiveAsset(server);
  context.subscriptions.push(server, output, statusBar, active);
  const runs = new RunsView(server);
  const userRuns = new UserRuns(server);
  context.subscriptions.push(runs, userRuns);
  const base = { extension: context, config, server, output, statusBar, runs, userRuns };
  const ctx: Ctx = { ...base, lineage: createLineageHost(base, active) };
  for (const c of commands) context.subscriptions.push(vscode.commands.registerCommand(c.id, c.create(ctx)));
  context.subscriptions.push(
    registerLineageView(context, ctx.lineage),
    ...restartTriggers(ctx),
    trackAssetCount(ctx),
    logAutomationRuns(ctx),
  );
}

/** The server reads trust, settings and folders once, at start: a change to any restarts it. */
function restartTriggers(ctx: Ctx): vscode.Disposable[] {
  const restart = () => void ctx.server.restart().catch((e: unknown) => ctx.output.appendLine(`Asset Lens: restarting the server failed: ${String(e)}`));
  return [
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
    vscode.workspace.onDidChangeWorkspaceFolders(restart),
    vscode.workspace.onDidChangeConfiguration((e) => { if (ctx.config.affectsServer(e)) restart(); }),
  ];
}

/** Keeps the status bar's asset count current. */
function trackAssetCount(ctx: Ctx): vscode.Disposable {
  const update = () => void ctx.server.request(GraphRequest, {}).then(
    (g) => ctx.statusBar.setAssetCount(g.assets.length),
    () => ctx.statusBar.setAssetCount(undefined),
  );
  update();
  return ctx.server.onDidChangeGraph(update);
}

/** Stops the server process; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
