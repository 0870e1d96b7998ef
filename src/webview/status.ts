// What each node shows about its last run: one status, its word, rows and time. Stored
// materializations come in whole (StatusMessage replaces them); live run events lie on top until
// the next StatusMessage, which already holds the outcome of every finished step.
import type { ObservedSourceDto } from '../shared/protocol';
import type { AssetKeyString, MaterializationDto, StepEvent, StepStatus } from '../shared/dto';
import type { StaleAsset } from '../shared/webviewProtocol';

export type DisplayStatus = 'never' | 'observed' | 'materialized' | 'stale' | 'checks-failing' | 'failed' | 'running' | 'queued' | 'skipped' | 'cancelled';

/** Checks of the last materialization; undefined when it ran none. */
export interface CheckCounts {
  readonly passed: number;
  readonly failed: number;
}

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
  /** Why the asset is stale (only with status 'stale'). */
  readonly reason?: string;
  readonly checks?: CheckCounts;
}

const WORDS: Record<DisplayStatus, string> = {
  never: 'never materialized',
  observed: 'observed',
  materialized: 'materialized',
  stale: 'stale',
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
  replace(materializations: readonly MaterializationDto[], stale: readonly StaleAsset[] = [], observed: readonly ObservedSourceDto[] = []): void {
    const runs = new Map(materializations.map((m) => [m.key, m.runId]));
    this.stored = new Map(materializations.map((m) => [m.key, fromMaterialization(m)]));
    // A source is looked at, not run: its last observation is its status, dated from its new data.
    for (const o of observed) if (!this.stored.has(o.key)) this.stored.set(o.key, fromObservation(o));
    // Stale wins over a good outcome only: a failure or failing checks are more urgent to show.
    for (const { key, reason } of stale) {
      const prior = this.stored.get(key);
      if (!prior || prior.status !== 'materialized') continue;
      this.stored.set(key, { ...prior, status: 'stale', word: WORDS.stale, reason });
    }
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

/** Most urgent first: what a collapsed cluster shows when its assets disagree. */
const URGENCY: readonly DisplayStatus[] = ['failed', 'running', 'queued', 'checks-failing', 'stale', 'never', 'cancelled', 'skipped', 'observed', 'materialized'];

/** One status for a collapsed cluster: its most urgent, with how many assets have it. */
export function clusterStatus(members: readonly NodeStatus[]): NodeStatus {
  const worst = URGENCY.find((u) => members.some((m) => m.status === u)) ?? 'never';
  const count = members.filter((m) => m.status === worst).length;
  const word = count === members.length ? `all ${WORDS[worst]}` : `${count} ${WORDS[worst]}`;
  const at = members.reduce<number | undefined>((m, s) => (s.at !== undefined && (m === undefined || s.at > m) ? s.at : m), undefined);
  return { status: worst, word, ...(at !== undefined ? { at } : {}) };
}

function fromMaterialization(m: MaterializationDto): NodeStatus {
  const failing = (m.checks ?? []).filter((c) => c.status === 'fail' || c.status === 'error');
  const status = m.status === 'success' && failing.length ? 'checks-failing' : displayOf(m.status);
  const at = Date.parse(m.startedAt);
  const detail = m.error ?? (failing.length ? failing.map((c) => `${c.name}: ${c.failingRows} failing rows`).join('\n') : undefined);
  const checks = m.checks?.length ? { passed: m.checks.length - failing.length, failed: failing.length } : undefined;
  return {
    ...(checks ? { checks } : {}),
    status,
    word: WORDS[status],
    ...(m.rows !== undefined ? { rows: m.rows } : {}),
    ...(Number.isFinite(at) ? { at } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

function fromObservation(o: ObservedSourceDto): NodeStatus {
  const at = Date.parse(o.since);
  return { status: 'observed', word: WORDS.observed, ...(Number.isFinite(at) ? { at } : {}), detail: `data version ${o.dataVersion}` };
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

/** "3 checks passed", "1 of 3 checks failing"; empty when none ran. */
export function formatChecks(c: CheckCounts | undefined): string {
  if (!c) return '';
  const total = c.passed + c.failed;
  if (!c.failed) return `${total} ${total === 1 ? 'check' : 'checks'} passed`;
  return `${c.failed} of ${total} ${total === 1 ? 'check' : 'checks'} failing`;
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
