// A tiny static evaluator for the Python that defines Dagster assets: literals, module-level
// names bound to literals, f-strings, list comprehensions over literal lists, and calls kept as
// data (`{ $call: 'AssetKey', args, kwargs }`). Nothing is executed; what cannot be known is
// `{ $dynamic: text }`.

/** The part of a syntax tree node the extractor reads (web-tree-sitter's Node fits it). */
export interface PyNode {
  readonly type: string;
  readonly text: string;
  readonly startPosition: { readonly row: number; readonly column: number };
  readonly endPosition: { readonly row: number; readonly column: number };
  readonly namedChildren: readonly PyNode[];
  readonly children: readonly PyNode[];
  readonly hasError: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly parent: PyNode | null;
  childForFieldName(name: string): PyNode | null;
}

export type PyVal =
  | string | number | boolean | null
  | PyVal[]
  | { readonly $dict: Readonly<Record<string, PyVal>> }
  | { readonly $call: string; readonly args: readonly PyVal[]; readonly kwargs: Readonly<Record<string, PyVal>> }
  | { readonly $name: string }
  | { readonly $dynamic: string };

export type Env = ReadonlyMap<string, PyVal>;

export const isCall = (v: PyVal | undefined, ...names: string[]): v is { $call: string; args: PyVal[]; kwargs: Record<string, PyVal> } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && '$call' in v && (names.length === 0 || names.includes(lastSegment(v.$call)));
export const isName = (v: PyVal | undefined): v is { $name: string } => !!v && typeof v === 'object' && !Array.isArray(v) && '$name' in v;
export const isDict = (v: PyVal | undefined): v is { $dict: Record<string, PyVal> } => !!v && typeof v === 'object' && !Array.isArray(v) && '$dict' in v;
export const isDyn = (v: PyVal | undefined): v is { $dynamic: string } => !!v && typeof v === 'object' && !Array.isArray(v) && '$dynamic' in v;
export const lastSegment = (dotted: string): string => dotted.slice(dotted.lastIndexOf('.') + 1);

/** Deeper expressions than this are not literals anyone writes; stop before the stack does. */
const maxDepth = 64;
let depth = 0;

/** Evaluates an expression node in `env`. */
export function evaluate(node: PyNode | null | undefined, env: Env): PyVal {
  if (!node) return null;
  if (depth >= maxDepth) return { $dynamic: '…' };
  depth++;
  try { return evaluateNode(node, env); } finally { depth--; }
}

function evaluateNode(node: PyNode, env: Env): PyVal {
  switch (node.type) {
    case 'string': return evalString(node, env);
    case 'concatenated_string': {
      const parts = node.namedChildren.map((c) => evaluate(c, env));
      return parts.every((p) => typeof p === 'string') ? (parts as string[]).join('') : { $dynamic: node.text };
    }
    case 'integer': case 'float': { const n = Number(node.text.replace(/_/g, '')); return Number.isFinite(n) ? n : { $dynamic: node.text }; }
    case 'true': return true;
    case 'false': return false;
    case 'none': return null;
    case 'unary_operator': { const v = evaluate(node.namedChildren[0], env); return node.text.startsWith('-') && typeof v === 'number' ? -v : { $dynamic: node.text }; }
    case 'parenthesized_expression': return evaluate(node.namedChildren[0], env);
    case 'list': case 'tuple': case 'set': return node.namedChildren.filter((c) => c.type !== 'comment').flatMap((c) => (c.type === 'list_splat' ? spread(evaluate(c.namedChildren[0], env)) : [evaluate(c, env)]));
    case 'dictionary': return evalDict(node, env);
    case 'identifier': return env.has(node.text) ? env.get(node.text)! : { $name: node.text };
    case 'attribute': return { $name: node.text };
    case 'call': return evalCall(node, env);
    case 'list_comprehension': return evalComprehension(node, env);
    case 'binary_operator': return evalBinary(node, env);
    default: return { $dynamic: node.text };
  }
}

function spread(v: PyVal): PyVal[] {
  return Array.isArray(v) ? v : [{ $dynamic: '*' }];
}

function evalString(node: PyNode, env: Env): PyVal {
  const start = node.namedChildren.find((c) => c.type === 'string_start')?.text ?? '"';
  const isF = /f/i.test(start);
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_content') out += /r/i.test(start) ? c.text : c.text.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t' } as Record<string, string>)[ch] ?? ch);
    else if (c.type === 'escape_sequence') out += ({ '\\n': '\n', '\\t': '\t' } as Record<string, string>)[c.text] ?? c.text.slice(1);
    else if (c.type === 'interpolation') {
      if (!isF) return { $dynamic: node.text };
      const v = evaluate(c.childForFieldName('expression') ?? c.namedChildren[0], env);
      if (typeof v !== 'string' && typeof v !== 'number') return { $dynamic: node.text };
      out += String(v);
    }
  }
  return out;
}

function evalDict(node: PyNode, env: Env): PyVal {
  const out: Record<string, PyVal> = {};
  for (const pair of node.namedChildren) {
    if (pair.type !== 'pair') continue;
    const k = evaluate(pair.childForFieldName('key'), env);
    if (typeof k !== 'string' && typeof k !== 'number') return { $dynamic: node.text };
    out[String(k)] = evaluate(pair.childForFieldName('value'), env);
  }
  return { $dict: out };
}

function evalCall(node: PyNode, env: Env): PyVal {
  const fn = node.childForFieldName('function');
  const argList = node.childForFieldName('arguments');
  const args: PyVal[] = [];
  const kwargs: Record<string, PyVal> = {};
  for (const a of argList?.namedChildren ?? []) {
    if (a.type === 'keyword_argument') kwargs[a.childForFieldName('name')?.text ?? ''] = evaluate(a.childForFieldName('value'), env);
    else if (a.type !== 'comment') args.push(evaluate(a, env));
  }
  const name = fn?.type === 'identifier' || fn?.type === 'attribute' ? fn.text : fn?.type === 'call' ? `${fn.text}` : '';
  // `AutoMaterializePolicy.eager()` and the like stay as calls named by their dotted path.
  return { $call: name, args, kwargs };
}

/** `[f(x) for x in LITERAL_LIST]` (one `for`, optional `if` ignored when static) → a list. */
function evalComprehension(node: PyNode, env: Env): PyVal {
  const body = node.childForFieldName('body') ?? node.namedChildren[0];
  const clause = node.namedChildren.find((c) => c.type === 'for_in_clause');
  if (!body || !clause || node.namedChildren.some((c) => c.type === 'if_clause')) return { $dynamic: node.text };
  const target = clause.childForFieldName('left');
  const iter = evaluate(clause.childForFieldName('right'), env);
  const items = Array.isArray(iter) ? iter : isDict(iter) ? Object.keys(iter.$dict) : undefined;
  if (!items || !target) return { $dynamic: node.text };
  return items.map((item) => evaluate(body, bind(env, target, item)));
}

/** Binds a loop target (a name or a tuple of names) to a value. */
export function bind(env: Env, target: PyNode, value: PyVal): Env {
  const next = new Map(env);
  if (target.type === 'identifier') next.set(target.text, value);
  else if ((target.type === 'tuple' || target.type === 'pattern_list' || target.type === 'tuple_pattern') && Array.isArray(value)) {
    target.namedChildren.forEach((t, i) => { if (t.type === 'identifier') next.set(t.text, value[i] ?? null); });
  }
  return next;
}

function evalBinary(node: PyNode, env: Env): PyVal {
  const l = evaluate(node.childForFieldName('left'), env), r = evaluate(node.childForFieldName('right'), env);
  const op = node.childForFieldName('operator')?.text ?? node.children[1]?.text;
  if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
  if (op === '+' && typeof l === 'number' && typeof r === 'number') return l + r;
  if (op === '+' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
  // Lags are often written as arithmetic (`maximum_lag_minutes=6 * 60`).
  if (typeof l === 'number' && typeof r === 'number' && (op === '*' || op === '-')) return op === '*' ? l * r : l - r;
  return { $dynamic: node.text };
}

/** A value as a key path when it spells one: "a/b", ["a","b"], AssetKey([...]) or AssetKey("a"). */
export function asKeyPath(v: PyVal | undefined): string[] | undefined {
  if (typeof v === 'string') return v.split('/');
  if (Array.isArray(v) && v.length && v.every((s) => typeof s === 'string')) return v as string[];
  if (isCall(v, 'AssetKey')) return asKeyPath(v.args[0] ?? v.kwargs.path);
  return undefined;
}

export function asStringList(v: PyVal | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  return undefined;
}

/** Plain JSON for storing a value (calls become `Name(...)` objects). */
export function toPlain(v: PyVal): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (isDict(v)) return Object.fromEntries(Object.entries(v.$dict).map(([k, x]) => [k, toPlain(x)]));
  if (isCall(v)) return { call: v.$call, args: v.args.map(toPlain), kwargs: Object.fromEntries(Object.entries(v.kwargs).map(([k, x]) => [k, toPlain(x)])) };
  if (isName(v)) return { name: v.$name };
  if (isDyn(v)) return { dynamic: v.$dynamic };
  return v;
}
