// The lineage view's host, wired to the language server: graph, status, staleness and partitions
// by request, changes by the server's notifications, materialize and backfill through the one run
// flow, open through LocateRequest.
import * as vscode from 'vscode';
import { AssetStatesRequest, GraphRequest, LocateRequest, PartitionStatusRequest, StatusRequest } from '../shared/protocol';
import type { LineageHost } from './lineageView';
import type { Ctx } from './ctx';
import type { ActiveAsset } from './activeAsset';
import { runSelection, selectionFor } from './materializeRun';
import { runBackfill } from './backfillRun';
import { cancelRun } from './commands/cancelRun';
import { showCompiledSql } from './commands/showCompiledSql';
import { showRuns } from './commands/showRuns';

export function createLineageHost(ctx: Omit<Ctx, 'lineage'>, active: ActiveAsset): LineageHost {
  return {
    getGraph: () => ctx.server.request(GraphRequest, {}),
    getStatus: async () => (await ctx.server.request(StatusRequest, {})).materializations,
    materialize: (keys, scope, partition, fullRefresh) => { if (keys.length) void runSelection(ctx, selectionFor(keys, scope), partition, fullRefresh); },
    getStaleness: () => ctx.server.request(AssetStatesRequest, {}),
    getPartitionStatus: (keys) => ctx.server.request(PartitionStatusRequest, { keys }),
    backfill: (keys, from, to) => { if (keys.length) void runBackfill(ctx, selectionFor(keys, 'this'), from, to); },
    // Partition states live in the same store as statuses: the server's StatusChangedNotification
    // follows every finished step (and runs of other processes), so it is the matrix's signal too.
    onDidChangePartitions: ctx.server.onDidChangeStatus,
    open: (key) => void openAsset(ctx, key),
    showCompiledSql: (key) => void vscode.commands.executeCommand(showCompiledSql.id, key),
    showRun: (key) => void vscode.commands.executeCommand(showRuns.id, key),
    onDidChangeGraph: ctx.server.onDidChangeGraph,
    onDidChangeStatus: ctx.server.onDidChangeStatus,
    onRunEvent: ctx.server.onRunEvent,
    onDidChangeActiveAsset: active.onDidChange,
    userRuns: () => ctx.userRuns.count,
    onDidChangeUserRuns: ctx.userRuns.onDidChange,
    cancelRuns: () => void vscode.commands.executeCommand(cancelRun.id),
    activeAsset: () => active.asset,
  };
}

/** Opens the asset's definition at its line, or at `atLine` (1-based) of its file when given. */
export async function openAsset(ctx: Pick<Ctx, 'server'>, key: string, atLine?: number): Promise<void> {
  const where = await ctx.server.request(LocateRequest, { key });
  if (!where.uri) {
    void vscode.window.showWarningMessage(`Asset Lens: '${key}' is not defined in this workspace any more.`);
    return;
  }
  const line = Math.max(0, (atLine ?? where.line ?? 1) - 1);
  await vscode.window.showTextDocument(vscode.Uri.parse(where.uri), { selection: new vscode.Range(line, 0, line, 0), preview: false });
}
