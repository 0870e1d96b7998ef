// The run history as users browse it: runs newest first, a page at a time, each with its steps.
// Read from the metadata store (metadataStore.ts writes it); a file that does not exist is an
// empty history, never created by reading.
import { existsSync } from 'node:fs';
import type { RunHistoryDto, RunHistoryStepDto } from '../shared/protocol';
import type { RunStatus, StepStatus } from '../shared/dto';
import { backfillPartition, runTrigger } from '../core/runTrigger';
import type { Row } from './duckdb';
import { MetadataStore, num, opt, str } from './metadataStore';

export const defaultHistoryPage = 50;

export interface HistoryPage {
  readonly runs: RunHistoryDto[];
  /** true when runs older than the page's last one exist. */
  readonly more: boolean;
}

/** Runs started before `before` (ISO time; undefined: the newest), at most `limit`, newest first. */
export async function readRunHistory(metadataPath: string, limit = defaultHistoryPage, before?: string): Promise<HistoryPage> {
  if (!existsSync(metadataPath)) return { runs: [], more: false };
  const store = await MetadataStore.open(metadataPath);
  try {
    return await store.use(async (db) => {
      // One row more than asked says whether an older page exists.
      const runs = await db.query(
        `SELECT * FROM runs ${before === undefined ? '' : 'WHERE started_at < ?'} ORDER BY started_at DESC, id LIMIT ?`,
        before === undefined ? [limit + 1] : [before, limit + 1]);
      const page = runs.slice(0, limit);
      const ids = page.map((r) => String(r.id));
      const steps = ids.length
        ? await db.query(`SELECT * FROM materializations WHERE run_id IN (${ids.map(() => '?').join(', ')}) ORDER BY started_at, seq`, ids)
        : [];
      const byRun = new Map<string, RunHistoryStepDto[]>();
      for (const s of steps) {
        const list = byRun.get(String(s.run_id)) ?? [];
        list.push(toStep(s));
        byRun.set(String(s.run_id), list);
      }
      return { runs: page.map((r) => toRun(r, byRun.get(String(r.id)) ?? [])), more: runs.length > limit };
    });
  } finally {
    store.close();
  }
}

/** Several folders' pages as one: newest first, cut to `limit`; `more` when any folder has more. */
export function mergePages(pages: readonly HistoryPage[], limit: number): HistoryPage {
  const all = pages.flatMap((p) => p.runs).sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  return { runs: all.slice(0, limit), more: all.length > limit || pages.some((p) => p.more) };
}

function toRun(r: Row, steps: RunHistoryStepDto[]): RunHistoryDto {
  const selection = String(r.selection);
  const reason = str(r.reason);
  const partition = backfillPartition(selection) ?? steps.find((s) => s.partition !== undefined)?.partition;
  return {
    runId: String(r.id), status: String(r.status) as RunStatus, selection,
    trigger: runTrigger({ selection, ...(reason !== undefined ? { reason } : {}), kind: String(r.kind ?? 'materialize') }),
    ...(reason !== undefined ? { reason } : {}),
    startedAt: String(r.started_at), ...opt('durationMs', num(r.duration_ms)), ...opt('error', str(r.error)),
    ...opt('partition', partition), steps,
  };
}

function toStep(s: Row): RunHistoryStepDto {
  return {
    key: String(s.asset_key), status: String(s.status) as StepStatus, startedAt: String(s.started_at), durationMs: num(s.duration_ms) ?? 0,
    ...opt('partition', str(s.partition_key)), ...opt('rows', num(s.rows)), ...opt('error', str(s.error)),
    ...opt('errorLine', num(s.error_line)), ...opt('note', str(s.note)),
  };
}
