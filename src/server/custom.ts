// The custom requests of src/shared/protocol.ts, one handler each. The table is a mapped type over
// CustomRequests, so a request added to the protocol does not compile until it is handled here.
import { AssetAtRequest, AssetStatesRequest, BackfillRequest, CompiledSqlRequest, GraphRequest, LocateRequest, MaterializeRequest, PartitionStatusRequest, RunHistoryRequest, StatusRequest } from '../shared/protocol';
import type { CustomRequests } from '../shared/protocol';
import { assetAt, toGraphDto } from '../core/present';
import { keyFromString } from '../core/model';
import { compileAsset } from '../adapters/render';
import { assetStates, partitionMatrix } from './panelData';
import { runHistory } from './runHistory';
import type { Server } from './server';
import { fail, messageOf, ok, type Result } from './result';

export type CustomHandlers = {
  readonly [M in keyof CustomRequests]: (params: CustomRequests[M]['params'], cancelled: AbortSignal) => Promise<Result<CustomRequests[M]['result']>>;
};

/** `server` is a getter: the handlers are registered before initialize creates the Server. */
export function customHandlers(server: () => Server): CustomHandlers {
  return {
    [GraphRequest]: async () => ok(toGraphDto((await server().ready()).graph())),
    [StatusRequest]: async () => ok({ materializations: await server().status.all((await server().ready()).folders) }),
    [AssetAtRequest]: async (p) => {
      const at = await server().locate(p.uri);
      const asset = at && assetAt(at.workspace.graph(), at.file, p.line);
      return ok(asset ? { key: asset.key } : {});
    },
    [LocateRequest]: async (p) => {
      const ws = await server().ready();
      const asset = ws.graph().assets.get(keyFromString(p.key));
      const uri = asset && ws.uriOfFile(asset.file);
      return ok(asset && uri ? { uri, line: asset.line } : {});
    },
    [CompiledSqlRequest]: async (p) => {
      if (typeof p?.key !== 'string') return fail('compiledSql needs { key }');
      // nunjucks is no sandbox: rendering a template can run code, so only a trusted workspace renders.
      if (!server().config.trusted) return fail('Asset Lens does not render SQL in Restricted Mode: templates can run code. Trust the workspace to see compiled SQL.');
      for (const folder of (await server().ready()).folders) {
        const graph = folder.graph();
        const asset = graph.assets.get(keyFromString(p.key));
        if (!asset) continue;
        try {
          return ok({ sql: compileAsset(folder.root, graph, asset) });
        } catch (e) {
          return fail(messageOf(e));
        }
      }
      return fail(`No asset '${p.key}' in the workspace.`);
    },
    [MaterializeRequest]: async (p, cancelled) => {
      if (typeof p?.selection !== 'string' || typeof p.runToken !== 'string' || (p.fullRefresh !== undefined && typeof p.fullRefresh !== 'boolean')) {
        return fail('materialize needs { selection, runToken, fullRefresh?: boolean }');
      }
      const ws = await server().ready();
      return server().runs.materialize(ws.folders, server().config, p, cancelled, ws.joinedGraph());
    },
    [BackfillRequest]: async (p, cancelled) => {
      if (typeof p?.selection !== 'string' || typeof p.from !== 'string' || typeof p.to !== 'string' || typeof p.runToken !== 'string') {
        return fail('backfill needs { selection, from, to, runToken }');
      }
      return server().runs.backfill((await server().ready()).folders, server().config, p, cancelled);
    },
    [RunHistoryRequest]: async (p) => {
      const limit = p?.limit;
      if ((limit !== undefined && (!Number.isInteger(limit) || limit < 1)) || (p?.before !== undefined && typeof p.before !== 'string')) {
        return fail('runHistory takes { limit?: a positive integer, before?: an ISO time }');
      }
      return runHistory((await server().ready()).folders, limit, p?.before);
    },
    [AssetStatesRequest]: async () => ok(await assetStates(server().status, (await server().ready()).folders, Date.now())),
    [PartitionStatusRequest]: async (p) => {
      if (!Array.isArray(p?.keys) || !p.keys.every((k) => typeof k === 'string')) return fail('partitionStatus needs { keys: string[] }');
      return ok(await partitionMatrix(server().status, (await server().ready()).folders, p.keys, Date.now()));
    },
  };
}
