// The folder a sensor lists, followed through the path spellings Dagster code uses, without running
// Python. A relative string is relative to the process's working directory (where `dagster dev`
// runs: the Dagster project root); `__file__`-based paths (`os.path.dirname(__file__)`,
// `Path(__file__).parent / "x"`, `file_relative_path(__file__, "x")`) are relative to the module.
// pyAutomationLink.ts turns either into a workspace-relative folder. What cannot be followed is a
// problem with its reason, never a guess.
import { evaluate, lastSegment, type Env, type PyNode } from './pyEval';

/**
 * A path: `segs` applied to the working directory (`cwd`) or to the module file itself (`file`:
 * `[]` is the file, `['..']` its folder). Segments may hold a glob (`*.csv`) in the last place.
 */
export interface PyPath { readonly base: 'cwd' | 'file'; readonly segs: readonly string[] }
export type PathResult = PyPath | { readonly problem: string };

export const isPath = (r: PathResult): r is PyPath => 'base' in r;

/** Module-level (and sensor-local) names bound to expressions, followed when a path names them. */
export type PathNames = ReadonlyMap<string, PyNode>;

const identity = new Set(['abspath', 'realpath', 'normpath', 'fspath', 'str', 'resolve', 'absolute', 'Path', 'PurePath', 'PosixPath', 'WindowsPath']);
const maxDepth = 32;

/** Follows a path expression; `names` holds the assignments in scope, `values` the module's evaluated constants. */
export function pathOf(node: PyNode | null | undefined, names: PathNames, values: Env, depth = 0): PathResult {
  if (!node) return { problem: 'no path' };
  if (depth > maxDepth) return { problem: `${short(node)} is nested too deeply` };
  const next = (n: PyNode | null | undefined) => pathOf(n, names, values, depth + 1);
  switch (node.type) {
    case 'parenthesized_expression': return next(node.namedChildren[0]);
    case 'string': case 'concatenated_string': return fromString(node, values);
    case 'identifier': return identifier(node, names, values, depth);
    case 'attribute': return attribute(node, next);
    case 'subscript': return parents(node, next);
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text ?? node.children[1]?.text;
      if (op === '/') return join([next(node.childForFieldName('left')), next(node.childForFieldName('right'))]);
      if (op === '+') return fromString(node, values);
      break;
    }
    case 'call': return call(node, next);
  }
  return { problem: `${short(node)} is not a path Asset Lens can follow` };
}

function fromString(node: PyNode, values: Env): PathResult {
  const v = evaluate(node, values);
  if (typeof v !== 'string') return { problem: `${short(node)} is not a string literal` };
  if (/^(\/|[A-Za-z]:[\\/]|~)/.test(v)) return { problem: `${v} is an absolute path; Asset Lens lists folders inside the workspace` };
  return { base: 'cwd', segs: v.split(/[\\/]+/).filter((s) => s && s !== '.') };
}

function identifier(node: PyNode, names: PathNames, values: Env, depth: number): PathResult {
  if (node.text === '__file__') return { base: 'file', segs: [] };
  const bound = names.get(node.text);
  if (bound) return pathOf(bound, names, values, depth + 1);
  const v = values.get(node.text);
  if (typeof v === 'string') return fromString(node, values);
  return { problem: `${node.text} is not bound to a path in this module` };
}

/** `x.parent`; `Path.cwd` and the like are not paths by themselves. */
function attribute(node: PyNode, next: (n: PyNode | null) => PathResult): PathResult {
  const attr = node.childForFieldName('attribute')?.text;
  if (attr === 'parent') return join([next(node.childForFieldName('object')), up(1)]);
  return { problem: `${short(node)} is not a path Asset Lens can follow` };
}

/** `x.parents[n]`: n + 1 folders up. */
function parents(node: PyNode, next: (n: PyNode | null) => PathResult): PathResult {
  const value = node.childForFieldName('value');
  const index = node.childForFieldName('subscript') ?? node.namedChildren[1];
  if (value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'parents' && index?.type === 'integer') {
    return join([next(value.childForFieldName('object')), up(Number(index.text) + 1)]);
  }
  if (/^os\.environ\b/.test(value?.text ?? '')) return { problem: `${short(node)} comes from the environment, which Asset Lens does not read` };
  return { problem: `${short(node)} is not a path Asset Lens can follow` };
}

function call(node: PyNode, next: (n: PyNode | null) => PathResult): PathResult {
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument');
  const name = lastSegment(fn?.text ?? '');
  // A method of a path value (`p.resolve()`, `p.joinpath("x")`), rather than a function of a module (`os.path.join`).
  const object = fn?.type === 'attribute' && !/^(os|os\.path|pathlib|glob|shutil)$/.test(fn.childForFieldName('object')?.text ?? '') ? fn.childForFieldName('object') : undefined;
  if (object && (name === 'resolve' || name === 'absolute')) return next(object);
  if (object && name === 'joinpath') return join([next(object), ...args.map(next)]);
  if (name === 'cwd' || name === 'getcwd') return { base: 'cwd', segs: [] };
  if (name === 'dirname') return join([next(args[0] ?? null), up(1)]);
  if (name === 'file_relative_path') return join([next(args[0] ?? null), up(1), ...args.slice(1).map(next)]);
  if (name === 'join' || identity.has(name)) return args.length ? join(args.map(next)) : { base: 'cwd', segs: [] };
  if (name === 'getenv' || /^os\.environ\b/.test(fn?.text ?? '')) return { problem: `${short(node)} comes from the environment, which Asset Lens does not read` };
  return { problem: `${short(node)} is not a path Asset Lens can follow` };
}

const up = (n: number): PyPath => ({ base: 'cwd', segs: Array<string>(n).fill('..') });

/** Python's join: a `__file__`-based part starts over (it is absolute), a relative one is appended. */
function join(parts: readonly PathResult[]): PathResult {
  let out: PyPath | undefined;
  for (const p of parts) {
    if (!isPath(p)) return p;
    out = !out || p.base === 'file' ? p : { base: out.base, segs: [...out.segs, ...p.segs] };
  }
  return out ?? { problem: 'no path' };
}

const short = (node: PyNode): string => `\`${node.text.length > 60 ? `${node.text.slice(0, 57)}…` : node.text}\``;

/**
 * The workspace-relative folder a path names, given the module's file and the folder the process
 * runs in (`projectRoot`, workspace-relative). A problem when it leaves the workspace.
 */
export function resolveIn(path: PyPath, file: string, projectRoot: string): { folder: string } | { problem: string } {
  const start = path.base === 'file' ? file.split('/') : projectRoot.split('/').filter(Boolean);
  const out: string[] = [];
  for (const seg of [...start, ...path.segs]) {
    if (seg === '..') { if (!out.length) return { problem: 'resolves outside the workspace folder' }; out.pop(); } else if (seg && seg !== '.') out.push(seg);
  }
  return { folder: out.join('/') };
}
