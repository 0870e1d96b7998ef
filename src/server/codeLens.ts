// Code lenses above each asset: `Materialize · Upstream · Downstream` and the last run's summary.
// The commands are the extension's; the server only names them and passes the asset key.
import type { CodeLens } from 'vscode-languageserver';
import type { MaterializationDto } from '../shared/dto';
import { assetsInFile, relativeTime } from '../core/present';
import type { Located } from './workspace';
import { lineRange, showRunCommand } from './features';
import type { AssetKey } from '../core/model';
import { stalenessSummary, type AssetStaleness } from '../core/staleness';

/** Command ids contributed by the extension (package.json); the lens passes the key as the argument. */
export const lensCommands = [
  { title: 'Materialize', command: 'assetLens.materialize' },
  { title: 'Upstream', command: 'assetLens.materializeUpstream' },
  { title: 'Downstream', command: 'assetLens.materializeDownstream' },
] as const;

/** In an untrusted workspace only the summary shows: the run commands would refuse anyway. */
export function codeLenses(at: Located, status: ReadonlyMap<string, MaterializationDto>, trusted: boolean, now: Date, stale?: ReadonlyMap<AssetKey, AssetStaleness>): CodeLens[] {
  const out: CodeLens[] = [];
  for (const a of assetsInFile(at.workspace.graph(), at.file)) {
    const range = lineRange(a.line - 1);
    // Nothing builds an exposure: no run commands, and no run summary that would read "never materialized".
    if (a.kind === 'exposure') continue;
    if (trusted) for (const c of lensCommands) out.push({ range, command: { title: c.title, command: c.command, arguments: [a.key] } });
    // The last run's summary opens that run in the Runs view; with no run, an empty command id
    // makes VS Code draw the lens as a label that does nothing when clicked.
    const last = status.get(a.key);
    out.push({ range, command: last
      ? { title: summary(last, now), command: showRunCommand, arguments: [{ runId: last.runId, key: a.key }] }
      : { title: summary(last, now), command: '' } });
    const why = staleTitle(stale?.get(a.key), status.has(a.key));
    if (why) out.push({ range, command: { title: why, command: '' } });
  }
  return out;
}

/** `stale: upstream \`raw/orders\` has newer data`, `late by 3 min (max lag 5 min)`; undefined when neither (or never run: the summary says so). */
export function staleTitle(s: AssetStaleness | undefined, ran: boolean): string | undefined {
  if (!s || s.status === 'source') return undefined;
  const late = s.freshness && s.freshness.state === 'late' ? s.freshness.message : undefined;
  const reasons = s.status === 'stale' && (ran || s.partitions) ? stalenessSummary(s) : undefined;
  return [reasons, late].filter(Boolean).join(' · ') || undefined;
}

/** `✓ 3 min ago · 1,204 rows · 2/2 checks`, `✗ failed 3 min ago`, or `never materialized`. */
export function summary(m: MaterializationDto | undefined, now: Date): string {
  if (!m) return 'never materialized';
  const when = relativeTime(new Date(m.startedAt), now);
  if (m.status === 'failed') return `✗ failed ${when}`;
  const parts = [`✓ ${when}`];
  const rows = m.rows ?? m.profile?.rows;
  if (rows !== undefined) parts.push(`${rows.toLocaleString('en-US')} rows`);
  if (m.checks?.length) parts.push(`${m.checks.filter((c) => c.status === 'pass').length}/${m.checks.length} checks`);
  return parts.join(' · ');
}
