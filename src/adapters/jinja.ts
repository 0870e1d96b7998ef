// Renders dbt SQL with nunjucks and a dbt-like context (ref, source, config, var, env_var, this,
// target, is_incremental, project macros). nunjucks is close to Jinja; the gaps dbt code hits most
// (Python methods on lists, dicts and strings, `{% do %}`, True/None) are filled here. Compiled
// templates are cached by text: compiling costs ten times a render (PERFORMANCE.md).
import { createHash } from 'node:crypto';
import nunjucks from 'nunjucks';
import { datetimeModule, PyDateTime } from './jinjaContext';
import { messageOf } from '../core/text';

/** A relation as dbt's Jinja sees it: prints as `"schema"."identifier"`, exposes its parts. */
export interface RelationRef {
  readonly database?: string;
  readonly schema: string;
  readonly identifier: string;
  readonly name: string;
  toString(): string;
}

export const relationRef = (r: { readonly database?: string; readonly schema: string; readonly identifier: string }): RelationRef => ({
  ...(r.database ? { database: r.database } : {}),
  schema: r.schema,
  identifier: r.identifier,
  name: r.identifier,
  toString: () => `"${r.schema.replace(/"/g, '""')}"."${r.identifier.replace(/"/g, '""')}"`,
});

/** What one render can see. Every resolver throws an Error that says what is missing. */
export interface DbtContext {
  /** `ref('m')` (package undefined) or `ref('pkg', 'm')`; may return inlined SQL text (ephemeral models). */
  readonly ref: (name: string, pkg: string | undefined) => RelationRef | string;
  readonly source: (source: string, table: string) => RelationRef;
  /** The relation being built; undefined for tests and ad-hoc SQL. */
  readonly this?: RelationRef;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly target: { readonly name: string; readonly schema: string; readonly type: 'duckdb' };
  readonly isIncremental: boolean;
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly invocationId?: string;
  readonly runStartedAt?: string;
  /** Extra names a template may use (a Python asset's inputs by name); dbt's own names win over them. */
  readonly locals?: Readonly<Record<string, unknown>>;
  /**
   * `run_query(sql)`: returns an agate-like table (see jinjaContext.ts). Rendering is synchronous,
   * so a caller with a warehouse answers from results it fetched in an earlier pass. Undefined: the
   * render has no warehouse and run_query says so.
   */
  readonly runQuery?: (sql: string) => unknown;
  /** `log(msg, info=True)`: where the message goes; undefined drops it. */
  readonly log?: (message: string) => void;
}

/** `exceptions.raise_compiler_error(msg)`: the model itself says it cannot compile. */
export class CompilerError extends Error {
  constructor(message: string) { super(message); this.name = 'CompilerError'; }
}

/** A template that failed to compile or render; `line` is 1-based in the rendered text. */
export class JinjaError extends Error {
  constructor(readonly path: string, readonly line: number | undefined, readonly reason: string, readonly compiler = false) {
    super(`${compiler ? 'Compilation error' : 'Jinja error'} in ${path}${line ? ` line ${line}` : ''}: ${reason}`);
    this.name = 'JinjaError';
  }
}

const MACROS = '__assetlens_macros__';
const macroBlock = /\{%-?\s*macro\b[\s\S]*?\{%-?\s*endmacro\s*-?%\}/g;
const macroName = /\{%-?\s*macro\s+([A-Za-z_]\w*)/g;
type Kwargs = Record<string, unknown> & { __keywords?: true };

export class DbtRenderer {
  private readonly templates = new Map<string, nunjucks.Template>();
  private readonly env: nunjucks.Environment;
  private readonly prefix: string;
  /** Macro files left out because nunjucks could not compile them (path: reason). */
  readonly problems: string[] = [];

  private constructor(macros: ReadonlyMap<string, string>) {
    let source = '';
    // Only the macros template exists; `{% include %}` of anything else fails as "template not found".
    const loader = { getSource: (n: string) => (n === MACROS ? { src: source, path: n, noCache: false } : null) as nunjucks.LoaderSource };
    this.env = new nunjucks.Environment([loader], { autoescape: false, throwOnUndefined: false });
    this.env.addExtension('do', doExtension);
    const names: string[] = [];
    for (const [path, text] of [...macros].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const blocks = dispatchable((text.match(macroBlock) ?? []).join('\n'));
      try {
        new nunjucks.Template(blocks, this.env, path, true);
      } catch (e) {
        this.problems.push(`${path}: ${cleanMessage(e)}`);
        continue;
      }
      source += `${blocks}\n`;
      for (const m of blocks.matchAll(macroName)) names.push(m[1]!);
    }
    // No newline: the prefix shares the model's first line, so error line numbers stay the model's.
    this.prefix = names.length ? `{% from "${MACROS}" import ${[...new Set(names)].join(', ')} with context %}` : '';
  }

  /** One renderer per distinct set of macro files, reused across runs. */
  static for(macros: ReadonlyMap<string, string>): DbtRenderer {
    const known = byMap.get(macros);
    if (known) return known;
    const hash = createHash('sha1');
    for (const [p, t] of macros) hash.update(p).update('\0').update(t).update('\0');
    const key = hash.digest('hex');
    let r = renderers.get(key);
    if (!r) {
      if (renderers.size >= 8) renderers.clear();
      r = new DbtRenderer(macros);
      renderers.set(key, r);
    }
    byMap.set(macros, r);
    return r;
  }

  /** Renders `text` (the file at `path`, for messages); throws JinjaError. */
  render(path: string, text: string, ctx: DbtContext): string {
    const t = this.template(path, text);
    try {
      return t.render(contextObject(ctx));
    } catch (e) {
      // nunjucks counts lines from 0 at render time and from 1 at compile time.
      throw jinjaError(path, e, 1);
    }
  }

  private template(path: string, text: string): nunjucks.Template {
    const key = `${path}\0${text}`;
    let t = this.templates.get(key);
    if (!t) {
      try {
        t = new nunjucks.Template(this.prefix + dispatchable(text), this.env, path, true);
      } catch (e) {
        throw jinjaError(path, e, 0);
      }
      if (this.templates.size >= 5000) this.templates.clear();
      this.templates.set(key, t);
    }
    return t;
  }
}

function jinjaError(path: string, e: unknown, lineOffset: number): JinjaError {
  if (e instanceof JinjaError) return e;
  const line = /\[Line (\d+), Column \d+\]/.exec(String((e as Error).message));
  const at = line ? Number(line[1]) + lineOffset : undefined;
  // nunjucks (out of dev mode) rethrows a plain Error, so only the message tells what was thrown.
  const reason = cleanMessage(e);
  const compiler = /^CompilerError: /.exec(reason);
  return compiler ? new JinjaError(path, at, reason.slice(compiler[0].length), true) : new JinjaError(path, at, reason);
}

/**
 * `adapter.dispatch('x')` must find the macros the template imported, which only the nunjucks
 * context knows; a member call would not receive it, so the call is renamed to a context global.
 * The rename keeps every line where it was.
 */
const dispatchable = (text: string): string => text.replace(/\badapter\s*\.\s*dispatch\s*\(/g, '__assetlens_dispatch(');

const renderers = new Map<string, DbtRenderer>();
/** The same Map (a project of one graph value) skips hashing its macro text on every render. */
const byMap = new WeakMap<ReadonlyMap<string, string>, DbtRenderer>();

function contextObject(ctx: DbtContext): Record<string, unknown> {
  const env = ctx.env ?? process.env;
  return {
    ...ctx.locals,
    ref: (...args: unknown[]) => {
      const [a, b] = positional(args).map(String);
      if (a === undefined) throw new Error('ref() needs a model name');
      return b === undefined ? ctx.ref(a, undefined) : ctx.ref(b, a);
    },
    source: (...args: unknown[]) => {
      const [s, t] = positional(args).map(String);
      if (s === undefined || t === undefined) throw new Error('source() needs a source name and a table name');
      return ctx.source(s, t);
    },
    config: () => '',
    var: (...args: unknown[]) => lookup('var', args, ctx.vars, 'in the project vars of dbt_project.yml'),
    env_var: (...args: unknown[]) => lookup('env_var', args, env, 'in the environment'),
    is_incremental: () => ctx.isIncremental,
    this: ctx.this,
    target: { ...ctx.target, threads: 1, database: 'main', profile_name: ctx.target.name },
    execute: true,
    invocation_id: ctx.invocationId ?? '',
    run_started_at: new PyDateTime(ctx.runStartedAt ? Date.parse(ctx.runStartedAt) : Date.now()),
    modules: { datetime: datetimeModule(Date.now) },
    log: (msg: unknown) => { ctx.log?.(String(msg)); return ''; },
    print: (msg: unknown) => { ctx.log?.(String(msg)); return ''; },
    return: macroReturn,
    run_query: (sql: unknown) => {
      if (!ctx.runQuery) throw new Error('run_query() needs the warehouse: it runs during a materialization');
      return ctx.runQuery(String(sql));
    },
    adapter: { quote: (s: unknown) => `"${String(s).replace(/"/g, '""')}"`, type: () => 'duckdb' },
    __assetlens_dispatch: dispatch,
    exceptions: { raise_compiler_error: (msg: unknown) => { throw new CompilerError(String(msg)); }, warn: (msg: unknown) => { ctx.log?.(String(msg)); return ''; } },
  };
}

/** dbt's dispatch order for this adapter: `duckdb__name`, then `default__name`, then `name`. */
function dispatch(this: { lookup(name: string): unknown }, ...args: unknown[]): unknown {
  const [name] = positional(args).map(String);
  if (!name) throw new Error('adapter.dispatch() needs a macro name');
  for (const candidate of [`duckdb__${name}`, `default__${name}`, name]) {
    const found = this.lookup(candidate);
    if (typeof found === 'function') return found;
  }
  throw new Error(`adapter.dispatch('${name}') found no macro duckdb__${name} or default__${name} in the project`);
}

/**
 * Jinja's `{{ return(x) }}` ends a macro with the value x. Every macro call pushes a slot (see
 * installCompat); return() fills the innermost one and the call yields it instead of its text.
 * Later output of the macro is rendered but dropped, which is what the caller sees in dbt too.
 */
const returnSlots: { set: boolean; value: unknown }[] = [];
function macroReturn(value: unknown): string {
  const slot = returnSlots[returnSlots.length - 1];
  if (!slot) throw new Error('return() is only allowed inside a macro');
  if (!slot.set) { slot.set = true; slot.value = value; }
  return '';
}

/** var()/env_var(): the named value, else the default (positional or `default=`), else an error. */
function lookup(fn: string, args: readonly unknown[], values: Readonly<Record<string, unknown>>, where: string): unknown {
  const [name, dflt] = positional(args);
  const kw = keywords(args);
  const key = String(name);
  if (Object.prototype.hasOwnProperty.call(values, key) && values[key] !== undefined) return values[key];
  if (dflt !== undefined) return dflt;
  if (kw && 'default' in kw) return kw.default;
  throw new Error(`${fn}('${key}') is not set ${where} and has no default`);
}

const isKwargs = (v: unknown): v is Kwargs => !!v && typeof v === 'object' && (v as Kwargs).__keywords === true;
const positional = (args: readonly unknown[]): unknown[] => args.filter((a) => !isKwargs(a));
const keywords = (args: readonly unknown[]): Kwargs | undefined => args.find(isKwargs) as Kwargs | undefined;

/** The innermost line of a nunjucks error ("Template render error: (x) [Line 3…]\n  Error: …"). */
function cleanMessage(e: unknown): string {
  const text = messageOf(e);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines[lines.length - 1] ?? text).replace(/^(Template render error: )?(\([^)]*\) )?(\[Line \d+, Column \d+\])?\s*(Error: )?/, '');
}

/** `{% do expr %}` evaluates `expr` for its effect (list.append, dict.update) and prints nothing. */
const doExtension = {
  tags: ['do'],
  parse(parser: ParserLike, nodes: NodesLike): unknown {
    const tok = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(tok.value);
    return new nodes.CallExtension(doExtension, 'run', args);
  },
  run: (): string => '',
};
interface ParserLike { nextToken(): { value: string }; parseSignature(a: null, b: boolean): unknown; advanceAfterBlockEnd(v: string): void }
interface NodesLike { CallExtension: new (ext: unknown, method: string, args: unknown) => unknown }

/** Python string methods dbt macros call (`.upper()`, `.strip()`, …), added to the Jinja-compat member lookup. */
function installCompat(): void {
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: NunjucksRuntime }).runtime;
  const base = runtime.memberLookup;
  const methods: Record<string, (s: string, ...a: string[]) => unknown> = {
    upper: (s) => s.toUpperCase(), lower: (s) => s.toLowerCase(), strip: (s, c) => trim(s, c, true, true),
    lstrip: (s, c) => trim(s, c, true, false), rstrip: (s, c) => trim(s, c, false, true),
    startswith: (s, p) => s.startsWith(p ?? ''), endswith: (s, p) => s.endsWith(p ?? ''),
    replace: (s, a, b) => s.split(a ?? '').join(b ?? ''), split: (s, sep) => (sep === undefined ? s.trim().split(/\s+/) : s.split(sep)),
  };
  const makeMacro = runtime.makeMacro;
  runtime.makeMacro = (argNames: unknown, kwargNames: unknown, func: (...a: unknown[]) => unknown) => makeMacro(argNames, kwargNames, function (this: unknown, ...args: unknown[]) {
    const slot = { set: false, value: undefined as unknown };
    returnSlots.push(slot);
    try {
      const out = func.apply(this, args);
      return slot.set ? slot.value : out;
    } finally {
      returnSlots.pop();
    }
  });
  runtime.memberLookup = function (this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    if (typeof obj === 'string' && typeof val === 'string' && Object.prototype.hasOwnProperty.call(methods, val)) {
      return (...a: string[]) => methods[val]!(obj, ...a);
    }
    // Jinja-compat answers `.values()`/`.items()` for every object; an object's own method (an agate column's) wins.
    if (obj && typeof obj === 'object' && typeof val === 'string' && Object.prototype.hasOwnProperty.call(obj, val)) {
      const own = (obj as Record<string, unknown>)[val];
      if (typeof own === 'function') return (...a: unknown[]) => (own as (...x: unknown[]) => unknown).apply(obj, a);
    }
    return base.call(this, obj, val, ...rest);
  };
}

interface NunjucksRuntime {
  memberLookup: (obj: unknown, val: unknown, ...rest: unknown[]) => unknown;
  makeMacro: (argNames: unknown, kwargNames: unknown, func: (...a: unknown[]) => unknown) => unknown;
}

function trim(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t\n\r\f\v';
  let a = 0, b = s.length;
  while (left && a < b && set.includes(s[a]!)) a++;
  while (right && b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

installCompat();
