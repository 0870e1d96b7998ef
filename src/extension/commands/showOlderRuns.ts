// The Runs view's last item, "Show older runs…": one more page of the history.
import type { CommandSpec } from '../ctx';

export const showOlderRuns: CommandSpec = {
  id: 'assetLens.showOlderRuns',
  create: (ctx) => () => ctx.runs.showOlder(),
};
