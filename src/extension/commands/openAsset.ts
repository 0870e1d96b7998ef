// Asset Lens: Open Asset Definition — from a step in the Runs view: the asset's file at its
// definition, or at the line a failed step's error points at (the step passes it).
import type { CommandSpec } from '../ctx';
import { openAsset as open } from '../lineageHost';

export const openAsset: CommandSpec = {
  id: 'assetLens.openAsset',
  create: (ctx) => async (key?: unknown, line?: unknown) => {
    if (typeof key === 'string' && key) await open(ctx, key, typeof line === 'number' ? line : undefined);
  },
};
