// A small parser for Python/Jinja literal expressions and call arguments: strings, numbers,
// True/False/None (and true/false/none), lists, tuples and dicts. What it cannot read it reports
// as dynamic rather than guessing, so callers can fall back to real rendering.

export type Literal = string | number | boolean | null | Literal[] | { [k: string]: Literal };

/** A value that is not a literal (a name, a call, an f-string…), kept as its source text. */
export interface Dynamic { readonly dynamic: string }

export type Value = Literal | Dynamic;

export const isDynamic = (v: unknown): v is Dynamic => typeof v === 'object' && v !== null && !Array.isArray(v) && 'dynamic' in v && Object.keys(v).length === 1;

export interface CallArgs {
  readonly positional: Value[];
  readonly keywords: Record<string, Value>;
}

/** Parses the text between a call's parentheses. Returns undefined when the text is unbalanced. */
export function parseCallArgs(text: string): CallArgs | undefined {
  const parts = splitTopLevel(text, ',');
  if (!parts) return undefined;
  const positional: Value[] = [];
  const keywords: Record<string, Value> = {};
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)([\s\S]*)$/.exec(part);
    if (kw) keywords[kw[1]!] = parseValue(kw[2]!);
    else positional.push(parseValue(part));
  }
  return { positional, keywords };
}

/** Parses one expression; anything but a literal comes back as Dynamic. */
export function parseValue(text: string): Value {
  const t = text.trim();
  const str = /^[rRbBuU]?(['"])((?:\\.|(?!\1)[^\\])*)\1$/s.exec(t) ?? /^[rRbBuU]?('''|""")([\s\S]*?)\1$/.exec(t);
  if (str && !/^[fF]/.test(t)) return unescape(str[2]!);
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^(True|true)$/.test(t)) return true;
  if (/^(False|false)$/.test(t)) return false;
  if (/^(None|none)$/.test(t)) return null;
  const open = t[0], close = t[t.length - 1];
  if ((open === '[' && close === ']') || (open === '(' && close === ')') || (open === '{' && close === '}')) {
    const inner = splitTopLevel(t.slice(1, -1), ',');
    if (!inner) return { dynamic: t };
    const items = inner.map((s) => s.trim()).filter((s) => s.length > 0);
    if (open === '{') return parseDict(items, t);
    if (open === '(' && items.length === 1 && !/,\s*$/.test(t.slice(1, -1))) return parseValue(items[0]!);
    const values = items.map(parseValue);
    return values.some(isDynamic) ? { dynamic: t } : (values as Literal[]);
  }
  return { dynamic: t };
}

function parseDict(items: string[], whole: string): Value {
  const out: Record<string, Literal> = {};
  for (const item of items) {
    const kv = splitTopLevel(item, ':');
    if (!kv || kv.length < 2) return { dynamic: whole }; // a set literal, not a dict
    const k = parseValue(kv[0]!);
    const v = parseValue(kv.slice(1).join(':'));
    if (typeof k !== 'string' && typeof k !== 'number') return { dynamic: whole };
    if (isDynamic(v)) return { dynamic: whole };
    out[String(k)] = v;
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
}

/** Splits on `sep` at nesting depth 0, outside strings. Undefined when brackets do not balance. */
export function splitTopLevel(text: string, sep: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0, start = 0, quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) { i += quote.length - 1; quote = ''; }
      continue;
    }
    if (c === '"' || c === "'") { quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c; i += quote.length - 1; }
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) { depth--; if (depth < 0) return undefined; }
    else if (c === sep && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  if (depth !== 0 || quote) return undefined;
  parts.push(text.slice(start));
  return parts;
}

/** Finds the index of the parenthesis closing the one at `open` (outside strings); -1 when none. */
export function matchParen(text: string, open: number): number {
  let depth = 0, quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { depth--; if (depth === 0) return i; }
  }
  return -1;
}
