// Publishes the graph's diagnostics per file and clears files that no longer have any, so a fixed
// problem disappears from the Problems view even when its file was deleted.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { DiagnosticDto } from '../shared/protocol';
import type { Folder } from './workspace';

export type Publish = (uri: string, diagnostics: Diagnostic[]) => void;

export class DiagnosticsPublisher {
  /** URIs that currently show at least one diagnostic. */
  private shown = new Set<string>();

  constructor(private readonly publish: Publish) {}

  update(folders: readonly Folder[]): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const folder of folders) {
      for (const d of folder.graph().diagnostics) {
        const uri = folder.uriOf(d.file);
        const list = byUri.get(uri) ?? [];
        list.push(toLsp(d, folder.index.text(d.file)));
        byUri.set(uri, list);
      }
    }
    for (const [uri, list] of byUri) this.publish(uri, list);
    for (const uri of this.shown) if (!byUri.has(uri)) this.publish(uri, []);
    this.shown = new Set(byUri.keys());
  }
}

const severity: Record<DiagnosticDto['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information,
};

export function toLsp(d: DiagnosticDto, text: string | undefined): Diagnostic {
  return { range: rangeOf(d, text), severity: severity[d.severity], source: 'Asset Lens', message: d.message };
}

/**
 * The core gives a 1-based line and maybe a column; underline the word or quoted name starting
 * there, or the whole line when no column is known.
 */
function rangeOf(d: DiagnosticDto, text: string | undefined): Range {
  const line = Math.max(0, d.line - 1);
  const lineText = text?.split(/\r?\n/)[line] ?? '';
  if (d.column === undefined) {
    const start = lineText.length - lineText.trimStart().length;
    return { start: { line, character: start }, end: { line, character: Math.max(start, lineText.trimEnd().length) } };
  }
  const start = Math.max(0, d.column - 1);
  const word = /^[\w.\-/]+/.exec(lineText.slice(start))?.[0] ?? '';
  return { start: { line, character: start }, end: { line, character: start + Math.max(1, word.length) } };
}
