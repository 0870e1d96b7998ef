// The composition root's product: everything a command or view needs, built once in main.ts and
// handed to each command factory. Owners dispose what they create (ExtensionContext.subscriptions).
import type * as vscode from 'vscode';
import type { ServerClient } from './client';
import type { Config } from './config';
import type { StatusBar } from './statusBar';
import type { LineageHost } from './lineageView';
import type { RunsView } from './runsView';
import type { UserRuns } from './userRuns';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly config: Config;
  readonly server: ServerClient;
  /** The "Asset Lens" output channel: one line per finished run step, and each run's result. */
  readonly output: vscode.OutputChannel;
  readonly statusBar: StatusBar;
  /** The runs this window started that are still going (Asset Lens: Cancel Run cancels them). */
  readonly userRuns: UserRuns;
  /** The lineage views' link to the server (sidebar view and editor-tab panel share it). */
  readonly lineage: LineageHost;
  /** The Runs view (run history), for commands that reveal a run. */
  readonly runs: RunsView;
}

/** A command: its id (as in package.json `contributes.commands`) and a factory for its handler. */
export interface CommandSpec {
  readonly id: string;
  readonly create: (ctx: Ctx) => (...args: unknown[]) => unknown;
}
