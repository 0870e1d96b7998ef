// Asset Lens: Materialize Upstream — the asset and everything it reads (`+asset`).
import type { CommandSpec } from '../ctx';
import { materializeFromCommand } from '../materializeRun';

export const materializeUpstream: CommandSpec = {
  id: 'assetLens.materializeUpstream',
  create: (ctx) => (arg?: unknown) => materializeFromCommand(ctx, arg, 'upstream'),
};
