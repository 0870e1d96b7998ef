// Asset Lens: Show Compiled SQL — the SQL of the asset at the cursor (or the key a code lens or
// the lineage view passes), rendered as a run would, in a read-only editor beside. Refused in
// Restricted Mode with the reason: rendering Jinja runs the project's macros.
import * as vscode from 'vscode';
import type { CommandSpec } from '../ctx';
import { commandKey } from '../materializeRun';
import { compiledKeyOf, CompiledSqlDocs, untrustedCompileMessage } from '../compiledSqlDocs';

export const showCompiledSql: CommandSpec = {
  id: 'assetLens.showCompiledSql',
  create: (ctx) => {
    const docs = new CompiledSqlDocs(ctx.server);
    ctx.extension.subscriptions.push(docs);
    return async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        const manage = 'Manage Workspace Trust';
        if ((await vscode.window.showWarningMessage(untrustedCompileMessage, manage)) === manage) await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      }
      // From the compiled editor itself (palette, context menu), the command shows that asset again.
      const shown = arg instanceof vscode.Uri ? arg : arg === undefined ? vscode.window.activeTextEditor?.document.uri : undefined;
      const key = (shown && compiledKeyOf(shown)) || await commandKey(ctx, arg);
      if (!key) {
        void vscode.window.showInformationMessage('Asset Lens: no asset is defined here. Put the cursor in a dbt model or a Python asset, then show its compiled SQL.');
        return;
      }
      await docs.show(key);
    };
  },
};
