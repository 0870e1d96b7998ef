// `asset-lens`: the same index and runner as the editor, for CI and scripts.
//   asset-lens graph DIR [--json]
//   asset-lens materialize DIR --select SEL [--exclude SEL] [--threads N] [--full-refresh] [--vars YAML] [--json]
//   asset-lens test DIR [--select SEL] [--exclude SEL] [--vars YAML] [--json]   (alias: check)
//   asset-lens status DIR [--json]
//   asset-lens profile DIR KEY [--json]
import { resolve, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MaterializationDto, StepEvent } from '../shared/protocol';
import type { AssetKey } from '../core/model';
import { openWorkspace } from '../adapters/workspaceFs';
import { materialize } from '../adapters/runner';
import { checkSelection, type CheckRun } from '../adapters/checkRun';
import { MetadataStore } from '../adapters/metadataStore';
import { toGraphDto, formatMs, relativeTime } from '../core/present';
import { parseSelection, resolveSelection, SelectionError } from '../core/selection';
import { warehouseFor, metadataFile } from '../core/warehouse';
import type { Graph } from '../core/graph';
import { keyFromString } from '../core/model';

const usage = `usage:
  asset-lens graph DIR [--json]
  asset-lens materialize DIR --select SEL [--exclude SEL] [--threads N] [--full-refresh] [--vars YAML] [--json]
  asset-lens test DIR [--select SEL] [--exclude SEL] [--vars YAML] [--json]   (alias: check)
  asset-lens status DIR [--json]
  asset-lens profile DIR KEY [--json]`;

interface Args { readonly cmd: string; readonly positional: string[]; readonly flags: Map<string, string | true> }

function parseArgs(argv: readonly string[]): Args {
  const [cmd = '', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (['select', 'exclude', 'threads', 's', 'vars'].includes(name) && rest[i + 1] !== undefined) flags.set(name, rest[++i]!);
    else flags.set(name, true);
  }
  return { cmd, positional, flags };
}

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const dir = args.positional[0];
  if (!dir || !['graph', 'materialize', 'test', 'check', 'status', 'profile'].includes(args.cmd)) throw new UsageError(usage);
  const root = resolve(dir);
  const json = args.flags.has('json');
  const graph = (await openWorkspace(root)).graph();
  switch (args.cmd) {
    case 'graph': return printGraph(graph, json);
    case 'materialize': return runMaterialize(root, graph, args, json);
    case 'test': case 'check': return runChecks(root, graph, args, json);
    case 'status': return printStatus(root, graph, json);
    case 'profile': return printProfile(root, args.positional[1], json);
  }
  return 2;
}

function printGraph(graph: Graph, json: boolean): number {
  const dto = toGraphDto(graph);
  if (json) { out(JSON.stringify(dto, null, 2)); return 0; }
  for (const a of dto.assets) out(`${a.key}  (${a.kind}${a.materialized && a.materialized !== a.kind ? `, ${a.materialized}` : ''})  ${a.file}:${a.line}${a.deps.length ? `  ← ${a.deps.join(', ')}` : ''}`);
  const edges = dto.assets.reduce((n, a) => n + a.deps.length, 0);
  out(`${dto.assets.length} assets, ${edges} edges`);
  for (const d of dto.diagnostics) out(`${d.file}:${d.line}: ${d.severity}: ${d.message}`);
  return dto.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/** The selected keys: `--select` (required unless `all` is allowed, then everything) minus `--exclude`. */
function selected(graph: Graph, args: Args, cmd: string, all: boolean): { selection: string; keys: AssetKey[] } {
  const given = args.flags.get('select') ?? args.flags.get('s');
  if (typeof given !== 'string' && !all) throw new UsageError(`${cmd} needs --select SEL (e.g. --select +customers)`);
  const selection = typeof given === 'string' ? given : '*';
  const exclude = args.flags.get('exclude');
  return { selection, keys: resolveSelection(graph, parseSelection(selection, typeof exclude === 'string' ? exclude : '')) };
}

/** `--vars '{"k": "v"}'` or `--vars 'k: v'`: a YAML (or JSON) mapping, as dbt takes it. */
function varsOf(args: Args): Record<string, unknown> | undefined {
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
async function cancellable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => { if (controller.signal.aborted) process.exit(130); err('cancelling… (Ctrl+C again to quit at once)'); controller.abort(); };
  process.on('SIGINT', onSigint);
  try { return await fn(controller.signal); } finally { process.off('SIGINT', onSigint); }
}

const pathsFor = (root: string, graph: Graph, keys: readonly AssetKey[]) => {
  const wh = warehouseFor(graph, keys);
  return { warehousePath: isAbsolute(wh) ? wh : join(root, wh), metadataPath: join(root, metadataFile) };
};

async function runMaterialize(root: string, graph: Graph, args: Args, json: boolean): Promise<number> {
  const { selection, keys } = selected(graph, args, 'materialize', false);
  const threads = Number(args.flags.get('threads') ?? 4) || 4;
  const vars = varsOf(args);
  const summary = await cancellable((signal) => materialize({
    root, graph, keys, selection, threads, signal, ...pathsFor(root, graph, keys),
    ...(vars ? { vars } : {}), ...(args.flags.has('full-refresh') ? { fullRefresh: true } : {}),
    onEvent: json ? undefined : (e) => printStep(e, graph),
    onLog: (key, message) => err(`${key}: ${message}`),
  }));
  if (json) out(JSON.stringify(summary, null, 2));
  else out(`run ${summary.status}: ${summary.steps.filter((s) => s.status === 'success').length}/${summary.steps.length} steps in ${formatMs(summary.durationMs)}${summary.error ? ` — ${summary.error}` : ''}`);
  return summary.status === 'success' ? 0 : 1;
}

async function runChecks(root: string, graph: Graph, args: Args, json: boolean): Promise<number> {
  const { selection, keys } = selected(graph, args, 'test', true);
  const vars = varsOf(args);
  const result = await cancellable((signal) => checkSelection({ root, graph, keys, selection, signal, ...pathsFor(root, graph, keys), ...(vars ? { vars } : {}) }));
  if (json) out(JSON.stringify(result, null, 2));
  else printChecks(result);
  return result.status === 'success' ? 0 : 1;
}

function printChecks(run: CheckRun): void {
  let total = 0, passed = 0;
  for (const a of run.assets) {
    if (a.error) out(`✗ ${a.key}  ${a.error}`);
    for (const c of a.checks) {
      total++;
      if (c.status === 'pass') passed++;
      const mark = c.status === 'pass' ? '✓' : c.status === 'warn' ? '!' : '✗';
      out(`${mark} ${a.key}  ${c.name}${c.column ? `(${c.column})` : ''}  ${c.status}${c.message ? `  ${c.message}` : ''}`);
    }
  }
  out(`test ${run.status}: ${passed}/${total} checks passed on ${run.assets.length} assets in ${formatMs(run.durationMs)}${run.error ? ` — ${run.error}` : ''}`);
}

const marks: Record<StepEvent['status'], string> = { pending: '·', running: '▶', success: '✓', failed: '✗', skipped: '↷', cancelled: '■' };

function printStep(e: StepEvent, graph: Graph): void {
  if (e.status === 'running' || e.status === 'pending') return;
  // `file:line` first, so terminals and editors can open the place the error points at.
  const file = graph.assets.get(keyFromString(e.key))?.file;
  const error = e.error && file && e.errorLine ? `${file}:${e.errorLine}: ${e.error.startsWith(`${file}: `) ? e.error.slice(file.length + 2) : e.error}` : e.error;
  const detail = [e.rows !== undefined ? `${e.rows.toLocaleString('en-US')} rows` : '', e.durationMs !== undefined ? formatMs(e.durationMs) : '', error ?? e.note ?? ''].filter(Boolean).join('  ');
  out(`${marks[e.status]} [${e.index + 1}/${e.total}] ${e.key}  ${e.status}  ${detail}`);
}

async function lastByKey(root: string): Promise<Map<string, MaterializationDto>> {
  const store = await MetadataStore.open(join(root, metadataFile));
  try { return new Map((await store.lastMaterializations()).map((m) => [m.key, m])); } finally { await store.close(); }
}

async function printStatus(root: string, graph: Graph, json: boolean): Promise<number> {
  const last = await lastByKey(root);
  const assets = [...graph.assets.values()].map((a) => ({ key: a.key as string, kind: a.kind, lastMaterialization: last.get(a.key) ?? null }));
  if (json) { out(JSON.stringify({ assets }, null, 2)); return 0; }
  const now = new Date();
  for (const a of assets) {
    const m = a.lastMaterialization;
    out(`${a.key}  ${m ? `${m.status}  ${relativeTime(new Date(m.startedAt), now)}${m.rows !== undefined ? `  ${m.rows.toLocaleString('en-US')} rows` : ''}${m.checks?.length ? `  ${m.checks.filter((c) => c.status === 'pass').length}/${m.checks.length} checks` : ''}` : 'never materialized'}`);
  }
  return 0;
}

async function printProfile(root: string, key: string | undefined, json: boolean): Promise<number> {
  if (!key) throw new UsageError('profile needs a KEY (e.g. asset-lens profile DIR customers)');
  const m = (await lastByKey(root)).get(keyFromString(key));
  if (!m?.profile) { err(`No profile for '${key}': materialize it first (asset-lens materialize DIR --select ${key}).`); return 1; }
  if (json) { out(JSON.stringify(m, null, 2)); return 0; }
  out(`${key}: ${m.profile.rows.toLocaleString('en-US')} rows, ${m.profile.columns.length} columns (${m.relation ?? ''}, ${m.startedAt})`);
  const rows = [['column', 'type', 'null %', 'distinct≈', 'min', 'max'], ...m.profile.columns.map((c) => [c.name, c.type, c.nullPct.toFixed(1), String(c.approxDistinct), c.min ?? '', c.max ?? ''])];
  const widths = rows[0]!.map((_, i) => Math.min(24, Math.max(...rows.map((r) => r[i]!.length))));
  for (const r of rows) out(r.map((c, i) => c.slice(0, 24).padEnd(widths[i]!)).join('  '));
  for (const c of m.checks ?? []) out(`${c.status === 'pass' ? '✓' : '✗'} ${c.name}${c.column ? `(${c.column})` : ''}${c.failingRows ? `  ${c.failingRows} failing rows` : ''}`);
  return 0;
}

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof SelectionError) { err(e.message); process.exitCode = 2; return; }
    err(`asset-lens: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
