// Schedules and sensors of every Python module joined into the graph: jobs and partitions named
// across modules are looked up by symbol, selections resolved against the linked assets, and the
// cron of a partitioned-job schedule derived from its partitions. Whatever stays unknown becomes a
// warning on its line, so a schedule that will never fire is visible rather than missing.
import { graphWith, type Graph, type GraphAutomations } from '../graph';
import { assetKey, type AssetKey, type Diagnostic, type PartitionsDef } from '../model';
import { parseSelection, resolveSelection } from '../selection';
import { closest, messageOf } from '../text';
import type { PyAutomation, PyCronParts, PyJob, PySelAtom, PyTarget } from './pyAutomation';
import { resolveIn, type PyPath } from './pyAutomationPaths';

export interface AutomationFile { readonly file: string; readonly automation: PyAutomation }

type Resolved = ({ keys: AssetKey[]; query: string } | { skip: true } | { problem: string }) & { job?: PyJob };

/**
 * The graph with `automations` and their warnings; the same graph when no module defines any.
 * `projectRoots`: workspace-relative folders holding pyproject.toml, setup.py, workspace.yaml or
 * dagster.yaml; a sensor's relative folder is read from the nearest one above its module (Dagster's
 * working directory), else from the workspace folder.
 */
export function attachAutomations(g: Graph, files: readonly AutomationFile[], projectRoots: readonly string[] = []): Graph {
  const used = files.filter((f) => f.automation.schedules.length || f.automation.sensors.length || f.automation.warnings.length);
  if (!used.length) return g;
  const jobs = new Map<string, PyJob>();
  const partitions = new Map<string, PartitionsDef>();
  for (const { automation: a } of files) {
    for (const j of a.jobs) { if (j.symbol) jobs.set(`$${j.symbol}`, j); jobs.set(j.name, j); }
    for (const [k, p] of Object.entries(a.partitions)) partitions.set(k, p);
  }
  const diagnostics: Diagnostic[] = [];
  const schedules: GraphAutomations['schedules'][number][] = [];
  const sensors: GraphAutomations['sensors'][number][] = [];
  const assetSensors: NonNullable<GraphAutomations['assetSensors']>[number][] = [];
  for (const { file, automation: a } of used) {
    const warn = (line: number, message: string) => diagnostics.push({ file, line: line + 1, severity: 'warning', message });
    for (const w of a.warnings) warn(w.line, w.message);
    for (const s of a.schedules) {
      const r = resolve(g, s.target, jobs);
      const name = s.name ?? (r.job ? `${r.job.name}_schedule` : `schedule_line_${s.line + 1}`);
      if ('skip' in r) continue;
      if ('problem' in r) { warn(s.line, `Schedule ${name}: ${r.problem}`); continue; }
      let cron = s.cron, timezone = s.timezone;
      if (cron === undefined && s.fromPartitions) {
        const p = r.job?.partitions ?? (r.job?.partitionsSymbol ? partitions.get(r.job.partitionsSymbol) : undefined) ?? g.assets.get(r.keys[0]!)?.partitions;
        cron = p && cronOf(p, s.fromPartitions);
        if (!cron) { warn(s.line, `Schedule ${name}: the job's partitions are not daily, hourly, weekly or monthly; Asset Lens cannot derive its cron.`); continue; }
        timezone ??= p?.timezone;
      }
      if (cron === undefined) continue; // already warned at extraction
      schedules.push({ name, cron, ...(timezone ? { timezone } : {}), selection: r.keys, file, line: s.line + 1, query: r.query });
    }
    for (const s of a.sensors) {
      const r = resolve(g, s.target, jobs);
      if ('skip' in r) continue;
      if ('problem' in r) { warn(s.line, `${s.watches ? 'Asset sensor' : 'Sensor'} ${s.name}: ${r.problem}`); continue; }
      const origin = { file, line: s.line + 1, query: r.query };
      if (s.watches) {
        const asset = assetKey(s.watches);
        if (g.assets.has(asset)) assetSensors.push({ name: s.name, asset, selection: r.keys, ...origin });
        else warn(s.line, `Asset sensor ${s.name}: no asset ${asset} in this workspace${didYouMean(g, asset)}`);
        continue;
      }
      if (s.folder === undefined) continue; // already warned at extraction
      const root = projectRootOf(file, projectRoots);
      const where = resolveIn(s.folder, file, root);
      if ('problem' in where) { warn(s.line, `Sensor ${s.name}: the folder it lists, ${describe(s.folder, file, root)}, ${where.problem}; Asset Lens cannot run it.`); continue; }
      sensors.push({ name: s.name, folder: where.folder, selection: r.keys, ...(s.suffix ? { suffix: s.suffix } : {}), ...(s.partitionFromFileName ? { partitionFromFileName: true } : {}), ...origin });
    }
  }
  const all = [...g.diagnostics, ...diagnostics].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line || (x.message < y.message ? -1 : x.message > y.message ? 1 : 0)));
  return graphWith(g, { diagnostics: all, automations: { schedules, sensors, assetSensors } });
}

/** The nearest Dagster project root above `file` (its working directory), else the workspace folder. */
function projectRootOf(file: string, roots: readonly string[]): string {
  let best = '';
  for (const r of roots) if (r && file.startsWith(`${r}/`) && r.length > best.length) best = r;
  return best;
}

const describe = (p: PyPath, file: string, root: string): string =>
  `${p.segs.join('/') || '.'} relative to ${p.base === 'file' ? file : root || 'the workspace folder'}`;

function didYouMean(g: Graph, key: AssetKey): string {
  const near = closest(key, [...g.assets.keys()]);
  return near ? `. Did you mean '${near}'?` : '';
}

function resolve(g: Graph, target: PyTarget | undefined, jobs: ReadonlyMap<string, PyJob>): Resolved {
  if (!target) return { problem: 'no job, target or asset selection Asset Lens can read' };
  let job: PyJob | undefined;
  let atoms: readonly PySelAtom[] | undefined;
  if ('job' in target) job = target.job;
  else if ('symbol' in target) { job = jobs.get(`$${target.symbol}`); if (!job) return { problem: `job ${target.symbol} is not defined by define_asset_job or @job in this workspace` }; }
  else if ('jobName' in target) { job = jobs.get(target.jobName); if (!job) return { problem: `no job named ${target.jobName} in this workspace` }; }
  else atoms = target.selection;
  if (job) {
    if (job.problem) return { problem: job.problem, job };
    // An op job (@job) materializes no assets: there is nothing for the loop to run, and nothing to warn about.
    if (!job.selection) return { skip: true };
    atoms = job.selection;
  }
  const terms: string[] = [];
  for (const a of atoms!) {
    if ('query' in a) { terms.push(a.query); continue; }
    const keys = [...g.assets.values()].filter((x) => x.pythonFunction === a.symbol).map((x) => x.key);
    if (!keys.length) return { problem: `selection names ${a.symbol}, which is no asset function in this workspace`, ...(job ? { job } : {}) };
    terms.push(...keys.map((k) => `key:${k}`));
  }
  const query = terms.join(' ');
  try {
    const keys = resolveSelection(g, parseSelection(query));
    if (!keys.length) return { problem: `selection ${query} matches no asset`, ...(job ? { job } : {}) };
    return { keys, query, ...(job ? { job } : {}) };
  } catch (e) {
    return { problem: `selection ${query}: ${messageOf(e)}`, ...(job ? { job } : {}) };
  }
}

/** Dagster's cron for a time-partitioned job (build_schedule_from_partitioned_job), with its offsets. */
function cronOf(p: PartitionsDef, parts: PyCronParts): string | undefined {
  const m = parts.minute ?? 0, h = parts.hour ?? 0;
  switch (p.kind) {
    case 'hourly': return `${m} * * * *`;
    case 'daily': return `${m} ${h} * * *`;
    case 'weekly': return `${m} ${h} * * ${parts.weekday ?? 0}`;
    case 'monthly': return `${m} ${h} ${parts.monthday ?? 1} * *`;
    default: return undefined;
  }
}
