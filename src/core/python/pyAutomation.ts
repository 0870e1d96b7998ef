// Dagster schedules, sensors and asset jobs read from a module's syntax tree, without running
// Python: ScheduleDefinition, build_schedule_from_partitioned_job, @schedule, @sensor,
// @asset_sensor, define_asset_job and @job. Jobs and partitions named from other modules stay
// symbols here; pyAutomationLink.ts resolves them across files against the graph.
import type { PartitionsDef } from '../model';
import { asKeyPath, evaluate, isCall, isName, lastSegment, type Env, type PyNode, type PyVal } from './pyEval';
import { partitionsOf } from './pyParts';
import { isPath, pathOf, type PathNames, type PyPath } from './pyAutomationPaths';
import type { PyAssetDef } from './pyExtract';

/** One term of a job's selection; `symbol` is an asset function defined in another module. */
export type PySelAtom = { readonly query: string } | { readonly symbol: string };

export interface PyJob {
  readonly name: string;
  readonly symbol?: string;
  readonly line: number;
  /** Undefined for an op job (`@job`): it materializes no assets the loop could run. */
  readonly selection?: readonly PySelAtom[];
  readonly partitions?: PartitionsDef;
  /** `partitions_def=` naming a definition from another module. */
  readonly partitionsSymbol?: string;
  /** Why the selection could not be read; the job is then unusable. */
  readonly problem?: string;
}

/** What a schedule or sensor runs: a job value, a job variable from elsewhere, a job by name, or a selection. */
export type PyTarget = { readonly job: PyJob } | { readonly symbol: string } | { readonly jobName: string } | { readonly selection: readonly PySelAtom[] };

export interface PyCronParts { readonly minute?: number; readonly hour?: number; readonly weekday?: number; readonly monthday?: number }

export interface PySchedule {
  /** Undefined: Dagster's default, `<job name>_schedule`. */
  readonly name?: string;
  readonly line: number;
  readonly target?: PyTarget;
  readonly cron?: string;
  readonly timezone?: string;
  /** build_schedule_from_partitioned_job: the cron comes from the job's partitions. */
  readonly fromPartitions?: PyCronParts;
}

export interface PySensor {
  readonly name: string;
  readonly line: number;
  readonly target?: PyTarget;
  /** The folder its body lists, relative to the working directory or the module (see pyAutomationPaths.ts). */
  readonly folder?: PyPath;
  /** Its body lists a folder Asset Lens cannot follow: the 0-based line of that expression and why. */
  readonly folderProblem?: { readonly line: number; readonly message: string };
  readonly suffix?: string;
  readonly partitionFromFileName: boolean;
  /** `@asset_sensor(asset_key=…)`: the key path whose new materializations request a run of the target. */
  readonly watches?: readonly string[];
}

export interface PyAutomation {
  readonly jobs: readonly PyJob[];
  readonly schedules: readonly PySchedule[];
  readonly sensors: readonly PySensor[];
  /** Module-level `x = DailyPartitionsDefinition(…)`, for jobs in other modules that name them. */
  readonly partitions: Readonly<Record<string, PartitionsDef>>;
  /** Definitions seen but not readable statically (line, message): reported as warnings, never dropped. */
  readonly warnings: readonly { readonly line: number; readonly message: string }[];
}

type Call = Extract<PyVal, { $call: string }>;
interface Acc {
  jobByValue: Map<object, PyJob>; jobs: PyJob[]; schedules: PySchedule[]; sensors: PySensor[]; partitions: Record<string, PartitionsDef>;
  warnings: { line: number; message: string }[]; seen: Set<object>; assets: readonly PyAssetDef[];
  /** Module-level names → the expression bound to them, for sensor folders built from constants. */
  names: Map<string, PyNode>;
}

/** Cheap text test for modules that define automation (parsed even when they define no assets). */
export const mayDefineAutomation = (text: string): boolean =>
  /ScheduleDefinition\(|build_schedule_from_partitioned_job|define_asset_job|PartitionsDefinition\(|@(?:[\w.]*\.)?(?:schedule|sensor|asset_sensor|job)\b/.test(text);

/** A separate pass over the module (its own env) so the asset extractor stays as it is. */
export function extractAutomation(root: PyNode, assets: readonly PyAssetDef[]): PyAutomation {
  const acc: Acc = { jobByValue: new Map(), jobs: [], schedules: [], sensors: [], partitions: {}, warnings: [], seen: new Set(), assets, names: new Map() };
  const env = new Map<string, PyVal>();
  for (const stmt of root.namedChildren) {
    if (stmt.type === 'decorated_definition') { decorated(stmt, env, acc); continue; }
    const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (!expr) continue;
    const left = expr.type === 'assignment' ? expr.childForFieldName('left') : undefined;
    const right = expr.type === 'assignment' ? expr.childForFieldName('right') : undefined;
    const value = evaluate(expr.type === 'assignment' ? right : expr, env);
    const symbol = left?.type === 'identifier' ? left.text : undefined;
    if (symbol) env.set(symbol, value);
    if (symbol && right) acc.names.set(symbol, right);
    visit(value, symbol, stmt.startPosition.row, acc);
  }
  return { jobs: acc.jobs, schedules: acc.schedules, sensors: acc.sensors, partitions: acc.partitions, warnings: acc.warnings };
}

function visit(v: PyVal, symbol: string | undefined, line: number, acc: Acc): void {
  if (Array.isArray(v)) { v.forEach((x) => visit(x, undefined, line, acc)); return; }
  // A value bound to a name and listed again in Definitions(…) is the same object: count it once.
  if (!isCall(v) || acc.seen.has(v)) return;
  acc.seen.add(v);
  const fn = lastSegment(v.$call);
  if (fn === 'define_asset_job') { const j = assetJob(v, symbol, line, acc); acc.jobs.push(j); acc.jobByValue.set(v, j); }
  else if (fn === 'ScheduleDefinition') acc.schedules.push(scheduleDefinition(v, line, acc));
  else if (fn === 'build_schedule_from_partitioned_job') acc.schedules.push(partitionedSchedule(v, line, acc));
  else if (/PartitionsDefinition$/.test(fn) && symbol) { const p = partitionsOf(v); if (p) acc.partitions[symbol] = p; }
  else if (fn === 'Definitions') for (const x of [...v.args, ...Object.values(v.kwargs)]) visit(x, undefined, line, acc);
}

function assetJob(v: Call, symbol: string | undefined, line: number, acc: Acc): PyJob {
  const name = str(v.kwargs.name ?? v.args[0]) ?? symbol ?? `job_line_${line + 1}`;
  const sel = selectionOf(v.kwargs.selection ?? v.args[1], acc.assets);
  const pd = v.kwargs.partitions_def;
  const partitions = partitionsOf(pd);
  return {
    name, ...(symbol ? { symbol } : {}), line,
    ...(typeof sel === 'string' ? { problem: `asset job ${name}: ${sel}` } : { selection: sel }),
    ...(partitions ? { partitions } : isName(pd) ? { partitionsSymbol: pd.$name } : {}),
  };
}

function scheduleDefinition(v: Call, line: number, acc: Acc): PySchedule {
  const cron = v.kwargs.cron_schedule;
  const name = str(v.kwargs.name);
  if (typeof cron !== 'string') acc.warnings.push({ line, message: `Schedule${name ? ` ${name}` : ''}: cron_schedule is not a string literal; Asset Lens cannot run it.` });
  return { ...(name ? { name } : {}), line, ...targetOf(v.kwargs, v.kwargs.job ?? v.kwargs.target, line, acc), ...(typeof cron === 'string' ? { cron } : {}), ...zone(v.kwargs.execution_timezone) };
}

function partitionedSchedule(v: Call, line: number, acc: Acc): PySchedule {
  const kw = v.kwargs;
  const n = (x: PyVal | undefined) => (typeof x === 'number' ? x : undefined);
  const parts: PyCronParts = { ...opt('minute', n(kw.minute_of_hour)), ...opt('hour', n(kw.hour_of_day)), ...opt('weekday', n(kw.day_of_week)), ...opt('monthday', n(kw.day_of_month)) };
  const name = str(kw.name);
  const cron = str(kw.cron_schedule);
  return { ...(name ? { name } : {}), line, ...targetOf({}, kw.job ?? v.args[0], line, acc), ...(cron ? { cron } : { fromPartitions: parts }), ...zone(kw.execution_timezone) };
}

function decorated(node: PyNode, env: Env, acc: Acc): void {
  const def = node.childForFieldName('definition');
  if (!def || def.type !== 'function_definition') return;
  const fname = def.childForFieldName('name')?.text ?? '';
  const line = node.startPosition.row;
  for (const dec of node.namedChildren.filter((c) => c.type === 'decorator')) {
    const expr = dec.namedChildren[0];
    if (!expr) continue;
    const callee = expr.type === 'call' ? expr.childForFieldName('function')?.text ?? '' : expr.text;
    const v = expr.type === 'call' ? evaluate(expr, env) : { $call: callee, args: [], kwargs: {} };
    if (!isCall(v)) continue;
    const kw = v.kwargs;
    const kind = lastSegment(callee);
    if (kind === 'job' || kind === 'graph') acc.jobs.push({ name: str(kw.name) ?? fname, symbol: fname, line });
    else if (kind === 'schedule') {
      const cron = kw.cron_schedule ?? v.args[0];
      const name = str(kw.name) ?? fname;
      if (typeof cron !== 'string') acc.warnings.push({ line, message: `Schedule ${name}: cron_schedule is not a string literal; Asset Lens cannot run it.` });
      acc.schedules.push({ name, line, ...targetOf(kw, kw.job ?? kw.target, line, acc), ...(typeof cron === 'string' ? { cron } : {}), ...zone(kw.execution_timezone) });
    } else if (kind === 'sensor' || kind === 'asset_sensor' || kind === 'multi_asset_sensor') {
      const name = str(kw.name) ?? fname;
      const positionalJob = kind === 'sensor' ? v.args[0] : undefined;
      const target = targetOf(kw, kw.job ?? kw.target ?? positionalJob, line, acc);
      if (kind === 'asset_sensor') { acc.sensors.push(assetSensor(name, line, target, kw.asset_key ?? v.args[0], acc)); continue; }
      const s: PySensor = { name, line, ...target, ...sensorBody(def, env, acc.names) };
      acc.sensors.push(s);
      if (s.folderProblem) acc.warnings.push({ line: s.folderProblem.line, message: `Sensor ${name}: ${s.folderProblem.message}; Asset Lens cannot run it.` });
      else if (s.folder === undefined) acc.warnings.push({ line, message: `Sensor ${name}: no folder listing found in its body (os.listdir(…), Path(…).glob, glob.glob); Asset Lens cannot run it.` });
    }
  }
}

/** `job=`/`target=` (a job value, a job variable or a selection), else `job_name=`, else `asset_selection=`. */
function targetOf(kw: Readonly<Record<string, PyVal>>, job: PyVal | undefined, line: number, acc: Acc): { target?: PyTarget } {
  if (isCall(job, 'define_asset_job')) { visit(job, undefined, line, acc); return { target: { job: acc.jobByValue.get(job)! } }; }
  // A job defined above in this module is already a value in env; a bare name comes from another module (or is an @job).
  if (isName(job)) return { target: { symbol: lastSegment(job.$name) } };
  if (typeof job === 'string') return { target: { jobName: job } };
  if (typeof kw.job_name === 'string') return { target: { jobName: kw.job_name } };
  const selection = job ?? kw.asset_selection;
  if (selection === undefined || selection === null) return {};
  const sel = selectionOf(selection, acc.assets);
  if (typeof sel === 'string') { acc.warnings.push({ line, message: `Automation target: ${sel}` }); return {}; }
  return { target: { selection: sel } };
}

/**
 * A Dagster selection as terms of ours: AssetSelection.keys/groups/all/assets, a list of keys,
 * AssetKeys or asset functions, or a query string. A string result says why it could not be read.
 */
export function selectionOf(v: PyVal | undefined, assets: readonly PyAssetDef[]): PySelAtom[] | string {
  if (v === undefined || v === null) return [{ query: '*' }];
  if (typeof v === 'string') { const q = dagsterQuery(v); return q ? [{ query: q }] : `selection "${v}" is not a query Asset Lens reads`; }
  if (Array.isArray(v)) {
    const out: PySelAtom[] = [];
    for (const x of v) {
      const one = typeof x === 'string' ? [{ query: `key:${x}` }] : selectionOf(x, assets);
      if (typeof one === 'string') return one;
      out.push(...one);
    }
    return out;
  }
  if (isName(v)) {
    const own = assets.filter((a) => a.symbol === v.$name);
    return own.length ? own.map((a) => ({ query: `key:${a.key.join('/')}` })) : [{ symbol: v.$name }];
  }
  if (isCall(v, 'AssetKey')) { const k = asKeyPath(v); return k ? [{ query: `key:${k.join('/')}` }] : 'AssetKey is not a literal'; }
  if (isCall(v) && /(^|\.)AssetSelection\.\w+$/.test(v.$call)) {
    const method = lastSegment(v.$call);
    const args = v.args.flatMap((a) => (Array.isArray(a) ? a : [a]));
    if (method === 'all') return [{ query: '*' }];
    if (method === 'groups' && args.every((a) => typeof a === 'string')) return args.map((g) => ({ query: `group:${g as string}` }));
    if (method === 'keys' || method === 'assets') return selectionOf(args, assets);
  }
  return `selection ${isCall(v) ? `${v.$call}(…)` : 'expression'} is not a literal Asset Lens reads (use AssetSelection.keys/groups/all or a list of keys)`;
}

/** Dagster's `*a`, `a*`, `+a`, `a+`, `key:…`, `group:…` queries in our syntax; undefined when it is more than that. */
function dagsterQuery(q: string): string | undefined {
  if (q === '*') return '*';
  const m = /^(\*|\+*)([\w./-]+)(\*|\+*)$/.exec(q.trim());
  if (m) {
    const depth = (s: string, before: boolean) => (s === '*' ? '+' : s ? (before ? `${s.length}+` : `+${s.length}`) : '');
    return `${depth(m[1]!, true)}key:${m[2]}${depth(m[3]!, false)}`;
  }
  return /^(group|key|tag|kind):[\w./*-]+$/.test(q.trim()) ? q.trim() : undefined;
}

/** `@asset_sensor(asset_key=AssetKey(…))`: a run of the target whenever that asset gets a new materialization. */
function assetSensor(name: string, line: number, target: { target?: PyTarget }, key: PyVal | undefined, acc: Acc): PySensor {
  const watches = asKeyPath(key);
  if (!watches) acc.warnings.push({ line, message: `Asset sensor ${name}: asset_key is not a literal AssetKey; Asset Lens cannot run it.` });
  return { name, line, ...target, partitionFromFileName: false, ...(watches ? { watches } : {}) };
}

/** Calls that list a folder given as their argument: os.listdir/scandir/walk, glob.glob/iglob. */
const listsArgument = new Set(['listdir', 'scandir', 'walk', 'glob', 'iglob']);
/** Methods that list the folder they are called on: Path(…).glob/rglob/iterdir. */
const listsObject = new Set(['glob', 'rglob', 'iterdir']);

interface Body { folder?: PyPath; folderProblem?: { line: number; message: string }; suffix?: string; partitionFromFileName: boolean }

/** The folder a sensor lists, the suffix it filters on, and whether each file names a partition. */
function sensorBody(def: PyNode, env: Env, moduleNames: PathNames): Body {
  const body = def.childForFieldName('body');
  if (!body) return { partitionFromFileName: false };
  const local = new Map(env);
  const names = new Map(moduleNames);
  for (const stmt of body.namedChildren) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.type !== 'identifier') continue;
    const left = a.childForFieldName('left')!.text, right = a.childForFieldName('right');
    local.set(left, evaluate(right, local));
    if (right) names.set(left, right);
  }
  const out: Body = { partitionFromFileName: /\bpartition_key\s*=/.test(body.text) };
  const walk = (n: PyNode) => {
    if (n.type === 'call') {
      if (out.folder === undefined && out.folderProblem === undefined) listing(n, names, local, out);
      const fn = lastSegment(n.childForFieldName('function')?.text ?? '');
      if (fn === 'endswith' && out.suffix === undefined) { const s = evaluate(n.childForFieldName('arguments')?.namedChildren[0], local); if (typeof s === 'string') out.suffix = s; }
    }
    for (const c of n.namedChildren) walk(c);
  };
  walk(body);
  return out;
}

/** Reads one call as a folder listing, if it is one: its folder (or why it cannot be followed) and a glob's suffix. */
function listing(n: PyNode, names: PathNames, local: Env, out: Body): void {
  const f = n.childForFieldName('function');
  const fn = lastSegment(f?.text ?? '');
  const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment');
  const obj = f?.type === 'attribute' ? f.childForFieldName('object') : undefined;
  // `Path("x").glob("*.csv")` lists the object's folder; `glob.glob("x/*.csv")` and `os.listdir("x")` the argument's.
  const onObject = !!obj && listsObject.has(fn) && !/^(glob|os|os\.path)$/.test(obj.text);
  if (!onObject && !listsArgument.has(fn)) return;
  const expr = onObject ? obj : args[0];
  if (!expr) return;
  const path = pathOf(expr, names, local);
  if (!isPath(path)) { out.folderProblem = { line: expr.startPosition.row, message: `the folder ${path.problem}` }; return; }
  const last = path.segs[path.segs.length - 1] ?? '';
  const globbed = !onObject && /[*?[]/.test(last);
  out.folder = globbed ? { base: path.base, segs: path.segs.slice(0, -1) } : path;
  const pattern = globbed ? last : onObject && args[0] ? evaluate(args[0], local) : undefined;
  const star = typeof pattern === 'string' ? /\*(\.[\w.]+)$/.exec(pattern) : null;
  if (star) out.suffix = star[1];
}

const str = (v: PyVal | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const zone = (v: PyVal | undefined): { timezone?: string } => (typeof v === 'string' ? { timezone: v } : {});
const opt = <K extends string>(k: K, v: number | undefined): Partial<Record<K, number>> => (v === undefined ? {} : ({ [k]: v } as Record<K, number>));
