// `asset-lens`: the same index and runner as the editor, for CI and scripts.
//   asset-lens graph DIR [--json]
//   asset-lens materialize DIR --select SEL [--exclude SEL] [--partition KEY] [--threads N] [--full-refresh] [--vars YAML] [--json]
//   asset-lens backfill DIR --select SEL --from KEY --to KEY [--force] [--json]
//   asset-lens test DIR [--select SEL] [--exclude SEL] [--vars YAML] [--json]   (alias: check)
//   asset-lens status DIR [--json]
//   asset-lens daemon DIR [--once] [--interval S]
//   asset-lens profile DIR KEY [--json]
//   asset-lens runs DIR [--limit N] [--json]
import { resolve } from 'node:path';
import type { MaterializationDto, StepEvent } from '../shared/dto';
import { openWorkspace } from '../adapters/workspaceFs';
import { materialize } from '../adapters/runner';
import { checkSelection, type CheckRun } from '../adapters/checkRun';
import { MetadataStore } from '../adapters/metadataStore';
import { partitionProblem } from '../adapters/partitionRun';
import { toGraphDto, formatBytes, formatMs } from '../core/present';
import { SelectionError } from '../core/selection';
import { metadataFile } from '../core/warehouse';
import type { Graph } from '../core/graph';
import { keyFromString } from '../core/model';
import { join } from 'node:path';
import { cancellable, err, out, parseArgs, pathsFor, printStep, selected, UsageError, varsOf, type Args } from './common';
import { runBackfill } from './backfill';
import { runDaemon } from './daemon';
import { printStatus } from './status';
import { printRuns } from './runs';
import { messageOf } from '../core/text';

const usage = `usage:
  asset-lens graph DIR [--json]
  asset-lens materialize DIR --select SEL [--exclude SEL] [--partition KEY] [--threads N] [--full-refresh] [--vars YAML] [--json]
  asset-lens backfill DIR --select SEL --from KEY --to KEY [--force] [--threads N] [--json]
  asset-lens test DIR [--select SEL] [--exclude SEL] [--vars YAML] [--json]   (alias: check)
  asset-lens status DIR [--json]
  asset-lens daemon DIR [--once] [--interval S]
  asset-lens profile DIR KEY [--json]
  asset-lens runs DIR [--limit N] [--json]`;

const commands = ['graph', 'materialize', 'backfill', 'test', 'check', 'status', 'daemon', 'profile', 'runs'];

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const dir = args.positional[0];
  if (!dir || !commands.includes(args.cmd)) throw new UsageError(usage);
  const root = resolve(dir);
  const json = args.flags.has('json');
  const graph = (await openWorkspace(root)).graph();
  switch (args.cmd) {
    case 'graph': return printGraph(graph, json);
    case 'materialize': return runMaterialize(root, graph, args, json);
    case 'backfill': return runBackfill(root, graph, args, json);
    case 'daemon': return runDaemon(root, args);
    case 'test': case 'check': return runChecks(root, graph, args, json);
    case 'status': return printStatus(root, graph, json);
    case 'profile': return printProfile(root, args.positional[1], json);
    case 'runs': return printRuns(root, args, json);
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

async function runMaterialize(root: string, graph: Graph, args: Args, json: boolean): Promise<number> {
  const { selection, keys } = selected(graph, args, 'materialize', false);
  const threads = Number(args.flags.get('threads') ?? 4) || 4;
  const vars = varsOf(args);
  const given = args.flags.get('partition');
  const partition = typeof given === 'string' ? given : undefined;
  const problem = partitionProblem(graph, keys, partition, Date.now());
  if (problem) { err(problem); return 2; }
  const summary = await cancellable((signal) => materialize({
    root, graph, keys, selection, threads, signal, ...pathsFor(root, graph, keys), ...(partition !== undefined ? { partition } : {}),
    ...(vars ? { vars } : {}), ...(args.flags.has('full-refresh') ? { fullRefresh: true } : {}),
    onEvent: json ? undefined : (e) => printStep(e, graph),
    onLog: (key, message) => err(`${key}: ${message}`),
    onWaiting: err,
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

async function lastByKey(root: string): Promise<Map<string, MaterializationDto>> {
  const store = await MetadataStore.open(join(root, metadataFile));
  try { return new Map((await store.lastMaterializations()).map((m) => [m.key, m])); } finally { await store.close(); }
}

async function printProfile(root: string, key: string | undefined, json: boolean): Promise<number> {
  if (!key) throw new UsageError('profile needs a KEY (e.g. asset-lens profile DIR customers)');
  const m = (await lastByKey(root)).get(keyFromString(key));
  if (!m?.profile) { err(`No profile for '${key}': materialize it first (asset-lens materialize DIR --select ${key}).`); return 1; }
  if (json) { out(JSON.stringify(m, null, 2)); return 0; }
  const bytes = m.profile.bytes === undefined ? '' : `, ${formatBytes(m.profile.bytes)} uncompressed`;
  out(`${key}: ${m.profile.rows.toLocaleString('en-US')} rows, ${m.profile.columns.length} columns${bytes} (${m.relation ?? ''}, ${m.startedAt})`);
  const rows = [['column', 'type', 'null %', 'distinct≈', 'min', 'max'], ...m.profile.columns.map((c) => [c.name, c.type, c.nullPct.toFixed(1), String(c.approxDistinct), c.min ?? '', c.max ?? ''])];
  const widths = rows[0]!.map((_, i) => Math.min(24, Math.max(...rows.map((r) => r[i]!.length))));
  for (const r of rows) out(r.map((c, i) => c.slice(0, 24).padEnd(widths[i]!)).join('  '));
  for (const c of m.profile.columns) if (c.topValues?.length) out(`top ${c.name}: ${c.topValues.map((v) => `${v.value} (${v.count.toLocaleString('en-US')})`).join(', ')}`);
  for (const c of m.checks ?? []) out(`${c.status === 'pass' ? '✓' : '✗'} ${c.name}${c.column ? `(${c.column})` : ''}${c.failingRows ? `  ${c.failingRows} failing rows` : ''}`);
  return 0;
}

// `asset-lens status DIR | head` closes the pipe early: stop quietly, as Unix tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof SelectionError) { err(e.message); process.exitCode = 2; return; }
    err(`asset-lens: ${messageOf(e)}`);
    process.exitCode = 1;
  },
);
