// Asset Lens: Materialize — the asset alone (from the code lens key, or the editor's asset).
import type { CommandSpec } from '../ctx';
import { materializeFromCommand } from '../materializeRun';

export const materialize: CommandSpec = {
  id: 'assetLens.materialize',
  create: (ctx) => (arg?: unknown) => materializeFromCommand(ctx, arg, 'this'),
};
