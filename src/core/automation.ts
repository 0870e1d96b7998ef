// One automation tick as a pure function: (state, inputs, now) → run requests and the next state.
// The server calls it on a timer and on events (an observation, a finished run); the clock is a
// parameter, so tests drive it with a fake one. The state is a plain JSON value that the server
// persists, so a window reload neither re-fires a schedule nor forgets a sensor's cursor.
import type { AssetKey } from './model';
import { previousAtOrBefore } from './cron';
import { isPartitionKey, latestPartitionKey } from './partitions';
import type { AssetRecords } from './records';
import { evaluateStaleness, type StalenessReport } from './staleness';
import type { Instant } from './time';
import { Planner, planEager, planFreshness, type RunRequest } from './automationRules';

export type { RunRequest, Trigger } from './automationRules';

/** A cron schedule on a selection of assets (Dagster's ScheduleDefinition on an asset job). */
export interface ScheduleDef {
  readonly name: string;
  readonly cron: string;
  /** IANA zone the cron is read in; undefined: UTC. */
  readonly timezone?: string;
  readonly selection: readonly AssetKey[];
}

/** A sensor on a folder: each new file name becomes a run request of `selection`. */
export interface SensorDef {
  readonly name: string;
  /** Workspace-relative folder whose listing the caller passes in `listings`. */
  readonly folder: string;
  readonly selection: readonly AssetKey[];
  /** Only names ending with this count (`.csv`); undefined: every name. */
  readonly suffix?: string;
  /** The file name without `suffix` is the partition key to run (seed 003's incoming sensor). */
  readonly partitionFromFileName?: boolean;
}

/** Dagster's `@asset_sensor`: each new materialization of `asset` requests a run of `selection`. */
export interface AssetSensorDef {
  readonly name: string;
  readonly asset: AssetKey;
  readonly selection: readonly AssetKey[];
}

/** Serializable automation state (JSON round-trips it). */
export interface AutomationState {
  readonly version: 1;
  readonly lastTickAt?: Instant;
  /** Schedule name → when it was last evaluated; a schedule fires for ticks after that. */
  readonly schedules: Readonly<Record<string, Instant>>;
  /** Sensor name → the cursor: file names already requested, sorted. */
  readonly sensors: Readonly<Record<string, readonly string[]>>;
  /** Asset sensor name → when the materialization it last acted on started; absent: it has seen none. */
  readonly assetSensors?: Readonly<Record<string, Instant>>;
}

export interface AutomationInputs {
  /** The store's records; `now` in them is replaced by the tick's `now`. */
  readonly records: AssetRecords;
  /** Keys (or `key\u0000partition` slots) the runner has accepted and not finished; undefined: none. */
  readonly inFlight?: readonly string[];
  /**
   * Asset key → the run that holds it in the run queue (or waits for it), e.g. "run of 'raw/orders'";
   * a request that needs one of them is deferred to a later tick, with a note naming the run. Undefined: none.
   */
  readonly claims?: Readonly<Record<string, string>>;
  readonly schedules?: readonly ScheduleDef[];
  readonly sensors?: readonly SensorDef[];
  readonly assetSensors?: readonly AssetSensorDef[];
  /** Folder → the file names in it now; a folder absent here was not listed this tick and its sensor waits. */
  readonly listings?: Readonly<Record<string, readonly string[]>>;
  /** How far ahead freshness looks (about one tick interval); undefined: 60 s. */
  readonly marginMs?: number;
}

export interface TickResult {
  readonly runRequests: readonly RunRequest[];
  readonly nextState: AutomationState;
  /** Why something due did not run yet ("waiting for raw/orders to finish"); empty when nothing waits. */
  readonly notes: readonly string[];
  /** The staleness the decisions were made on, for the status bar and the panel. */
  readonly report: StalenessReport;
}

export const initialAutomationState = (): AutomationState => ({ version: 1, schedules: {}, sensors: {} });

/** Reads a persisted state; anything unreadable (older version, corrupt) gives a fresh state. */
export function restoreAutomationState(value: unknown): AutomationState {
  const v = value as Partial<AutomationState> | null;
  if (!v || v.version !== 1 || typeof v.schedules !== 'object' || typeof v.sensors !== 'object') return initialAutomationState();
  const assetSensors = v.assetSensors && typeof v.assetSensors === 'object' ? { assetSensors: { ...v.assetSensors } } : {};
  return { version: 1, lastTickAt: v.lastTickAt, schedules: { ...v.schedules }, sensors: { ...v.sensors }, ...assetSensors };
}

/**
 * Decides what to materialize at `now`: sensors first, then schedules, eager and missing assets,
 * and freshness. No asset (or partition) is requested twice, nor while it is in flight.
 */
export function tick(state: AutomationState, inputs: AutomationInputs, now: Instant): TickResult {
  const report = evaluateStaleness({ ...inputs.records, now });
  const planner = new Planner(report, new Set(inputs.inFlight ?? []), now, inputs.claims);
  const sensors = runSensors(planner, state, inputs);
  const assetSensors = runAssetSensors(planner, state, inputs.assetSensors ?? []);
  const schedules = runSchedules(planner, state, inputs.schedules ?? [], now);
  planEager(planner);
  planFreshness(planner, inputs.marginMs ?? 60_000);
  return {
    runRequests: planner.requests(),
    nextState: { version: 1, lastTickAt: now, schedules, sensors, ...(Object.keys(assetSensors).length ? { assetSensors } : {}) },
    notes: planner.notes,
    report,
  };
}

/** Selected keys that can run: known, not sources, not busy. */
function runnable(p: Planner, selection: readonly AssetKey[], partition?: string): AssetKey[] {
  const ix = p.report.index;
  return selection.filter((k) => ix.asset(k) && !ix.isSource(k) && !p.busy(k, partition));
}

function runSchedules(p: Planner, state: AutomationState, defs: readonly ScheduleDef[], now: Instant): Record<string, Instant> {
  const next: Record<string, Instant> = {};
  for (const s of defs) {
    next[s.name] = now;
    const last = state.schedules[s.name];
    // A schedule seen for the first time starts now: it does not fire for ticks before it was on.
    if (last === undefined) continue;
    let fired: Instant | undefined;
    try { fired = previousAtOrBefore(s.cron, now, s.timezone); } catch (e) { p.notes.push(`schedule ${s.name}: ${(e as Error).message}`); continue; }
    if (fired === undefined || fired <= last) continue;
    const def = p.report.index.asset(s.selection[0]!)?.partitions;
    const partition = def ? latestPartitionKey(def, now) : undefined;
    // A tick whose assets another run holds waits whole, as a queued run would: the schedule stays armed.
    const held = s.selection.find((k) => p.running(k, partition));
    if (held) { p.defer(`schedule ${s.name} (${s.cron})`, held, partition); next[s.name] = last; continue; }
    const keys = runnable(p, s.selection, partition);
    if (!keys.length) continue;
    const reason = `schedule ${s.name} ${s.cron}`;
    p.request('schedule', reason, new Map(keys.map((k) => [k, reason])), partition);
  }
  return next;
}

function runSensors(p: Planner, state: AutomationState, inputs: AutomationInputs): Record<string, readonly string[]> {
  const next: Record<string, readonly string[]> = { ...state.sensors };
  for (const s of inputs.sensors ?? []) {
    const listing = inputs.listings?.[s.folder];
    if (!listing) continue;
    const seen = new Set(state.sensors[s.name] ?? []);
    const fresh = listing.filter((f) => !seen.has(f) && (!s.suffix || f.endsWith(s.suffix))).sort();
    for (const file of s.partitionFromFileName ? fresh : fresh.slice(0, 1)) {
      if (sensorRequest(p, s, file, fresh.length)) seen.add(file);
    }
    if (!s.partitionFromFileName && fresh.length && seen.has(fresh[0]!)) for (const f of fresh) seen.add(f);
    next[s.name] = [...seen].sort();
  }
  return next;
}

/** One request for a new file; false when it must wait (its assets are busy), so the cursor keeps it for the next tick. */
function sensorRequest(p: Planner, s: SensorDef, file: string, count: number): boolean {
  const partition = s.partitionFromFileName ? (s.suffix ? file.slice(0, -s.suffix.length) : file) : undefined;
  const def = p.report.index.asset(s.selection[0]!)?.partitions;
  if (partition !== undefined && def && !isPartitionKey(def, partition, p.now)) {
    p.notes.push(`sensor ${s.name}: ${file} names no partition of ${s.selection[0]}`);
    return true;
  }
  const held = s.selection.find((k) => p.running(k, partition));
  if (held) { p.defer(`sensor ${s.name} run for ${s.folder}/${file}`, held, partition); return false; }
  const keys = runnable(p, s.selection, partition);
  if (keys.length < s.selection.length) return false;
  const more = !s.partitionFromFileName && count > 1 ? ` and ${count - 1} more` : '';
  const reason = `sensor ${s.name}: ${s.folder}/${file}${more}`;
  p.request('sensor', reason, new Map(keys.map((k) => [k, reason])), partition);
  return true;
}

/**
 * Asset sensors, as Dagster's: the newest materialization of the watched asset after the cursor
 * (any, on the first evaluation) requests a run of the selection, in that partition when the
 * selection is partitioned alike. While another run holds the selection the cursor stays put.
 */
function runAssetSensors(p: Planner, state: AutomationState, defs: readonly AssetSensorDef[]): Record<string, Instant> {
  const next: Record<string, Instant> = { ...state.assetSensors };
  for (const s of defs) {
    const latest = p.report.index.latestMaterialization(s.asset);
    const cursor = state.assetSensors?.[s.name];
    if (!latest || (cursor !== undefined && latest.at <= cursor)) continue;
    const def = p.report.index.asset(s.selection[0]!)?.partitions;
    const partition = !def ? undefined : latest.partition !== undefined && isPartitionKey(def, latest.partition, p.now) ? latest.partition : latestPartitionKey(def, p.now);
    const what = `${s.asset}${latest.partition !== undefined ? ` [${latest.partition}]` : ''}`;
    const held = s.selection.find((k) => p.running(k, partition));
    if (held) { p.defer(`asset sensor ${s.name} run for the new materialization of ${what}`, held, partition); continue; }
    next[s.name] = latest.at;
    const keys = runnable(p, s.selection, partition);
    if (!keys.length) continue;
    const reason = `asset sensor ${s.name}: ${what} has a new materialization`;
    p.request('sensor', reason, new Map(keys.map((k) => [k, reason])), partition);
  }
  return next;
}
