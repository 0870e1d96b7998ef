// What a step that built its relation does next: profile it and run its checks. The data is
// already written by then, so a profile that fails or a cancel that lands here becomes a note on a
// successful step, never a failure.
import type { TableProfile } from '../shared/dto';
import { firstLine, messageOf } from '../core/text';
import type { Asset } from '../core/model';
import { isCancel, type BuildEnv, type Built } from './build';
import { checksOf } from './checks';
import { quoteRelation } from './duckdb';
import type { StepRecord } from './metadataStore';
import { profileTable } from './profiler';

export interface Inspected { readonly built: Built; readonly profile?: TableProfile; readonly checks?: StepRecord['checks']; readonly note?: string }

/**
 * Profiles the new relation and runs its checks. Never throws: the data is already written, so a
 * profile that fails or a cancel that lands here becomes a note on a successful step.
 */
export async function inspect(env: BuildEnv, asset: Asset, built: Built): Promise<Inspected> {
  let profile: TableProfile | undefined;
  try {
    env.checkCancelled();
    profile = await profileTable(env.db, built.relation);
  } catch (e) {
    if (isCancel(e)) return { built, note: 'Built; cancelled before its profile and checks ran' };
    return { built, note: `Built, but the profile failed: ${firstLine(messageOf(e))}` };
  }
  if (!asset.tests.length) return { built, profile, checks: [] };
  try {
    const checks = await checksOf(env, asset, quoteRelation(built.relation));
    return { built, profile, checks };
  } catch (e) {
    if (isCancel(e)) return { built, profile, note: 'Built; cancelled before its checks finished' };
    throw e;
  }
}
