// A fast reader for the plain block YAML that dbt property files are written in (block maps and
// sequences, one-line scalars and flow collections). It gives the same values as `yaml`'s
// `parseDocument(...).toJS()` plus the lines property readers need, ten times faster on big
// files. Anything outside that subset (anchors, tags, block scalars, multi-line scalars, tabs,
// duplicate keys, errors) returns undefined and the caller falls back to the full parser.

/** Where a mapping starts and where each of its values starts (0-based lines). */
export interface MapLines { readonly line: number; readonly keys: ReadonlyMap<string, number> }

/** A document's value with the lines of its mappings, keyed by the mapping objects themselves. */
export interface Positioned { readonly value: unknown; readonly lines: WeakMap<object, MapLines> }

interface Line { indent: number; text: string; readonly line: number }

class Unsupported extends Error {}
const fail = (): never => { throw new Unsupported('not plain block YAML'); };

/** The document's value and lines, or undefined when the text needs the full YAML parser. */
export function readSimpleYaml(text: string): Positioned | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new Reader(contentLines(text)).document();
  } catch {
    // Unsupported input, or nesting deep enough to exhaust the stack: the full parser decides.
    return undefined;
  }
}

function contentLines(text: string): Line[] {
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i]!;
    if (t.endsWith('\r')) t = t.slice(0, -1);
    if (t.includes('\r')) fail();
    let indent = 0;
    while (t.charCodeAt(indent) === 32) indent++;
    if (indent === t.length || t[indent] === '#') continue;
    if (indent === 0 && (t.startsWith('---') || t.startsWith('...') || t[0] === '%')) fail();
    out.push({ indent, text: t.slice(indent).trimEnd(), line: i });
  }
  return out;
}

const keyPattern = /^[A-Za-z0-9_+$][\w+$./-]*$/;

class Reader {
  private i = 0;
  readonly lines = new WeakMap<object, MapLines>();

  constructor(private readonly src: Line[]) {}

  document(): Positioned {
    if (!this.src.length) return { value: null, lines: this.lines };
    const first = this.src[0]!;
    if (!this.isItem(first) && keyOf(first.text) === undefined) fail();
    const value = this.block(first.indent);
    if (this.i < this.src.length) fail();
    return { value, lines: this.lines };
  }

  private isItem(l: Line): boolean {
    return l.text === '-' || l.text.startsWith('- ');
  }

  /** A block collection whose first line is the current line, at `indent`. */
  private block(indent: number): unknown {
    const l = this.src[this.i]!;
    if (this.isItem(l)) return this.seq(indent);
    if (keyOf(l.text) === undefined) fail();
    return this.map(indent);
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    this.lines.set(out, { line: this.src[this.i]!.line, keys });
    while (this.i < this.src.length) {
      const l = this.src[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent || this.isItem(l)) fail();
      const k = keyOf(l.text) ?? fail();
      if (keys.has(k.key) || k.key === '__proto__') fail();
      this.i++;
      const { value, line } = this.valueAfter(k.rest, l, indent, true);
      out[k.key] = value;
      keys.set(k.key, line);
    }
    return out;
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.src.length) {
      const l = this.src[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent || !this.isItem(l)) fail();
      const rest = l.text.slice(1);
      const body = rest.trimStart();
      if (body && !body.startsWith('#') && (this.isItem({ ...l, text: body }) || keyOf(body) !== undefined)) {
        // `- key: v` or `- - x`: a collection starting on this line, indented where its text starts.
        const col = l.indent + 1 + (rest.length - body.length);
        this.src[this.i] = { indent: col, text: body, line: l.line };
        out.push(this.block(col));
        continue;
      }
      this.i++;
      out.push(this.valueAfter(rest, l, indent, false).value);
    }
    return out;
  }

  /** The value written after `key:` or `-` on line `l`: inline, a nested block, or null. */
  private valueAfter(rest: string, l: Line, indent: number, inMap: boolean): { value: unknown; line: number } {
    const inline = rest.trimStart();
    const next = this.src[this.i];
    if (!inline || inline.startsWith('#')) {
      if (next && (next.indent > indent || (inMap && next.indent === indent && this.isItem(next)))) {
        const line = next.line;
        return { value: this.block(next.indent), line };
      }
      return { value: null, line: l.line };
    }
    // Text on the next, deeper line would continue a multi-line scalar.
    if (next && next.indent > indent) fail();
    return { value: inlineValue(inline, l.line, this.lines), line: l.line };
  }
}

/** `key: rest` with a plain key; undefined when the line is not a mapping entry. */
function keyOf(text: string): { key: string; rest: string } | undefined {
  let colon = -1;
  for (let j = text.indexOf(':'); j >= 0; j = text.indexOf(':', j + 1)) {
    if (j + 1 === text.length || text[j + 1] === ' ') { colon = j; break; }
  }
  if (colon < 0) return undefined;
  const key = text.slice(0, colon).trimEnd();
  if (!keyPattern.test(key) || typeof plainScalar(key) !== 'string') {
    // A quoted or complex key, or a scalar that holds `: `: leave it to the full parser.
    if (/^[\w"']/.test(text) || text.startsWith('? ')) fail();
    return undefined;
  }
  return { key, rest: text.slice(colon + 1) };
}

/** A one-line value: quoted, flow collection or plain scalar, with an optional trailing comment. */
function inlineValue(text: string, line: number, lines: WeakMap<object, MapLines>): unknown {
  const c = text[0]!;
  if (c === '"' || c === "'" || c === '[' || c === '{') {
    const r = new FlowReader(text, line, lines);
    const v = r.node();
    r.end();
    return v;
  }
  if (/^[\]},&*!|>%@`]/.test(text) || /^[-?:](\s|$)/.test(text)) fail();
  const hash = text.search(/\s#/);
  const plain = (hash < 0 ? text : text.slice(0, hash)).trimEnd();
  if (plain.includes(': ') || plain.endsWith(':')) fail();
  return plainScalar(plain);
}

/** Resolves a plain scalar as YAML 1.2's core schema does (what `yaml` uses by default). */
function plainScalar(s: string): unknown {
  // Most scalars are words, and among YAML's special plain scalars only null, true and false start with a letter.
  if (/^[A-Za-z_]/.test(s) && !/^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** Quoted scalars and flow collections that open and close on one line. */
class FlowReader {
  private p = 0;
  constructor(private readonly s: string, private readonly line: number, private readonly lines: WeakMap<object, MapLines>) {}

  end(): void {
    this.ws();
    if (this.p < this.s.length && !(this.s[this.p] === '#' && /\s/.test(this.s[this.p - 1] ?? ''))) fail();
  }

  private ws(): void {
    while (this.s[this.p] === ' ') this.p++;
  }

  node(): unknown {
    this.ws();
    const c = this.s[this.p];
    if (c === '[') return this.flowSeq();
    if (c === '{') return this.flowMap();
    if (c === '"') return this.doubleQuoted();
    if (c === "'") return this.singleQuoted();
    return this.plain();
  }

  private flowSeq(): unknown[] {
    const out: unknown[] = [];
    this.p++;
    this.ws();
    if (this.s[this.p] === ']') { this.p++; return out; }
    for (;;) {
      out.push(this.node());
      this.ws();
      const c = this.s[this.p++];
      if (c === ']') return out;
      if (c !== ',') fail();
    }
  }

  private flowMap(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    this.lines.set(out, { line: this.line, keys });
    this.p++;
    this.ws();
    if (this.s[this.p] === '}') { this.p++; return out; }
    for (;;) {
      const key = this.node();
      if (typeof key !== 'string' || key === '__proto__' || key in out) fail();
      this.ws();
      if (this.s[this.p++] !== ':') fail();
      this.ws();
      const c = this.s[this.p];
      out[key as string] = c === ',' || c === '}' ? null : this.node();
      keys.set(key as string, this.line);
      this.ws();
      const d = this.s[this.p++];
      if (d === '}') return out;
      if (d !== ',') fail();
    }
  }

  private doubleQuoted(): string {
    const start = ++this.p;
    while (this.p < this.s.length && this.s[this.p] !== '"') this.p += this.s[this.p] === '\\' ? 2 : 1;
    if (this.p >= this.s.length) fail();
    const inner = this.s.slice(start, this.p++);
    if (!inner.includes('\\')) return inner;
    // JSON's escapes are a subset of YAML's; anything else goes to the full parser.
    if (/\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(inner)) fail();
    return JSON.parse(`"${inner}"`) as string;
  }

  private singleQuoted(): string {
    let out = '';
    for (this.p++; ; ) {
      const q = this.s.indexOf("'", this.p);
      if (q < 0) fail();
      out += this.s.slice(this.p, q);
      this.p = q + 1;
      if (this.s[this.p] !== "'") return out;
      out += "'";
      this.p++;
    }
  }

  /** A plain scalar inside a flow collection ends at `,`, a bracket, or `: `. */
  private plain(): unknown {
    const start = this.p;
    if (/^[\]},&*!|>%@`#]/.test(this.s[start] ?? '') || /^[-?:](\s|$)/.test(this.s.slice(start, start + 2))) fail();
    while (this.p < this.s.length) {
      const c = this.s[this.p]!;
      if (c === ',' || c === '[' || c === ']' || c === '{' || c === '}') break;
      if (c === ':' && /^[\s,\]}]?$/.test(this.s[this.p + 1] ?? '')) break;
      if (c === '#' && this.s[this.p - 1] === ' ') fail();
      this.p++;
    }
    const text = this.s.slice(start, this.p).trimEnd();
    if (!text) fail();
    return plainScalar(text);
  }
}
