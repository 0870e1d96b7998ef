// What started a run, read back from what the run history keeps: automation records its reason
// ("schedule nightly 0 6 * * *", "sensor …", "eager: …"), a backfill runs each partition as
// `<selection> [<partition>]`, `asset-lens test` records check runs, and the rest are a user's.
import type { RunTrigger } from '../shared/protocol';

/** The recorded selection of one partition of a backfill: `+orders [2024-01-03]`. */
const backfillSelection = /^(.*\S)\s+\[([^\]]+)\]$/;

export function runTrigger(run: { readonly reason?: string; readonly selection: string; readonly kind?: string }): RunTrigger {
  if (run.kind === 'check') return 'check';
  const reason = run.reason;
  if (reason === undefined) return backfillSelection.test(run.selection) ? 'backfill' : 'user';
  if (reason.startsWith('schedule ')) return 'schedule';
  if (reason.startsWith('sensor ') || reason.startsWith('asset sensor ')) return 'sensor';
  return 'automation';
}

/** The partition a backfill run wrote, from its recorded selection; undefined for any other run. */
export function backfillPartition(selection: string): string | undefined {
  return backfillSelection.exec(selection)?.[2];
}
