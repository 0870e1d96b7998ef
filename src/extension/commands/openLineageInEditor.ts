// Asset Lens: Open Lineage in Editor — the lineage in an editor tab, with room for large graphs.
import type { CommandSpec } from '../ctx';
import { openLineagePanel } from '../lineageView';

export const openLineageInEditor: CommandSpec = {
  id: 'assetLens.openLineageInEditor',
  create: (ctx) => () => { openLineagePanel(ctx.extension, ctx.lineage); },
};
