// Dagster definitions read from a Python syntax tree, without running Python: @asset (every
// spelling), @multi_asset, AssetSpec, SourceAsset, @observable_source_asset, @asset_check, dbt
// loaders, and asset factories called with literal arguments.
import type { FreshnessDef, PartitionsDef } from '../model';
import {
  asKeyPath, asStringList, bind, evaluate, isCall, isDict, isDyn, isName, lastSegment,
  type Env, type PyNode, type PyVal,
} from './pyEval';
import { extractAutomation, mayDefineAutomation, type PyAutomation } from './pyAutomation';
import { docOf, findKeyword, optionalPolicies, pos, returnedSql, syntaxProblems, type PyColumn } from './pyParts';
import { messageOf } from '../text';

/**
 * A dependency as written: a key path, a Python name (an asset function or spec variable), or a dbt
 * node by name (`get_asset_key_for_model([dbt_assets], "name")`), whatever key the translator gives it.
 */
export type PyDep = { readonly key: readonly string[] } | { readonly symbol: string } | { readonly ref: string };

export interface PyDepRef { readonly dep: PyDep; readonly line: number; readonly startCol: number; readonly endCol: number }

export interface PyAssetDef {
  readonly key: readonly string[];
  /** The Python name bound to the definition (function or variable), for deps by name. */
  readonly symbol?: string;
  readonly kind: 'python' | 'sql_python' | 'external';
  /** 0-based line of the decorator or call. */
  readonly line: number;
  readonly deps: readonly PyDepRef[];
  readonly group?: string;
  readonly kinds: readonly string[];
  readonly description?: string;
  readonly partitions?: PartitionsDef;
  /** `metadata={"partition_expr": …}` on the asset, its AssetOut or AssetSpec. */
  readonly partitionExpr?: string;
  readonly freshness?: FreshnessDef;
  readonly automation?: string;
  readonly codeVersion?: string;
  /** `metadata={"dagster/column_schema": TableSchema(…)}`: documented columns and their constraints. */
  readonly columns?: readonly PyColumn[];
  readonly sql?: { readonly template: string; readonly line: number };
  readonly hint?: string;
  readonly observable?: boolean;
}

export interface PyCheckDef { readonly name: string; readonly asset: PyDep; readonly line: number }

/** `load_assets_from_dbt_project(project_dir=…)`, `@dbt_assets(manifest=…)`: a dbt project joined into the graph. */
export interface PyDbtLoad {
  readonly projectDir?: string;
  /** `key_prefix=`: dagster-dbt prefixes models, seeds and snapshots with it, never sources. */
  readonly keyPrefix: readonly string[];
  /** `source_key_prefix=`: the prefix for sources. */
  readonly sourceKeyPrefix?: readonly string[];
  readonly line: number;
  readonly hint?: string;
}

export interface PyExtract {
  readonly assets: readonly PyAssetDef[];
  readonly checks: readonly PyCheckDef[];
  readonly dbtLoads: readonly PyDbtLoad[];
  readonly problems: readonly { line: number; message: string }[];
  /** Schedules, sensors and asset jobs (pyAutomation.ts); undefined: the module was not read for them. */
  readonly automation?: PyAutomation;
}

const assetDecorators = new Set(['asset', 'multi_asset', 'observable_source_asset', 'graph_asset', 'graph_multi_asset']);
const contextTypes = /(Context|Resource|Config|ResourceParam\[.*\])$/;

/** Cheap text test: files that cannot define assets are never parsed (see PERFORMANCE.md). */
export function mayDefineAssets(text: string): boolean {
  return /@(?:[\w.]*\.)?(?:asset|multi_asset|observable_source_asset|asset_check|dbt_assets|graph_asset)\b|AssetSpec\(|SourceAsset\(|load_assets_from_dbt_project|load_assets_from_modules/.test(text) || mayDefineAutomation(text);
}

/** What extractAutomation reads: mayDefineAutomation's spellings, `@graph` jobs and `@multi_asset_sensor`. */
const readsAutomation = (text: string): boolean => mayDefineAutomation(text) || /@(?:[\w.]*\.)?(?:graph|multi_asset_sensor)\b/.test(text);

export function extractPython(root: PyNode): PyExtract {
  const out = { assets: [] as PyAssetDef[], checks: [] as PyCheckDef[], dbtLoads: [] as PyDbtLoad[], problems: syntaxProblems(root) };
  const env = new Map<string, PyVal>();
  const factories = new Map<string, PyNode>();
  for (const stmt of root.namedChildren) statement(stmt, env, factories, out);
  // The automation pass evaluates the module again: only for modules whose text can define automation.
  if (!readsAutomation(root.text)) return out;
  // A bug in reading schedules must not cost the module its assets: it becomes a warning instead.
  let automation: PyAutomation;
  try { automation = extractAutomation(root, out.assets); } catch (e) {
    automation = { jobs: [], schedules: [], sensors: [], partitions: {}, warnings: [{ line: 0, message: `Asset Lens could not read this module's schedules and sensors (${messageOf(e)})` }] };
  }
  return { ...out, automation };
}

type Out = { assets: PyAssetDef[]; checks: PyCheckDef[]; dbtLoads: PyDbtLoad[] };

function statement(stmt: PyNode, env: Map<string, PyVal>, factories: Map<string, PyNode>, out: Out): void {
  if (stmt.type === 'decorated_definition') { decorated(stmt, env, out); return; }
  if (stmt.type === 'function_definition') {
    if (containsAssetDefinition(stmt)) factories.set(stmt.childForFieldName('name')?.text ?? '', stmt);
    return;
  }
  if (stmt.type === 'expression_statement') {
    const expr = stmt.namedChildren[0];
    if (expr?.type === 'assignment') {
      const left = expr.childForFieldName('left'), right = expr.childForFieldName('right');
      if (!left || !right) return;
      const value = evaluate(right, env);
      if (left.type === 'identifier') env.set(left.text, value);
      collectCalls(right, value, left.type === 'identifier' ? left.text : undefined, env, factories, out);
    } else if (expr) collectCalls(expr, evaluate(expr, env), undefined, env, factories, out);
    return;
  }
  if (stmt.type === 'for_statement') {
    // `for s in SOURCES: make_asset(s)` at module level.
    const items = evaluate(stmt.childForFieldName('right'), env);
    const target = stmt.childForFieldName('left');
    const body = stmt.childForFieldName('body');
    if (!Array.isArray(items) || !target || !body) return;
    for (const item of items) for (const s of body.namedChildren) statement(s, new Map(bind(env, target, item)), factories, out);
  }
}

/** Module-level expressions: AssetSpec/SourceAsset values, factory calls, dbt loaders. */
function collectCalls(node: PyNode, value: PyVal, symbol: string | undefined, env: Env, factories: Map<string, PyNode>, out: Out): void {
  const line = node.startPosition.row;
  const visit = (v: PyVal, sym: string | undefined) => {
    if (Array.isArray(v)) { v.forEach((x) => visit(x, undefined)); return; }
    if (!isCall(v)) return;
    const fn = lastSegment(v.$call);
    if (fn === 'AssetSpec' || fn === 'SourceAsset') { const a = specAsset(v, sym, line, fn === 'SourceAsset'); if (a) out.assets.push(a); }
    else if (fn === 'load_assets_from_dbt_project' || fn === 'load_assets_from_dbt_manifest') out.dbtLoads.push(dbtLoad(v, line));
    else if (factories.has(v.$call)) expandFactory(factories.get(v.$call)!, v, line, env, out);
    else if (fn === 'Definitions' || fn === 'load_assets_from_modules' || fn === 'with_resources') { for (const x of [...v.args, ...Object.values(v.kwargs)]) visit(x, undefined); }
  };
  visit(value, symbol);
  // A comprehension over a factory with a non-literal list cannot be expanded: say so, never drop it.
  if (isDyn(value) && [...factories.keys()].some((f) => new RegExp(`\\b${f}\\s*\\(`).test(node.text))) {
    out.assets.push({ key: [`dynamic:${symbol ?? `line_${line + 1}`}`], kind: 'python', line, deps: [], kinds: [], hint: `Assets made by a factory whose arguments are not literals in this module (${node.text.slice(0, 60)}); Asset Lens cannot list them statically.` });
  }
}

function expandFactory(fn: PyNode, call: Extract<PyVal, { $call: string }>, line: number, env: Env, out: Out): void {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => (p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text ?? ''));
  let scope: Env = env;
  params.forEach((p, i) => { const v = call.kwargs[p] ?? call.args[i]; if (v !== undefined) scope = new Map([...scope, [p, v]]); });
  const found: PyAssetDef[] = [];
  const sc = new Map(scope);
  const walk = (n: PyNode) => {
    for (const c of n.namedChildren) {
      if (c.type === 'decorated_definition') { const sub: Out = { assets: [], checks: [], dbtLoads: [] }; decorated(c, sc, sub); found.push(...sub.assets); out.checks.push(...sub.checks); }
      else if (c.type === 'block' || c.type === 'for_statement' || c.type === 'if_statement') walk(c);
      else if (c.type === 'expression_statement' || c.type === 'return_statement') found.push(...factorySpecs(c, sc));
    }
  };
  walk(fn.childForFieldName('body') ?? fn);
  // A spec bound to a local and returned (`return [source, loader]`) is met twice: keep the first.
  const seen = new Set<string>();
  for (const a of found) { const k = a.key.join('/'); if (!seen.has(k)) { seen.add(k); out.assets.push({ ...a, line }); } }
}

/** AssetSpec/SourceAsset values in one statement of a factory body; assignments bind locals in `sc`. */
function factorySpecs(stmt: PyNode, sc: Map<string, PyVal>): PyAssetDef[] {
  const expr = stmt.namedChildren[0];
  if (!expr) return [];
  const left = expr.type === 'assignment' ? expr.childForFieldName('left') : undefined;
  const value = evaluate(expr.type === 'assignment' ? expr.childForFieldName('right') : expr, sc);
  const symbol = left?.type === 'identifier' ? left.text : undefined;
  if (symbol) sc.set(symbol, value);
  const specs: PyAssetDef[] = [];
  const visit = (v: PyVal, sym: string | undefined) => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, undefined));
    else if (isCall(v, 'AssetSpec', 'SourceAsset')) { const a = specAsset(v, sym, stmt.startPosition.row, lastSegment(v.$call) === 'SourceAsset'); if (a) specs.push(a); }
  };
  visit(value, symbol);
  return specs;
}

function decorated(node: PyNode, env: Env, out: Out): void {
  const def = node.childForFieldName('definition');
  if (!def || def.type !== 'function_definition') return;
  for (const dec of node.namedChildren.filter((c) => c.type === 'decorator')) {
    const expr = dec.namedChildren[0];
    if (!expr) continue;
    const callee = expr.type === 'call' ? expr.childForFieldName('function')?.text ?? '' : expr.text;
    const name = lastSegment(callee);
    const v = expr.type === 'call' ? evaluate(expr, env) : { $call: callee, args: [], kwargs: {} };
    if (!isCall(v)) continue;
    const line = node.startPosition.row;
    if (assetDecorators.has(name)) out.assets.push(...decoratedAssets(name, v, def, line, env));
    else if (name === 'asset_check') {
      const asset = v.kwargs.asset ?? v.args[0];
      const dep = toDep(asset);
      if (dep) out.checks.push({ name: typeof v.kwargs.name === 'string' ? v.kwargs.name : def.childForFieldName('name')?.text ?? '', asset: dep, line });
    } else if (name === 'dbt_assets') out.dbtLoads.push(dbtLoad(v, line));
  }
}

function decoratedAssets(decorator: string, v: Extract<PyVal, { $call: string }>, def: PyNode, line: number, env: Env): PyAssetDef[] {
  const fname = def.childForFieldName('name')?.text ?? '';
  const kw = v.kwargs;
  const prefix = asKeyPath(kw.key_prefix) ?? [];
  if (decorator === 'multi_asset') return multiAsset(v, fname, line, def);
  const key = asKeyPath(kw.key) ?? [...prefix, typeof kw.name === 'string' ? kw.name : fname];
  const ins = isDict(kw.ins) ? kw.ins.$dict : {};
  const deps: PyDepRef[] = [];
  const bound = new Set<string>();
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    const id = p.type === 'identifier' ? p : p.namedChildren.find((c) => c.type === 'identifier');
    const annotation = p.childForFieldName('type')?.text ?? '';
    if (!id || id.text === 'context' || id.text === 'config' || contextTypes.test(annotation) || p.type.includes('splat')) continue;
    bound.add(id.text);
    deps.push({ dep: { key: inKey(ins[id.text], id.text, prefix) }, ...pos(id) });
  }
  // Inputs named only in `ins=` reach the function through **kwargs: still dependencies.
  const unbound = Object.keys(ins).filter((name) => !bound.has(name));
  // Walking the decorator for `ins=` costs a tree walk: only when some input needs its position.
  const insNode = unbound.length ? findKeyword(def.parent ?? def, 'ins') : undefined;
  for (const name of unbound) deps.push({ dep: { key: inKey(ins[name], name, prefix) }, ...(insNode ? pos(insNode) : { line, startCol: 0, endCol: 0 }) });
  deps.push(...depList(kw.deps ?? kw.non_argument_deps, def, kw.deps !== undefined ? 'deps' : 'non_argument_deps'));
  const sql = returnedSql(def, env);
  const docstring = docOf(def);
  const kinds = [...(asStringList(kw.kinds) ?? []), ...(typeof kw.compute_kind === 'string' ? [kw.compute_kind] : [])];
  return [{
    key, symbol: fname, kind: decorator === 'observable_source_asset' ? 'external' : sql ? 'sql_python' : 'python', line, deps, kinds,
    ...(decorator === 'observable_source_asset' ? { observable: true } : {}),
    ...(typeof kw.group_name === 'string' ? { group: kw.group_name } : {}),
    ...(typeof kw.description === 'string' ? { description: kw.description } : docstring ? { description: docstring } : {}),
    ...optionalPolicies(kw),
    ...(sql ? { sql } : {}),
  }];
}

/** The key an input reads: `AssetIn(key=…)`, else its name under `AssetIn(key_prefix=…)` or the asset's own prefix. */
function inKey(spec: PyVal | undefined, name: string, prefix: readonly string[]): string[] {
  if (!isCall(spec, 'AssetIn')) return [...prefix, name];
  return asKeyPath(spec.kwargs.key ?? spec.args[0]) ?? [...(asKeyPath(spec.kwargs.key_prefix) ?? prefix), name];
}

function multiAsset(v: Extract<PyVal, { $call: string }>, fname: string, line: number, def: PyNode): PyAssetDef[] {
  const out: PyAssetDef[] = [];
  const shared = depList(v.kwargs.deps, def, 'deps');
  const outs = isDict(v.kwargs.outs) ? v.kwargs.outs.$dict : {};
  for (const [name, o] of Object.entries(outs)) {
    const kw = isCall(o) ? o.kwargs : {};
    const key = asKeyPath(kw.key) ?? [...(asKeyPath(kw.key_prefix) ?? []), name];
    out.push({ key, symbol: fname, kind: 'python', line, deps: shared, kinds: asStringList(kw.kinds) ?? [], ...(typeof kw.group_name === 'string' ? { group: kw.group_name } : typeof v.kwargs.group_name === 'string' ? { group: v.kwargs.group_name } : {}), ...optionalPolicies(v.kwargs), ...optionalPolicies(kw) });
  }
  for (const s of Array.isArray(v.kwargs.specs) ? v.kwargs.specs : []) { const a = isCall(s) ? specAsset(s, undefined, line, false) : undefined; if (a) out.push({ ...a, symbol: fname, kind: 'python' }); }
  return out;
}

function specAsset(v: Extract<PyVal, { $call: string }>, symbol: string | undefined, line: number, source: boolean): PyAssetDef | undefined {
  const key = asKeyPath(v.kwargs.key ?? v.args[0]);
  if (!key) return undefined;
  const deps = (Array.isArray(v.kwargs.deps) ? v.kwargs.deps : []).flatMap((d) => { const dep = toDep(d); return dep ? [{ dep, line, startCol: 0, endCol: 0 }] : []; });
  return {
    key, ...(symbol ? { symbol } : {}), kind: source ? 'external' : 'python', line, deps, kinds: asStringList(v.kwargs.kinds) ?? [],
    ...(typeof v.kwargs.group_name === 'string' ? { group: v.kwargs.group_name } : {}),
    ...(typeof v.kwargs.description === 'string' ? { description: v.kwargs.description } : {}),
    ...optionalPolicies(v.kwargs),
  };
}

function dbtLoad(v: Extract<PyVal, { $call: string }>, line: number): PyDbtLoad {
  const dir = relativePath(v.kwargs.project_dir ?? v.args[0]);
  const keyPrefix = asKeyPath(v.kwargs.key_prefix) ?? [];
  const sourceKeyPrefix = asKeyPath(v.kwargs.source_key_prefix);
  const common = { keyPrefix, ...(sourceKeyPrefix ? { sourceKeyPrefix } : {}), line };
  return dir !== undefined ? { projectDir: dir, ...common } : { ...common, hint: 'dbt project path is not a literal; linked by matching keys' };
}

/** A path literal, or `file_relative_path(__file__, "…")`: relative to the module's folder either way. */
function relativePath(v: PyVal | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (isCall(v, 'file_relative_path') && isName(v.args[0]) && v.args[0].$name === '__file__' && typeof v.args[1] === 'string') return v.args[1];
  return undefined;
}

function toDep(v: PyVal | undefined): PyDep | undefined {
  if (isName(v)) return { symbol: v.$name };
  if (isCall(v, 'get_asset_key_for_model')) { const m = v.args[1] ?? v.kwargs.model_name; return typeof m === 'string' ? { ref: m } : undefined; }
  if (isCall(v, 'AssetSpec', 'SourceAsset')) { const k = asKeyPath(v.kwargs.key ?? v.args[0]); return k ? { key: k } : undefined; }
  const k = asKeyPath(v);
  return k ? { key: k } : undefined;
}

/** `deps=[…]` entries with the positions of their text in the decorator, for go-to-definition. */
function depList(value: PyVal | undefined, def: PyNode, kwName: string): PyDepRef[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const decorated = def.parent ?? def;
  const argNode = list.length ? findKeyword(decorated, kwName) : undefined;
  const elems = argNode?.childForFieldName('value')?.namedChildren ?? [];
  return list.flatMap((d, i) => { const dep = toDep(d); const n = elems[i]; return dep ? [{ dep, ...(n ? pos(n) : { line: def.startPosition.row, startCol: 0, endCol: 0 }) }] : []; });
}

function containsAssetDefinition(fn: PyNode): boolean {
  return /@(?:[\w.]*\.)?(?:asset|multi_asset|observable_source_asset)\b/.test(fn.text);
}
