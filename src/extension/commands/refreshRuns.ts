// The Runs view's refresh button: reads the run history again (runs of the CLI or another window
// show without waiting for the store watcher). Unlike Asset Lens: Refresh, it leaves the server be.
import type { CommandSpec } from '../ctx';

export const refreshRuns: CommandSpec = {
  id: 'assetLens.refreshRuns',
  create: (ctx) => async () => { await ctx.runs.refresh(); },
};
