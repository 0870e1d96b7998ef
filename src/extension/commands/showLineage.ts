// Asset Lens: Show Lineage — reveals the lineage view in the Asset Lens side bar. When the view
// cannot be shown there (its container was removed or moved away), the lineage opens in an editor tab.
import * as vscode from 'vscode';
import type { CommandSpec } from '../ctx';
import { LINEAGE_VIEW_ID, openLineagePanel } from '../lineageView';

export const showLineage: CommandSpec = {
  id: 'assetLens.showLineage',
  create: (ctx) => async () => {
    try {
      await vscode.commands.executeCommand(`${LINEAGE_VIEW_ID}.focus`);
    } catch {
      openLineagePanel(ctx.extension, ctx.lineage);
    }
  },
};
