// What every CLI command shares: argument parsing, the selection, paths, Ctrl+C and output.
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { StepEvent } from '../shared/dto';
import { keyFromString, type AssetKey } from '../core/model';
import { formatMs } from '../core/present';
import type { Graph } from '../core/graph';
import { parseSelection, resolveSelection } from '../core/selection';
import { warehouseFor, metadataFile } from '../core/warehouse';

/** Flags that take a value (`--select X`); any other `--flag` is a switch. */
const valued = ['select', 'exclude', 'threads', 's', 'vars', 'partition', 'from', 'to', 'interval', 'limit'];

export interface Args { readonly cmd: string; readonly positional: string[]; readonly flags: Map<string, string | true> }

export function parseArgs(argv: readonly string[]): Args {
  const [cmd = '', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (valued.includes(name) && rest[i + 1] !== undefined) flags.set(name, rest[++i]!);
    else flags.set(name, true);
  }
  return { cmd, positional, flags };
}

export class UsageError extends Error {}

/** The selected keys: `--select` (required unless `all` is allowed, then everything) minus `--exclude`. */
export function selected(graph: Graph, args: Args, cmd: string, all: boolean): { selection: string; keys: AssetKey[] } {
  const given = args.flags.get('select') ?? args.flags.get('s');
  if (typeof given !== 'string' && !all) throw new UsageError(`${cmd} needs --select SEL (e.g. --select +customers)`);
  const selection = typeof given === 'string' ? given : '*';
  const exclude = args.flags.get('exclude');
  return { selection, keys: resolveSelection(graph, parseSelection(selection, typeof exclude === 'string' ? exclude : '')) };
}

/** `--vars '{"k": "v"}'` or `--vars 'k: v'`: a YAML (or JSON) mapping, as dbt takes it. */
export function varsOf(args: Args): Record<string, unknown> | undefined {
  const text = args.flags.get('vars');
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = typeof text === 'string' ? parseYaml(text) : undefined;
  } catch (e) {
    throw new UsageError(`--vars is not valid YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--vars needs a mapping, e.g. --vars '{"start_date": "2024-01-01"}'`);
  return value as Record<string, unknown>;
}

/** Runs `fn` with a signal that Ctrl+C aborts; a second Ctrl+C quits at once. */
export async function cancellable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => { if (controller.signal.aborted) process.exit(130); err('cancelling… (Ctrl+C again to quit at once)'); controller.abort(); };
  process.on('SIGINT', onSigint);
  try { return await fn(controller.signal); } finally { process.off('SIGINT', onSigint); }
}

export const pathsFor = (root: string, graph: Graph, keys: readonly AssetKey[]) => {
  const wh = warehouseFor(graph, keys);
  return { warehousePath: isAbsolute(wh) ? wh : join(root, wh), metadataPath: join(root, metadataFile) };
};

export const out = (s: string) => process.stdout.write(s + '\n');
export const err = (s: string) => process.stderr.write(s + '\n');


export const marks: Record<StepEvent['status'], string> = { pending: '·', running: '▶', success: '✓', failed: '✗', skipped: '↷', cancelled: '■' };

export function printStep(e: StepEvent, graph: Graph): void {
  if (e.status === 'running' || e.status === 'pending') return;
  // `file:line` first, so terminals and editors can open the place the error points at.
  const file = graph.assets.get(keyFromString(e.key))?.file;
  const error = e.error && file && e.errorLine ? `${file}:${e.errorLine}: ${e.error.startsWith(`${file}: `) ? e.error.slice(file.length + 2) : e.error}` : e.error;
  const detail = [e.rows !== undefined ? `${e.rows.toLocaleString('en-US')} rows` : '', e.durationMs !== undefined ? formatMs(e.durationMs) : '', error ?? e.note ?? ''].filter(Boolean).join('  ');
  out(`${marks[e.status]} [${e.index + 1}/${e.total}] ${e.key}${e.partition !== undefined ? ` [${e.partition}]` : ""}  ${e.status}  ${detail}`);
}

