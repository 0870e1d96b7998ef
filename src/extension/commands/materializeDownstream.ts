// Asset Lens: Materialize Downstream — the asset and everything that reads it (`asset+`).
import type { CommandSpec } from '../ctx';
import { materializeFromCommand } from '../materializeRun';

export const materializeDownstream: CommandSpec = {
  id: 'assetLens.materializeDownstream',
  create: (ctx) => (arg?: unknown) => materializeFromCommand(ctx, arg, 'downstream'),
};
