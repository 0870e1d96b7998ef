// Asset Lens: Refresh — restarts the language server, which re-reads the workspace from disk
// (for changes the file watcher cannot see, such as files excluded by a search setting).
import * as vscode from 'vscode';
import type { CommandSpec } from '../ctx';

export const refresh: CommandSpec = {
  id: 'assetLens.refresh',
  create: (ctx) => () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Asset Lens: re-indexing' },
    () => ctx.server.restart(),
  ),
};
