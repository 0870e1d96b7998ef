// Freshness as Dagster's FreshnessPolicy defines it. An asset's data time is the oldest point up to
// which it incorporates all source data: for a root asset (nothing upstream with data) the time of
// the materialization it incorporated; for an observed source the time a version it has not yet
// incorporated was first seen (while it holds the current version, that source never makes it late).
// `maximum_lag_minutes` alone: at every moment the data time must be at most that old.
// With `cron_schedule`: at every tick T the data time must be at least T − lag.
import { nextAfter, previousAtOrBefore } from './cron';
import type { AssetKey, FreshnessDef } from './model';
import type { RecordIndex } from './records';
import { minuteMs, type Instant } from './time';

export interface FreshnessState {
  /** `never`: no materialization yet, shown as overdue. */
  readonly state: 'fresh' | 'late' | 'never';
  /** Infinity: it incorporates all data known; undefined with `never`. */
  readonly dataTime?: Instant;
  /** How far past the policy it is, in minutes; 0 unless late. */
  readonly minutesLate: number;
  /** When it turns late if nothing runs; undefined when it cannot (it holds all known data) or is already late. */
  readonly deadline?: Instant;
  readonly message: string;
}

/**
 * The data time of the last materialization of `key` (`partition` undefined when unpartitioned) at
 * `ix.now`. Undefined when it was never materialized; Infinity when it holds every known source
 * version and has no root asset upstream (an event-driven chain with no news).
 */
export function dataTimeOf(ix: RecordIndex, key: AssetKey, partition?: string): Instant | undefined {
  const m = ix.materialization(key, partition);
  if (!m) return undefined;
  const roots = Object.entries(m.roots ?? {});
  if (!roots.length) return m.at;
  let t = Infinity;
  for (const [root, v] of roots) {
    if (!ix.isSource(root as AssetKey)) { t = Math.min(t, v.at); continue; }
    const obs = ix.observation(root as AssetKey);
    if (obs && obs.dataVersion !== v.version) t = Math.min(t, obs.since);
  }
  return t;
}

const minutes = (ms: number): number => Math.max(0, Math.ceil(ms / minuteMs));

/**
 * The freshness of data with `dataTime` (undefined: never materialized) under `policy` at `now`.
 * Cron ticks are read in UTC unless `tz` names a zone. A cron that never fires makes nothing late.
 */
export function freshnessOf(policy: FreshnessDef, dataTime: Instant | undefined, now: Instant, tz?: string): FreshnessState {
  const lag = policy.maximumLagMinutes * minuteMs;
  const lagText = `max lag ${policy.maximumLagMinutes} min`;
  if (dataTime === undefined) return { state: 'never', minutesLate: 0, message: `overdue: never materialized (${lagText})` };
  let required: number, deadline: number | undefined;
  if (policy.cronSchedule) {
    const tick = previousAtOrBefore(policy.cronSchedule, now, tz);
    required = tick === undefined ? -Infinity : tick - lag;
    deadline = Number.isFinite(dataTime) ? nextAfter(policy.cronSchedule, Math.max(now, dataTime + lag), tz) : undefined;
  } else {
    required = now - lag;
    deadline = Number.isFinite(dataTime) ? dataTime + lag : undefined;
  }
  if (dataTime < required) {
    const late = minutes(required - dataTime);
    return { state: 'late', dataTime, minutesLate: late, message: `late by ${late} min (${lagText})` };
  }
  const age = Number.isFinite(dataTime) ? `data from ${minutes(now - dataTime)} min ago` : 'has all known data';
  return { state: 'fresh', dataTime, minutesLate: 0, deadline, message: `fresh: ${age} (${lagText})` };
}

/** The freshness of an asset with a policy; undefined when it has none or is partitioned (partitions follow schedules and backfills). */
export function assetFreshness(ix: RecordIndex, key: AssetKey): FreshnessState | undefined {
  const a = ix.asset(key);
  if (!a?.freshness || a.partitions || ix.isSource(key)) return undefined;
  return freshnessOf(a.freshness, dataTimeOf(ix, key), ix.now);
}
