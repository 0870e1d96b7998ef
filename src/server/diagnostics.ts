// Publishes the graph's diagnostics per file, with the run failures of its assets, and clears files
// that no longer have any, so a fixed problem disappears from the Problems view even when its file
// was deleted.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { DiagnosticDto } from '../shared/dto';
import type { Workspace } from './workspace';

export type Publish = (uri: string, diagnostics: Diagnostic[]) => void;

export class DiagnosticsPublisher {
  /** What each URI currently shows: its diagnostics as JSON and the text their ranges were read from. */
  private shown = new Map<string, { readonly json: string; readonly text: string | undefined }>();
  /** Run failures by file URI (see Runs), shown after the file's index diagnostics. */
  private readonly failures = new Map<string, { readonly file: string; readonly list: readonly DiagnosticDto[] }>();

  constructor(private readonly publish: Publish) {}

  /** Replaces the run failures shown in `uri` (the workspace file `file`); takes effect at the next update. */
  setFailures(uri: string, file: string, list: readonly DiagnosticDto[]): void {
    if (list.length) this.failures.set(uri, { file, list });
    else this.failures.delete(uri);
  }

  /**
   * Publishes the files whose diagnostics (or text) changed since the last update and clears the
   * files that have none left; an edit that changes nothing else publishes nothing else.
   */
  update(ws: Workspace): void {
    const byUri = new Map<string, { file: string; list: DiagnosticDto[] }>();
    for (const d of ws.graph().diagnostics) {
      const uri = ws.uriOfFile(d.file);
      if (uri === undefined) continue;
      const group = byUri.get(uri);
      if (group) group.list.push(d);
      else byUri.set(uri, { file: d.file, list: [d] });
    }
    for (const [uri, f] of this.failures) {
      const group = byUri.get(uri);
      if (group) group.list.push(...f.list);
      else byUri.set(uri, { file: f.file, list: [...f.list] });
    }
    const shown = new Map<string, { json: string; text: string | undefined }>();
    for (const [uri, { file, list }] of byUri) {
      const now = { json: JSON.stringify(list), text: ws.textOf(file) };
      const before = this.shown.get(uri);
      if (before?.json !== now.json || before.text !== now.text) {
        const lines = now.text?.split(/\r?\n/);
        this.publish(uri, list.map((d) => toLspLines(d, lines)));
      }
      shown.set(uri, now);
    }
    for (const uri of this.shown.keys()) if (!byUri.has(uri)) this.publish(uri, []);
    this.shown = shown;
  }
}

const severity: Record<DiagnosticDto['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information,
};

export function toLsp(d: DiagnosticDto, text: string | undefined): Diagnostic {
  return toLspLines(d, text?.split(/\r?\n/));
}

/** toLsp with the file already split into lines (a file with many diagnostics is split once). */
function toLspLines(d: DiagnosticDto, lines: readonly string[] | undefined): Diagnostic {
  return { range: rangeOf(d, lines), severity: severity[d.severity], source: 'Asset Lens', message: d.message };
}

/**
 * The core gives a 1-based line and maybe a column; underline the word or quoted name starting
 * there, or the whole line when no column is known.
 */
function rangeOf(d: DiagnosticDto, lines: readonly string[] | undefined): Range {
  const line = Math.max(0, d.line - 1);
  const lineText = lines?.[line] ?? '';
  if (d.column === undefined) {
    const start = lineText.length - lineText.trimStart().length;
    return { start: { line, character: start }, end: { line, character: Math.max(start, lineText.trimEnd().length) } };
  }
  const start = Math.max(0, d.column - 1);
  const word = /^[\w.\-/]+/.exec(lineText.slice(start))?.[0] ?? '';
  return { start: { line, character: start }, end: { line, character: start + Math.max(1, word.length) } };
}
