// The static fast path for dbt SQL (dbt's own approach): finds ref(), source() and config() calls
// with literal arguments. A call whose arguments are not literals marks the file as needing real
// rendering (`dynamic`), and the caller falls back to it.
import { isDynamic, matchParen, parseCallArgs, type Literal, type Value } from '../literal';

export interface SqlRef {
  readonly package?: string;
  readonly name: string;
  readonly version?: string | number;
  /** 0-based position of the quoted model name. */
  readonly line: number;
  readonly startCol: number;
  readonly endCol: number;
}

export interface SqlSource {
  readonly source: string;
  readonly table: string;
  readonly line: number;
  readonly startCol: number;
  readonly endCol: number;
}

export interface SqlExtract {
  readonly refs: readonly SqlRef[];
  readonly sources: readonly SqlSource[];
  /** Keyword arguments of `{{ config(...) }}` calls, merged in order. */
  readonly config: Readonly<Record<string, Literal>>;
  /** Set when some call could not be read statically; the text of the first such call. */
  readonly dynamic?: string;
  /** Jinja syntax problems found while scanning (unclosed tags), 0-based lines. */
  readonly problems: readonly { line: number; message: string }[];
  /** `{% snapshot name %}` blocks. */
  readonly snapshots: readonly { name: string; line: number; body: string }[];
  /** `{% macro name(...) %}` definitions. */
  readonly macros: readonly { name: string; line: number }[];
}

const callRe = /\b(ref|source|config)\s*\(/g;

export function extractSql(text: string): SqlExtract {
  const code = blankComments(text);
  const lineStarts = lineIndex(code);
  const refs: SqlRef[] = [], sources: SqlSource[] = [];
  const config: Record<string, Literal> = {};
  let dynamic: string | undefined;
  for (const m of code.matchAll(callRe)) {
    const fn = m[1]!;
    const open = m.index! + m[0].length - 1;
    if (!insideJinja(code, m.index!)) continue;
    const close = matchParen(code, open);
    if (close < 0) { dynamic ??= code.slice(m.index!, m.index! + 40); continue; }
    const args = parseCallArgs(code.slice(open + 1, close));
    if (!args) { dynamic ??= code.slice(m.index!, close + 1); continue; }
    const pos = (i: number) => { const p = position(lineStarts, i); return p; };
    if (fn === 'config') {
      for (const [k, v] of Object.entries(args.keywords)) if (!isDynamic(v)) config[k] = v; else dynamic ??= code.slice(m.index!, close + 1);
      continue;
    }
    const strings = args.positional.filter((v): v is string => typeof v === 'string');
    if (strings.length !== args.positional.length || strings.length === 0) { dynamic ??= code.slice(m.index!, close + 1); continue; }
    const last = strings[strings.length - 1]!;
    const at = findQuoted(code, open, close, last);
    const p = pos(at.start), e = pos(at.end);
    if (fn === 'ref') {
      const version = pickVersion(args.keywords.v ?? args.keywords.version);
      refs.push({ name: last, ...(strings.length > 1 ? { package: strings[0]! } : {}), ...(version !== undefined ? { version } : {}), line: p.line, startCol: p.col, endCol: e.col });
    } else if (strings.length === 2) {
      sources.push({ source: strings[0]!, table: last, line: p.line, startCol: p.col, endCol: e.col });
    } else dynamic ??= code.slice(m.index!, close + 1);
  }
  // Most models hold no snapshot or macro: a plain search spares them the block regexes.
  const snapshots = text.includes('snapshot') ? snapshotBlocks(text, lineStarts) : [];
  const macros = code.includes('macro') ? macroDefs(code, lineStarts) : [];
  return { refs, sources, config, ...(dynamic ? { dynamic } : {}), problems: jinjaProblems(code, lineStarts), snapshots, macros };
}

function pickVersion(v: Value | undefined): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** Replaces `{# … #}` Jinja comments and `--` SQL line comments with spaces, keeping offsets. */
function blankComments(text: string): string {
  if (!text.includes('{#') && !text.includes('--')) return text;
  return text
    .replace(/\{#[\s\S]*?#\}/g, (s) => s.replace(/[^\n]/g, ' '))
    .replace(/--[^\n]*/g, (s) => (s.includes('{{') || s.includes('{%') ? s : s.replace(/[^\n]/g, ' ')));
}

/** True when offset `i` is inside a `{{ }}` or `{% %}` block. */
function insideJinja(code: string, i: number): boolean {
  const open = Math.max(code.lastIndexOf('{{', i), code.lastIndexOf('{%', i));
  if (open < 0) return false;
  const close = Math.max(code.lastIndexOf('}}', i), code.lastIndexOf('%}', i));
  return close < open;
}

function findQuoted(code: string, from: number, to: number, value: string): { start: number; end: number } {
  for (const q of ["'", '"']) {
    const i = code.lastIndexOf(q + value + q, to);
    if (i > from) return { start: i + 1, end: i + 1 + value.length };
  }
  return { start: from + 1, end: to };
}

export function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 0-based line and column of an offset. */
export function position(lineStarts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0, hi = lineStarts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= offset) lo = mid; else hi = mid - 1; }
  return { line: lo, col: offset - lineStarts[lo]! };
}

/** Unclosed `{{`/`{%` tags and unbalanced block tags, reported where they start. */
function jinjaProblems(code: string, lineStarts: readonly number[]): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  for (const [open, close] of [['{{', '}}'], ['{%', '%}']] as const) {
    let i = code.indexOf(open);
    while (i >= 0) {
      const end = code.indexOf(close, i + 2);
      const nextOpen = code.indexOf(open, i + 2);
      if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
        problems.push({ line: position(lineStarts, i).line, message: `Unclosed '${open}': expected '${close}'` });
        if (end < 0) break;
      }
      i = nextOpen;
    }
  }
  const stack: { tag: string; line: number }[] = [];
  if (!code.includes('{%')) return problems;
  for (const m of code.matchAll(/\{%-?\s*(end)?(if|for|macro|call|filter|set|snapshot|materialization|test)\b([^%]*)-?%\}/g)) {
    const [, end, tag, rest] = m;
    if (tag === 'set' && !end && /=/.test(rest!)) continue; // `{% set x = … %}` has no end tag
    const line = position(lineStarts, m.index!).line;
    if (!end) stack.push({ tag: tag!, line });
    else if (stack.length && stack[stack.length - 1]!.tag === tag) stack.pop();
    else problems.push({ line, message: `'{% end${tag} %}' without a matching '{% ${tag} %}'` });
  }
  for (const s of stack) problems.push({ line: s.line, message: `'{% ${s.tag} %}' is never closed with '{% end${s.tag} %}'` });
  return problems;
}

function snapshotBlocks(text: string, lineStarts: readonly number[]): { name: string; line: number; body: string }[] {
  const out: { name: string; line: number; body: string }[] = [];
  for (const m of text.matchAll(/\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g)) {
    out.push({ name: m[1]!, line: position(lineStarts, m.index!).line, body: m[2]! });
  }
  return out;
}

function macroDefs(code: string, lineStarts: readonly number[]): { name: string; line: number }[] {
  return [...code.matchAll(/\{%-?\s*macro\s+(\w+)\s*\(/g)].map((m) => ({ name: m[1]!, line: position(lineStarts, m.index!).line }));
}
