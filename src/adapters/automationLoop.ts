// The automation loop shared by the language server and `asset-lens daemon`: observe sources, run
// one core tick (core/automation.ts), persist its state, and run what it requests, one automated
// run at a time per folder, with the reason kept in the run history. Every request claims its
// assets and warehouse in the folder's run queue (runClaims.ts) the moment it is made, so a user's
// run waits for it and it waits (queued) for a user's run into the same warehouse; a request whose
// assets another run holds is deferred to a later tick. The clock is a parameter, so tests drive
// the loop with a fake one.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { RunSummary, StepEvent } from '../shared/dto';
import type { Graph } from '../core/graph';
import { restoreAutomationState, tick, type AutomationState, type RunRequest, type ScheduleDef, type SensorDef, type TickResult } from '../core/automation';
import { metadataFile, warehouseFor } from '../core/warehouse';
import { assetState } from './assetState';
import { claimsFor, warehouseSlot, type Lease, type RunClaims } from './runClaims';
import { materialize } from './runner';
import { messageOf } from '../core/text';

export const automationStateFile = '.assetlens/automation.json';
/** How often the editor and `asset-lens daemon` tick when nothing else makes them (a changed source file does). */
export const tickEveryMs = 60_000;

export interface LoopOptions {
  readonly root: string;
  /** The graph as it is now (it changes while the editor is open). */
  readonly graph: () => Graph;
  readonly now: () => number;
  readonly threads: number;
  /** `assetLens.warehouse`; undefined: the project's profile or the default. */
  readonly warehouse?: string;
  /** Overrides the graph's schedules (`graph.automations`); undefined: the graph's. */
  readonly schedules?: () => readonly ScheduleDef[];
  /** Overrides the graph's sensors; undefined: the graph's. */
  readonly sensors?: () => readonly SensorDef[];
  readonly log: (message: string) => void;
  /** Every step change of an automated run, as a user's run streams them, with the run's reason; undefined: not reported. */
  readonly onEvent?: (e: StepEvent) => void;
  /** Every finished automated run; an exception thrown here is ignored. */
  readonly onRun?: (summary: RunSummary, request: RunRequest) => void;
  /** The run queue shared with the user's runs; undefined: the folder's queue in this process (claimsFor). */
  readonly claims?: RunClaims;
}

export class AutomationLoop {
  private queue: Promise<void> = Promise.resolve();
  private ticking: Promise<TickResult> | undefined;
  private readonly claims: RunClaims;

  constructor(private readonly opts: LoopOptions) {
    this.claims = opts.claims ?? claimsFor(opts.root);
  }

  /** One tick; requested runs are queued and `idle()` resolves when they are done. A tick during a tick shares it. */
  tick(): Promise<TickResult> {
    this.ticking ??= this.tickOnce().finally(() => { this.ticking = undefined; });
    return this.ticking;
  }

  /** Resolves when every queued run has finished. */
  async idle(): Promise<void> {
    for (let q = this.queue; ; q = this.queue) { await q; if (q === this.queue) return; }
  }

  private async tickOnce(): Promise<TickResult> {
    const { root, now } = this.opts;
    // Runs that hold assets when the tick starts count even if they end while the store is read:
    // their results are not in the records this tick decides on.
    const heldAtStart = this.claims.holders();
    const at = now();
    const graph = this.opts.graph();
    const state = readState(root);
    const { records, observed } = await assetState(root, graph, join(root, metadataFile), at, true);
    for (const o of observed) if (o.changed) this.opts.log(`observed ${o.observation.key}: new data version (${o.files.join(', ')})`);
    // The schedules and sensors Dagster code defines, read with the same graph this tick decides on; explicit ones (tests) win.
    const sensors = this.opts.sensors?.() ?? graph.automations?.sensors ?? [];
    const schedules = this.opts.schedules?.() ?? graph.automations?.schedules ?? [];
    const lst = listings(root, sensors);
    // From here to the claims below nothing awaits: no run can claim an asset in between.
    const claims = Object.fromEntries([...this.claims.holders(), ...heldAtStart]);
    const assetSensors = graph.automations?.assetSensors ?? [];
    const result = tick(state, { records, claims, schedules, sensors, assetSensors, listings: lst }, at);
    writeState(root, result.nextState);
    for (const note of result.notes) this.opts.log(note);
    // Claimed now, so the next tick and a user's run see them. Nothing else holds these assets; two
    // partitions of one asset requested in the same tick wait for each other here.
    for (const r of result.runRequests) {
      const keys = [...r.keys, warehouseSlot(this.warehousePath(graph, r))];
      this.enqueue(graph, r, this.claims.claim(labelOf(r), keys, { onWait: (h) => this.opts.log(`automation run of ${describe(r)} waits for ${h}`) }));
    }
    return result;
  }

  /** Queues a request behind the loop's earlier ones; it starts once its claim is granted. */
  private enqueue(graph: Graph, r: RunRequest, claimed: Promise<Lease>): void {
    this.opts.log(`automation: ${describe(r)} (${r.reason})`);
    this.queue = this.queue.then(async () => {
      const lease = await claimed;
      try {
        const summary = await this.run(graph, r);
        this.opts.log(`automation run ${summary.status}: ${r.keys.join(', ')}${summary.error ? ` — ${summary.error}` : ''}`);
        try { this.opts.onRun?.(summary, r); } catch { /* a listener's bug must not stop the loop */ }
      } catch (e) {
        this.opts.log(`automation run could not start: ${messageOf(e)}`);
      } finally {
        lease.release();
      }
    });
  }

  private warehousePath(graph: Graph, r: RunRequest): string {
    const wh = warehouseFor(graph, r.keys, this.opts.warehouse);
    return isAbsolute(wh) ? wh : join(this.opts.root, wh);
  }

  private run(graph: Graph, r: RunRequest): Promise<RunSummary> {
    const { root, now } = this.opts;
    return materialize({
      root, graph, keys: r.keys, selection: r.keys.join(' '), reason: r.reason, threads: this.opts.threads,
      warehousePath: this.warehousePath(graph, r), metadataPath: join(root, metadataFile),
      now: () => new Date(now()), ...(r.partition !== undefined ? { partition: r.partition } : {}),
      ...(this.opts.onEvent ? { onEvent: (e: StepEvent) => this.opts.onEvent!({ ...e, reason: r.reason }) } : {}),
    });
  }
}

const describe = (r: RunRequest): string => `${r.keys.join(', ')}${r.partition !== undefined ? ` [${r.partition}]` : ''}`;
/** How the run queue names an automated run to a user's run waiting for it. */
const labelOf = (r: RunRequest): string => `automation run of ${describe(r)} (${r.reason})`;

/** The persisted state; a missing or unreadable file starts afresh (schedules then start from now). */
export function readState(root: string): AutomationState {
  try { return restoreAutomationState(JSON.parse(readFileSync(join(root, automationStateFile), 'utf8'))); } catch { return restoreAutomationState(undefined); }
}

/** Written to a temp file and renamed, so a crash never leaves half a state. */
function writeState(root: string, state: AutomationState): void {
  const path = join(root, automationStateFile);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${path}.tmp`, path);
}

/** Each sensor folder's file names; a folder that cannot be listed is left out (its sensor waits). */
function listings(root: string, sensors: readonly SensorDef[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const s of sensors) { try { out[s.folder] = readdirSync(join(root, s.folder)); } catch { /* not there yet */ } }
  return out;
}
