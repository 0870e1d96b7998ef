// The run queue of one workspace folder in this process, as Dagster's would feel in an editor: a
// run claims the assets it materializes for as long as it runs, so the same asset never runs twice
// at once. A user's run that overlaps a claimed asset waits in line (first come, first served) and
// says what it waits for; automation leaves what is held or waited for to a later tick. The editor's
// runs, its automation loop and `asset-lens daemon` all go through the folder's one queue.
//
// A run also claims its warehouse file (warehouseSlot): DuckDB's catalog lets one writer create a
// schema at a time ("Catalog write-write conflict on create"), so runs into the same file go one
// after another, like Dagster's queue with max_concurrent_runs: 1 per warehouse.
import { resolve } from 'node:path';

/** A granted claim; release it when the run has ended (twice is harmless). */
export interface Lease {
  readonly label: string;
  release(): void;
}

/** Thrown by claim() when its signal aborts before the claim is granted. */
export class ClaimCancelled extends Error {
  constructor(readonly waitingFor: string | undefined) {
    super(`Cancelled while waiting${waitingFor ? ` for ${waitingFor}` : ''}; nothing ran.`);
    this.name = 'ClaimCancelled';
  }
}

export interface ClaimOptions {
  readonly signal?: AbortSignal;
  /**
   * Called when the claim has to wait, and again whenever what it waits for changes. `sharesAssets`
   * is false when the other run only writes the same warehouse.
   */
  readonly onWait?: (holder: string, sharesAssets: boolean) => void;
}

const slotPrefix = '\u0000warehouse:';

/** The claim key of a warehouse file: every run into it holds it. */
export const warehouseSlot = (path: string): string => `${slotPrefix}${resolve(path)}`;

interface Entry {
  readonly label: string;
  readonly keys: ReadonlySet<string>;
  granted: boolean;
  /** The label of what it waits for; undefined once granted. */
  waitingFor?: string;
  grant?: () => void;
  onWait?: ClaimOptions['onWait'];
}

export class RunClaims {
  /** Granted claims and waiting ones, in arrival order: a waiting claim blocks later ones that overlap it. */
  private readonly entries: Entry[] = [];

  /**
   * Every key a run holds or waits for, with the label of the first such run. Automation leaves
   * these alone this tick: a waiting user run goes first.
   */
  holders(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.entries) for (const k of e.keys) if (!out.has(k)) out.set(k, e.granted ? e.label : `${e.label} (waiting)`);
    return out;
  }

  /** Claims `keys`, waiting in line while earlier runs hold or wait for one of them. */
  claim(label: string, keys: readonly string[], opts: ClaimOptions = {}): Promise<Lease> {
    const entry: Entry = { label, keys: new Set(keys), granted: false, ...(opts.onWait ? { onWait: opts.onWait } : {}) };
    return new Promise<Lease>((resolvePromise, reject) => {
      if (opts.signal?.aborted) { reject(new ClaimCancelled(undefined)); return; }
      const onAbort = () => { const waited = entry.waitingFor; this.remove(entry); reject(new ClaimCancelled(waited)); };
      entry.grant = () => { opts.signal?.removeEventListener('abort', onAbort); resolvePromise(this.lease(entry)); };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.entries.push(entry);
      this.advance();
    });
  }

  private lease(entry: Entry): Lease {
    return { label: entry.label, release: () => this.remove(entry) };
  }

  private remove(entry: Entry): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.advance();
  }

  /** Grants every waiting claim nothing before it blocks any more; records what the others wait for. */
  private advance(): void {
    // Over a copy: a listener may cancel its claim (removing it) while this runs.
    for (const e of [...this.entries]) {
      const i = this.entries.indexOf(e);
      if (i < 0 || e.granted) continue;
      const holder = this.blocker(e.keys, i);
      if (!holder) { e.granted = true; e.waitingFor = undefined; e.grant?.(); continue; }
      const label = holder.granted ? holder.label : `${holder.label} (also waiting)`;
      if (label === e.waitingFor) continue;
      e.waitingFor = label;
      const sharesAssets = [...holder.keys].some((k) => !k.startsWith(slotPrefix) && e.keys.has(k));
      try { e.onWait?.(label, sharesAssets); } catch { /* a listener's bug must not stall the queue */ }
    }
  }

  /** The first of the `before` earlier entries that overlaps `keys`. */
  private blocker(keys: ReadonlySet<string>, before: number): Entry | undefined {
    for (let i = 0; i < before; i++) {
      const e = this.entries[i]!;
      for (const k of e.keys) if (keys.has(k)) return e;
    }
    return undefined;
  }
}

const queues = new Map<string, RunClaims>();

/** The one queue of the folder at `root` in this process (created on first use). */
export function claimsFor(root: string): RunClaims {
  const key = resolve(root);
  let q = queues.get(key);
  if (!q) queues.set(key, (q = new RunClaims()));
  return q;
}
