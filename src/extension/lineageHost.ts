// The lineage view's host, wired to the language server: graph and status by request, changes by
// the server's notifications, materialize through the one run flow, open through LocateRequest.
import * as vscode from 'vscode';
import { GraphRequest, LocateRequest, StatusRequest } from '../shared/protocol';
import type { LineageHost } from './lineageView';
import type { Ctx } from './ctx';
import type { ActiveAsset } from './activeAsset';
import { runSelection, selectionFor } from './materializeRun';

export function createLineageHost(ctx: Omit<Ctx, 'lineage'>, active: ActiveAsset): LineageHost {
  return {
    getGraph: () => ctx.server.request(GraphRequest, {}),
    getStatus: async () => (await ctx.server.request(StatusRequest, {})).materializations,
    materialize: (keys, scope) => { if (keys.length) void runSelection(ctx, selectionFor(keys, scope)); },
    open: (key) => void openAsset(ctx, key),
    onDidChangeGraph: ctx.server.onDidChangeGraph,
    onDidChangeStatus: ctx.server.onDidChangeStatus,
    onRunEvent: ctx.server.onRunEvent,
    onDidChangeActiveAsset: active.onDidChange,
  };
}

async function openAsset(ctx: Omit<Ctx, 'lineage'>, key: string): Promise<void> {
  const where = await ctx.server.request(LocateRequest, { key });
  if (!where.uri) {
    void vscode.window.showWarningMessage(`Asset Lens: '${key}' is not defined in this workspace any more.`);
    return;
  }
  const line = Math.max(0, (where.line ?? 1) - 1);
  await vscode.window.showTextDocument(vscode.Uri.parse(where.uri), { selection: new vscode.Range(line, 0, line, 0), preview: false });
}
