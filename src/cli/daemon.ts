// `asset-lens daemon DIR [--once] [--interval S]`: the editor's automation loop without the
// editor (the same AutomationLoop, rules and run queue; no second implementation). Each tick
// re-indexes the workspace (files change meanwhile), observes sources and runs what eager
// policies, freshness policies, schedules and sensors ask for.
import { setTimeout as delay } from 'node:timers/promises';
import type { Graph } from '../core/graph';
import { AutomationLoop, tickEveryMs } from '../adapters/automationLoop';
import { openWorkspace } from '../adapters/workspaceFs';
import { err, type Args } from './common';

/** The loop `daemon` runs, with the clock and the graph as parameters (tests pass a fake clock). */
export function daemonLoop(root: string, graph: () => Graph, now: () => number, log: (m: string) => void): AutomationLoop {
  return new AutomationLoop({ root, graph, now, threads: 4, log });
}

export async function runDaemon(root: string, args: Args): Promise<number> {
  const interval = Number(args.flags.get('interval') ?? tickEveryMs / 1000);
  if (!(interval > 0)) { err('--interval needs a number of seconds above 0'); return 2; }
  let graph = (await openWorkspace(root)).graph();
  const loop = daemonLoop(root, () => graph, Date.now, (m) => err(`${new Date().toISOString()} ${m}`));
  const stop = new AbortController();
  process.on('SIGINT', () => stop.abort());
  for (;;) {
    await loop.tick();
    await loop.idle();
    if (args.flags.has('once') || stop.signal.aborted) return 0;
    await delay(interval * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
    if (stop.signal.aborted) return 0;
    graph = (await openWorkspace(root)).graph();
  }
}
