// `asset-lens runs DIR [--limit N] [--json]`: the run history, newest first, each run with what
// started it and its steps, as the editor's Runs view shows it.
import { join } from 'node:path';
import type { RunHistoryDto } from '../shared/protocol';
import { formatMs } from '../core/present';
import { metadataFile } from '../core/warehouse';
import { defaultHistoryPage, readRunHistory } from '../adapters/runHistory';
import { marks, out, UsageError, type Args } from './common';

export async function printRuns(root: string, args: Args, json: boolean): Promise<number> {
  const given = args.flags.get('limit');
  const limit = given === undefined ? defaultHistoryPage : Number(given);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number of runs');
  const page = await readRunHistory(join(root, metadataFile), limit);
  if (json) { out(JSON.stringify(page, null, 2)); return 0; }
  if (!page.runs.length) out('No runs yet: materialize something first (asset-lens materialize DIR --select …).');
  for (const run of page.runs) printRun(run);
  if (page.more) out(`(older runs not shown: --limit ${limit * 2})`);
  return 0;
}

const runMarks: Record<RunHistoryDto['status'], string> = { running: '▶', success: '✓', failed: '✗', cancelled: '■' };

function printRun(run: RunHistoryDto): void {
  const by = run.reason ? `${run.trigger}: ${run.reason}` : run.trigger;
  const took = run.durationMs === undefined ? 'running' : formatMs(run.durationMs);
  out(`${runMarks[run.status]} ${run.startedAt}  ${run.selection}  ${run.status}  ${took}  (${by})  ${run.runId}`);
  if (run.error) out(`    ${run.error.split('\n')[0]}`);
  for (const s of run.steps) {
    const parts = [`  ${marks[s.status]} ${s.key}${s.partition !== undefined ? ` [${s.partition}]` : ''}`, s.status];
    if (s.rows !== undefined) parts.push(`${s.rows.toLocaleString('en-US')} rows`);
    parts.push(`${Math.round(s.durationMs).toLocaleString('en-US')} ms`);
    const why = s.error ?? s.note;
    if (why) parts.push(why.split('\n')[0]!);
    out(parts.join('  '));
  }
}
