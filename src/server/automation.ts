// Automation in the language server: one AutomationLoop per folder (the same loop `asset-lens
// daemon` runs), ticked every minute, after a watched source file changes and after each automated
// run. User runs and automated runs share the folder's run queue, so a tick during a user's run
// still runs what does not overlap it and defers the rest. Off unless the client turns it on; in
// an untrusted workspace it refuses and says why (nothing executes there).
import type { RunSummary, StepEvent } from '../shared/dto';
import type { Graph } from '../core/graph';
import { AutomationLoop, tickEveryMs } from '../adapters/automationLoop';
import type { ServerConfig } from './config';
import type { Folder } from './workspace';
import { messageOf } from '../core/text';

export interface AutomationHooks {
  readonly log: (message: string) => void;
  /** A step of an automated run changed, so views show it running and done as for a user's run. */
  readonly onEvent: (e: StepEvent) => void;
  /** An automated run finished: the status cache should be read again, and the client told why it ran. */
  readonly onRunFinished: (folder: Folder, summary: RunSummary) => void;
}

export class ServerAutomation {
  private readonly loops = new Map<Folder, AutomationLoop>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: ServerConfig, private readonly hooks: AutomationHooks) {}

  /** Starts the loops when the setting is on; returns why it stays off, or undefined when it runs. */
  start(folders: readonly Folder[]): string | undefined {
    if (!this.config.automation) return 'Automation is off (assetLens.automation.enabled).';
    if (!this.config.trusted) return 'Automation stays off in Restricted Mode: it would run SQL from this workspace. Trust the workspace to turn it on.';
    for (const f of folders) this.loops.set(f, this.loopFor(f));
    this.timer = setInterval(() => void this.tickAll(), tickEveryMs);
    void this.tickAll();
    return undefined;
  }

  /** While automation runs, folders added to the workspace get a loop and removed ones lose theirs. */
  follow(folders: readonly Folder[]): void {
    if (!this.timer) return;
    for (const f of [...this.loops.keys()]) if (!folders.includes(f)) this.loops.delete(f);
    for (const f of folders) if (!this.loops.has(f)) this.loops.set(f, this.loopFor(f));
  }

  private loopFor(f: Folder): AutomationLoop {
    return new AutomationLoop({
      root: f.root, graph: (): Graph => f.graph(), now: Date.now, threads: this.config.threads, warehouse: this.config.warehouse,
      log: (m) => this.hooks.log(`[${f.name}] ${m}`), onEvent: this.hooks.onEvent, onRun: (summary) => this.hooks.onRunFinished(f, summary),
    });
  }

  get running(): boolean { return this.loops.size > 0; }

  /** Ticks one folder (after a source file changed), or every folder. */
  async tickAll(only?: Folder): Promise<void> {
    for (const [folder, loop] of this.loops) {
      if (only && folder !== only) continue;
      try { await loop.tick(); } catch (e) { this.hooks.log(`[${folder.name}] automation tick failed: ${messageOf(e)}`); }
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.loops.clear();
  }
}
