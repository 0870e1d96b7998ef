// What each node shows about its last run: one status, its word, rows and time. Stored
// materializations come in whole (StatusMessage replaces them); live run events lie on top until
// the next StatusMessage, which already holds the outcome of every finished step.
import type { AssetKeyString, MaterializationDto, StepEvent, StepStatus } from '../shared/protocol';

export type DisplayStatus = 'never' | 'materialized' | 'checks-failing' | 'failed' | 'running' | 'queued' | 'skipped' | 'cancelled';

export interface NodeStatus {
  readonly status: DisplayStatus;
  /** The word under the name, e.g. "materialized". */
  readonly word: string;
  /** Rows written by the last successful materialization; undefined when unknown. */
  readonly rows?: number;
  /** When the last run started or the event arrived, in ms since the epoch; undefined: never. */
  readonly at?: number;
  /** The error, note or failing checks, shown as the node's tooltip; undefined when none. */
  readonly detail?: string;
}

const WORDS: Record<DisplayStatus, string> = {
  never: 'never materialized',
  materialized: 'materialized',
  'checks-failing': 'checks failing',
  failed: 'failed',
  running: 'running',
  queued: 'queued',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

const NEVER: NodeStatus = { status: 'never', word: WORDS.never };

export class StatusBook {
  private stored = new Map<AssetKeyString, NodeStatus>();
  private live = new Map<AssetKeyString, { readonly runId: string; readonly status: NodeStatus }>();

  /**
   * Replaces the stored statuses. A live event stays on top only while its step is unfinished and
   * the store holds nothing from its run; once the store has the step's own run, the store wins.
   */
  replace(materializations: readonly MaterializationDto[]): void {
    const runs = new Map(materializations.map((m) => [m.key, m.runId]));
    this.stored = new Map(materializations.map((m) => [m.key, fromMaterialization(m)]));
    for (const [key, e] of this.live) {
      const unfinished = e.status.status === 'running' || e.status.status === 'queued';
      if (!unfinished || runs.get(key) === e.runId) this.live.delete(key);
    }
  }

  apply(event: StepEvent, now: number): void {
    this.live.set(event.key, { runId: event.runId, status: fromEvent(event, this.get(event.key), now) });
  }

  get(key: AssetKeyString): NodeStatus {
    return this.live.get(key)?.status ?? this.stored.get(key) ?? NEVER;
  }
}

function fromMaterialization(m: MaterializationDto): NodeStatus {
  const failing = (m.checks ?? []).filter((c) => c.status === 'fail' || c.status === 'error');
  const status = m.status === 'success' && failing.length ? 'checks-failing' : displayOf(m.status);
  const at = Date.parse(m.startedAt);
  const detail = m.error ?? (failing.length ? failing.map((c) => `${c.name}: ${c.failingRows} failing rows`).join('\n') : undefined);
  return {
    status,
    word: WORDS[status],
    ...(m.rows !== undefined ? { rows: m.rows } : {}),
    ...(Number.isFinite(at) ? { at } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

function fromEvent(e: StepEvent, prior: NodeStatus, now: number): NodeStatus {
  const status = displayOf(e.status);
  // A running or queued step has not written anything yet, so the previous rows still hold.
  const rows = e.rows ?? (status === 'materialized' ? undefined : prior.rows);
  const detail = e.error ?? e.note;
  return {
    status,
    word: WORDS[status],
    ...(rows !== undefined ? { rows } : {}),
    at: status === 'running' || status === 'queued' ? (prior.at ?? now) : now,
    ...(detail !== undefined ? { detail } : {}),
  };
}

function displayOf(s: StepStatus): DisplayStatus {
  switch (s) {
    case 'pending': return 'queued';
    case 'running': return 'running';
    case 'success': return 'materialized';
    case 'failed': return 'failed';
    case 'skipped': return 'skipped';
    case 'cancelled': return 'cancelled';
    default: return assertNever(s);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}

/** "1 row", "12,345 rows"; empty when unknown. */
export function formatRows(rows: number | undefined): string {
  if (rows === undefined) return '';
  return `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`;
}

/** A short relative time: "just now", "5 min ago", "3 h ago", "2 d ago"; empty when unknown. */
export function formatAgo(at: number | undefined, now: number): string {
  if (at === undefined) return '';
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / 1440)} d ago`;
}
