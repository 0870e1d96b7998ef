// The asset rules of one automation tick: eager (run when an upstream has new data, the code changed
// or it is missing), lazy-missing, and freshness (a lazy asset runs, with the upstreams it needs,
// only when it would otherwise fall behind its policy). A Planner collects run requests so that no
// asset (or partition) is requested twice in one tick or while it is in flight.
import { ancestors } from './graph';
import type { AssetKey } from './model';
import type { StalenessReport } from './staleness';
import { latestPartitionKey } from './partitions';
import { minuteMs, type Instant } from './time';

export type Trigger = 'eager' | 'missing' | 'freshness' | 'schedule' | 'sensor';

export interface RunRequest {
  /** Assets to run, upstream first. */
  readonly keys: readonly AssetKey[];
  /** The partition to run; undefined for unpartitioned assets. */
  readonly partition?: string;
  readonly trigger: Trigger;
  /** Why the run was requested: "eager: upstream source_orders has new data". */
  readonly reason: string;
  /** Why each key is in the run (the pulled upstreams say what needs them). */
  readonly reasons: Readonly<Record<string, string>>;
}

interface Draft { keys: Set<AssetKey>; partition?: string; trigger: Trigger; reason: string; reasons: Record<string, string> }

const slot = (key: AssetKey, partition?: string): string => `${key}\u0000${partition ?? ''}`;

/** `schedule nightly 0 6 * * *; freshness: orders would be 2 min late (max lag 5 min)`: each reason once. */
function addReason(draft: Draft, reason: string): void {
  if (!draft.reason.split('; ').includes(reason)) draft.reason = `${draft.reason}; ${reason}`;
}

export class Planner {
  private readonly drafts: Draft[] = [];
  private readonly owner = new Map<string, Draft>();
  readonly notes: string[] = [];

  /**
   * `inFlight`: keys (or `key\u0000partition` slots) of runs not finished; `claims`: asset key → the
   * run that holds it (or waits for it) in the run queue, named for the deferral notes.
   */
  constructor(
    readonly report: StalenessReport, private readonly inFlight: ReadonlySet<string>, readonly now: Instant,
    private readonly claims: Readonly<Record<string, string>> = {},
  ) {}

  /** Held by a run (in the run queue, in flight, or running in the store's records) rather than requested in this tick. */
  running(key: AssetKey, partition?: string): boolean {
    return this.holder(key, partition) !== undefined;
  }

  /** The run that holds `key` (its label), or undefined when none does. */
  holder(key: AssetKey, partition?: string): string | undefined {
    const claimed = this.claims[key];
    if (claimed !== undefined) return claimed;
    if (this.inFlight.has(key) || this.inFlight.has(slot(key, partition))) return 'a run in progress';
    return this.report.index.isRunning(key, partition) ? 'a run in progress (another process)' : undefined;
  }

  /** Notes that a run of `what` was due but waits: `blocking` is held by another run. A later tick asks again. */
  defer(what: string, blocking: AssetKey, partition?: string): void {
    this.notes.push(`deferred ${what}: waiting for ${blocking}, held by ${this.holder(blocking, partition) ?? 'another run'}; a later tick asks again`);
  }
  requested(key: AssetKey, partition?: string): boolean { return this.owner.has(slot(key, partition)); }
  busy(key: AssetKey, partition?: string): boolean { return this.running(key, partition) || this.requested(key, partition); }

  /** Adds `keys` (each with its reason) as one request, merged with any request of this tick that already holds one of `joinWith`. */
  request(trigger: Trigger, reason: string, keys: ReadonlyMap<AssetKey, string>, partition?: string, joinWith: readonly AssetKey[] = []): void {
    const joined = [...new Set(joinWith.map((k) => this.owner.get(slot(k, partition))).filter((d): d is Draft => !!d))];
    const target = joined[0] ?? { keys: new Set<AssetKey>(), partition, trigger, reason, reasons: {} };
    if (!joined.length) this.drafts.push(target);
    for (const other of joined.slice(1)) this.absorb(target, other);
    let added = false;
    for (const [k, why] of keys) {
      if (this.requested(k, partition)) continue;
      target.keys.add(k);
      target.reasons[k] = why;
      this.owner.set(slot(k, partition), target);
      added = true;
    }
    // A run that took in another request's assets says why it runs them too.
    if (added && joined.length) addReason(target, reason);
  }

  private absorb(into: Draft, from: Draft): void {
    for (const k of from.keys) { into.keys.add(k); into.reasons[k] = from.reasons[k]!; this.owner.set(slot(k, from.partition), into); }
    addReason(into, from.reason);
    this.drafts.splice(this.drafts.indexOf(from), 1);
  }

  /** The requests in the order they were made, each one's keys in topological order. */
  requests(): RunRequest[] {
    const pos = new Map(this.report.index.graph.order.map((k, i) => [k, i]));
    return this.drafts.filter((d) => d.keys.size).map((d) => ({
      keys: [...d.keys].sort((a, b) => pos.get(a)! - pos.get(b)!),
      ...(d.partition !== undefined ? { partition: d.partition } : {}),
      trigger: d.trigger, reason: d.reason, reasons: d.reasons,
    }));
  }
}

/** True when the last attempt failed and nothing (code or upstream data) changed since: retrying would fail again. */
function failedWithoutNews(p: Planner, key: AssetKey, partition?: string): boolean {
  const ix = p.report.index;
  const f = ix.failure(key, partition);
  if (!f) return false;
  if (f.codeVersion !== undefined && f.codeVersion !== ix.records.codeVersions.get(key)) return false;
  return !ix.upstream(key).some((u) => (ix.isSource(u) ? ix.observation(u)?.since ?? -Infinity : ix.materialization(u)?.at ?? -Infinity) > f.at);
}

/** Never-materialized, non-source ancestors reachable through never-materialized assets only (what a missing asset cannot run without). */
function missingUpstreams(p: Planner, key: AssetKey): AssetKey[] {
  const ix = p.report.index;
  const out: AssetKey[] = [];
  const visit = (k: AssetKey) => {
    for (const u of ix.upstream(k)) {
      if (ix.isSource(u) || ix.asset(u)?.partitions || out.includes(u) || ix.materialization(u)) continue;
      out.push(u);
      visit(u);
    }
  };
  visit(key);
  return out;
}

function eagerReason(p: Planner, key: AssetKey): string | undefined {
  const s = p.report.assets.get(key);
  const first = s?.reasons[0];
  if (first?.kind === 'never-materialized') return 'never materialized';
  if (s?.reasons.some((r) => r.kind === 'code-changed')) return 'code changed since last materialization';
  const newer = s?.reasons.find((r) => r.kind === 'upstream-newer');
  if (newer) return `upstream ${newer.upstream} has new data`;
  const updating = p.report.index.upstream(key).find((u) => p.requested(u));
  return updating ? `upstream ${updating} is being updated` : undefined;
}

/** Requests the eager and lazy-missing assets of the graph, upstream first; missing upstreams come along. */
export function planEager(p: Planner): void {
  const ix = p.report.index;
  for (const key of ix.graph.order) {
    const a = ix.asset(key)!;
    if (ix.isSource(key) || (a.automation !== 'eager' && a.automation !== 'lazy') || a.freshness && a.automation !== 'eager') continue;
    if (a.partitions) { planLatestPartition(p, key); continue; }
    if (p.requested(key)) continue;
    const why = eagerReason(p, key);
    if (!why || (a.automation === 'lazy' && why !== 'never materialized') || failedWithoutNews(p, key)) continue;
    const trigger = a.automation === 'eager' ? 'eager' : 'missing';
    const pulled = missingUpstreams(p, key);
    const waiting = [key, ...pulled, ...ix.upstream(key)].find((u) => p.running(u));
    if (waiting) { p.defer(`${trigger} run of ${key} (${why})`, waiting); continue; }
    const keys = new Map<AssetKey, string>(pulled.reverse().map((u) => [u, `missing: needed by ${key}`]));
    keys.set(key, `${trigger}: ${why}`);
    p.request(trigger, `${trigger}: ${why}`, keys, undefined, ix.upstream(key));
  }
}

/** An eager partitioned asset keeps its newest partition current; older ones are for backfills. */
function planLatestPartition(p: Planner, key: AssetKey): void {
  const ix = p.report.index;
  const a = ix.asset(key)!;
  const latest = latestPartitionKey(a.partitions!, p.now);
  if (latest === undefined || a.automation !== 'eager' || p.requested(key, latest) || failedWithoutNews(p, key, latest)) return;
  const state = p.report.assets.get(key)?.partitions?.get(latest);
  if (state !== 'missing' && state !== 'stale') return;
  const why = `eager: partition ${latest} ${state === 'missing' ? 'never materialized' : 'is stale'}`;
  if (p.running(key, latest)) { p.defer(`eager run of ${key} [${latest}]`, key, latest); return; }
  p.request('eager', why, new Map([[key, why]]), latest);
}

/** Requests each asset with a freshness policy that would otherwise be late by the next tick (`margin` from now). */
export function planFreshness(p: Planner, marginMs: number): void {
  const ix = p.report.index;
  for (const key of ix.graph.order) {
    const a = ix.asset(key)!;
    const f = p.report.assets.get(key)?.freshness;
    if (!a.freshness || !f || p.requested(key) || failedWithoutNews(p, key)) continue;
    const lagMs = a.freshness.maximumLagMinutes * minuteMs;
    const lagText = `max lag ${a.freshness.maximumLagMinutes} min`;
    // Roots materialized at or before the cutoff would leave it late by the next tick.
    let why: string | undefined, cutoff = p.now + marginMs - lagMs + 1;
    if (f.state === 'never') why = `${key} was never materialized`;
    else if (f.state === 'late') why = `${key} is ${f.minutesLate} min late (${lagText})`;
    else if (f.deadline !== undefined && a.freshness.cronSchedule && p.now >= f.deadline - lagMs) {
      cutoff = f.deadline - lagMs;
      why = `${key} needs data from ${new Date(cutoff).toISOString().slice(11, 16)} UTC for the ${new Date(f.deadline).toISOString().slice(11, 16)} tick of ${a.freshness.cronSchedule}`;
    } else if (f.deadline !== undefined && !a.freshness.cronSchedule && p.now + marginMs >= f.deadline) {
      why = `${key} would be ${Math.ceil((p.now + marginMs - f.dataTime!) / minuteMs)} min late (${lagText})`;
    }
    if (why) requestWithUpstreams(p, key, `freshness: ${why}`, cutoff);
  }
}

/** `key` and every ancestor that is stale or is a root materialized before `cutoff`, with all assets between them. */
function requestWithUpstreams(p: Planner, key: AssetKey, reason: string, cutoff: Instant): void {
  const ix = p.report.index;
  const include = new Set<AssetKey>();
  const candidates = new Set([...ancestors(ix.graph, key), key]);
  for (const k of ix.graph.order) {
    if (!candidates.has(k) || ix.isSource(k) || ix.asset(k)?.partitions) continue;
    const s = p.report.assets.get(k);
    const m = ix.materialization(k);
    const oldRoot = m !== undefined && !Object.keys(m.roots ?? {}).length && m.at < cutoff;
    if (k === key || s?.status === 'stale' || oldRoot || ix.upstream(k).some((u) => include.has(u))) include.add(k);
  }
  const waiting = [...include].find((k) => p.running(k));
  if (waiting) { p.defer(`freshness run of ${key}`, waiting); return; }
  const broken = [...include].find((k) => failedWithoutNews(p, k));
  if (broken) { p.notes.push(`${key}: not retrying, the last run of ${broken} failed and nothing changed since`); return; }
  const keys = new Map<AssetKey, string>([...include].map((k) => [k, k === key ? reason : `freshness: needed by ${key}`]));
  p.request('freshness', reason, keys, undefined, [...include]);
}

