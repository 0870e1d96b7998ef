// Asset Lens: Materialize (Full Refresh) — the asset alone with dbt's `--full-refresh`: an
// incremental model is rebuilt from scratch instead of merged into (a `full_refresh` config wins).
import type { CommandSpec } from '../ctx';
import { materializeFromCommand } from '../materializeRun';

export const materializeFullRefresh: CommandSpec = {
  id: 'assetLens.materializeFullRefresh',
  create: (ctx) => (arg?: unknown) => materializeFromCommand(ctx, arg, 'this', true),
};
