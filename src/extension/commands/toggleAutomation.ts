// Asset Lens: Toggle Automation — flips `assetLens.automation.enabled`; the server restarts with
// it and says in the output channel what it will keep up to date (or why it refuses).
import * as vscode from 'vscode';
import type { CommandSpec } from '../ctx';

export const toggleAutomation: CommandSpec = {
  id: 'assetLens.toggleAutomation',
  create: (ctx) => async () => {
    const on = !ctx.config.automation;
    if (on && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Asset Lens automation runs SQL from this workspace, so it stays off in Restricted Mode. Trust the workspace to turn it on.');
      return;
    }
    await ctx.config.setAutomation(on);
    ctx.statusBar.setAutomation(on);
    void vscode.window.showInformationMessage(`Asset Lens automation is ${on ? 'on' : 'off'}.`);
  },
};
