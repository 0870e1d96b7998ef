// Maps a DuckDB error in rendered SQL back to the line of the template that produced it, so the
// Problems panel points at the model's file. DuckDB names the failing line of the statement
// (`LINE n:`); the runner knows which rendered line that is, and this file finds the template line
// whose literal text (the parts outside `{{ }}`/`{% %}`) appears on it, nearest first on ties.

/** A step's error with the 1-based line of the asset's file it points at (undefined: no line known). */
export class SourceError extends Error {
  constructor(message: string, readonly line: number | undefined) { super(message); this.name = 'SourceError'; }
}

/** The 1-based rendered line a DuckDB error points at, given how many lines the statement put before the SQL. */
export function renderedErrorLine(message: string, linesBefore: number, rendered: string): number | undefined {
  const m = /\bLINE (\d+):/.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]) - linesBefore;
  return line >= 1 && line <= rendered.split('\n').length ? line : undefined;
}

/**
 * The 1-based template line that produced rendered line `line`, or undefined when no template
 * line's text matches it (a line a macro wrote, say). Same line counts with no match mean a
 * template without line-changing Jinja, so the line number itself is the answer.
 */
export function templateLine(template: string, rendered: string, line: number): number | undefined {
  const renderedLines = rendered.split('\n');
  const target = collapse(renderedLines[line - 1] ?? '');
  const lines = template.split('\n');
  let best: number | undefined;
  let bestScore = -Infinity;
  if (target) {
    lines.forEach((text, i) => {
      const p = literalPattern(text);
      if (!p || !p.re.test(target)) return;
      // Longer literal text is a surer match; distance from the rendered position breaks ties.
      const score = p.chars - Math.abs(i + 1 - line) / 1000;
      if (score > bestScore) { bestScore = score; best = i + 1; }
    });
  }
  if (best !== undefined) return best;
  return lines.length === renderedLines.length ? line : undefined;
}

/** A regex for a template line's literal parts in order, or undefined when it has none worth matching. */
function literalPattern(text: string): { re: RegExp; chars: number } | undefined {
  // A tag left open runs to the end of the line; a tag closed without opening started on an earlier line.
  const body = text.replace(/\{#.*?#\}/g, ' ').replace(/^[^{]*?(%\}|\}\}|#\})/, ' ').replace(/\{[{%#](?:(?!\{[{%#]).)*$/, ' ');
  const pieces = body.split(/\{\{.*?\}\}|\{%.*?%\}/).map(collapse).filter(Boolean);
  const chars = pieces.reduce((n, p) => n + p.replace(/\s/g, '').length, 0);
  // A line of only punctuation (`)`, `,`) matches too many rendered lines to mean anything.
  if (chars < 2 || !pieces.some((p) => /\w/.test(p))) return undefined;
  return { re: new RegExp(pieces.map(escape).join('.*?')), chars };
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
