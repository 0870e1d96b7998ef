// The standard LSP features over the graph: hover, definition, document and workspace symbols.
// Each takes a folder-relative position and returns plain LSP values; undefined means "nothing here".
import { CompletionItemKind, MarkupKind, SymbolKind, type CompletionItem, type DocumentSymbol, type Hover, type Location, type Range, type SymbolInformation } from 'vscode-languageserver';
import type { MaterializationDto } from '../shared/protocol';
import type { Asset, AssetKey, Reference } from '../core/model';
import type { Graph } from '../core/graph';
import type { AssetStaleness } from '../core/staleness';
import { assetAt, assetsInFile, hoverMarkdown, referenceAt } from '../core/present';
import { completionsAt, type CompletionItem as CoreCompletion } from '../core/complete';
import { automationsOf, policiesOf } from '../core/automationTargets';
import type { Folder, Located } from './workspace';

/** The asset a position talks about: the one a reference names, else the one defined around it. */
export interface Target {
  readonly key: AssetKey;
  /** The reference under the cursor, when the position is on one. */
  readonly reference?: Reference;
}

export function targetAt(at: Located, line: number, character: number): Target | undefined {
  const g = at.folder.graph();
  const reference = referenceAround(g, at.rel, line, character, at.folder.index.text(at.rel));
  if (reference) return { key: reference.target, reference };
  const asset = assetAt(g, at.rel, line);
  return asset ? { key: asset.key } : undefined;
}

/**
 * The core's reference spans cover the quoted name only; a user hovering `ref` or the
 * parentheses of `{{ ref('x') }}` means the same reference, so the whole call counts.
 */
function referenceAround(g: Graph, file: string, line: number, col: number, text: string | undefined): Reference | undefined {
  const exact = referenceAt(g, file, line, col);
  if (exact || text === undefined) return exact;
  const lineText = text.split(/\r?\n/)[line] ?? '';
  return g.references.find((r) => {
    if (r.file !== file || r.line !== line || r.endCol <= r.startCol) return false;
    const before = lineText.slice(0, r.startCol);
    const call = Math.max(before.lastIndexOf('ref('), before.lastIndexOf('source('));
    const close = lineText.indexOf(')', r.endCol);
    return call >= 0 && col >= call && col <= (close < 0 ? r.endCol : close);
  });
}

export function hover(at: Located, line: number, character: number, status: ReadonlyMap<string, MaterializationDto>, now: Date, stale?: ReadonlyMap<AssetKey, AssetStaleness>): Hover | undefined {
  const target = targetAt(at, line, character);
  if (!target) return undefined;
  const graph = at.folder.graph();
  const card = hoverMarkdown(graph, target.key, status.get(target.key), now);
  if (!card) return undefined;
  const automation = [...policiesOf(graph.assets.get(target.key)!), ...automationsOf(graph, target.key)];
  const value = [card, ...staleLines(stale?.get(target.key)), ...automationLines(automation)].join('\n\n');
  const r = target.reference;
  return { contents: { kind: MarkupKind.Markdown, value }, ...(r ? { range: refRange(r) } : {}) };
}

/**
 * What the hover adds about versions: why the asset is stale, its partitions and its freshness.
 * Nothing for a source or an asset that is up to date and on time.
 */
export function staleLines(s: AssetStaleness | undefined): string[] {
  if (!s || s.status === 'source') return [];
  const out: string[] = [];
  if (s.status === 'stale') out.push(`**Stale**: ${s.reasons.map((r) => escapeMd(r.message)).join('; ')}`);
  if (s.partitions) {
    const c = s.partitions.counts();
    out.push(`**Partitions**: ${c.materialized + c.stale} of ${s.partitions.size} materialized${c.failed ? `, ${c.failed} failed` : ''}${c.stale ? `, ${c.stale} stale` : ''}`);
  }
  if (s.freshness && s.freshness.state !== 'fresh') out.push(`**Freshness**: ${escapeMd(s.freshness.message)}`);
  return out;
}

/** The asset's policies and the schedules and sensors that run or watch it, as one list. */
const automationLines = (lines: readonly string[]): string[] => (lines.length ? [['**Automation**', ...lines.map((l) => `- ${escapeMd(l)}`)].join('\n')] : []);

/** Backticks stay (they quote asset keys); other Markdown syntax in workspace text is shown as text. */
const escapeMd = (text: string): string => text.replace(/[\\*_[\]<>#|]/g, (c) => `\\${c}`);

const completionKinds: Record<CoreCompletion['kind'], CompletionItemKind> = {
  model: CompletionItemKind.Class, seed: CompletionItemKind.File, source: CompletionItemKind.Interface, snapshot: CompletionItemKind.Class,
  python: CompletionItemKind.Function, sql_python: CompletionItemKind.Function, external: CompletionItemKind.Interface, source_name: CompletionItemKind.Module,
};

/** Names for `ref('`, `source('` and `deps=["` at a position. */
export function completion(at: Located, line: number, character: number): CompletionItem[] {
  const lineText = (at.folder.index.text(at.rel) ?? '').split(/\r?\n/)[line] ?? '';
  return completionsAt(at.folder.graph(), at.rel, lineText.slice(0, character)).map((c) => ({ label: c.label, detail: c.detail, kind: completionKinds[c.kind] }));
}

/** From a reference to the asset's definition: a model's file, a source's YAML entry. */
export function definition(at: Located, line: number, character: number): Location | undefined {
  const target = targetAt(at, line, character);
  if (!target?.reference) return undefined;
  const asset = at.folder.graph().assets.get(target.key);
  return asset ? locationOf(at.folder, asset) : undefined;
}

export function locationOf(folder: Folder, asset: Asset): Location {
  return { uri: folder.uriOf(asset.file), range: lineRange(asset.line - 1) };
}

/**
 * Each asset's symbol spans from its definition to the line before the next asset of the file
 * (or the end of the file), so breadcrumbs and the outline follow the cursor anywhere inside it.
 */
export function documentSymbols(at: Located): DocumentSymbol[] {
  const assets = assetsInFile(at.folder.graph(), at.rel);
  const lines = (at.folder.index.text(at.rel) ?? '').split(/\r?\n/);
  return assets.map((a, i) => {
    const start = Math.max(0, a.line - 1);
    const next = assets[i + 1];
    const end = next ? Math.max(start, next.line - 2) : Math.max(start, lines.length - 1);
    const range: Range = { start: { line: start, character: 0 }, end: { line: end, character: lines[end]?.length ?? 0 } };
    return { name: a.key, detail: detailOf(a), kind: symbolKind(a), range, selectionRange: lineRange(start) };
  });
}

/** Assets whose key contains the query's characters in order (what VS Code's Ctrl+T expects). */
export function workspaceSymbols(folders: readonly Folder[], query: string): SymbolInformation[] {
  const q = query.toLowerCase();
  const out: SymbolInformation[] = [];
  for (const folder of folders) {
    for (const a of folder.graph().assets.values()) {
      if (!subsequence(q, a.key.toLowerCase())) continue;
      out.push({ name: a.key, kind: symbolKind(a), location: locationOf(folder, a), containerName: detailOf(a) });
    }
  }
  return out;
}

function subsequence(q: string, s: string): boolean {
  let i = 0;
  for (const c of s) if (c === q[i]) i++;
  return i === q.length;
}

const detailOf = (a: Asset): string => (a.materialized && a.materialized !== a.kind ? `${a.kind} (${a.materialized})` : a.kind);

function symbolKind(a: Asset): SymbolKind {
  switch (a.kind) {
    case 'source': case 'external': return SymbolKind.Interface;
    case 'seed': return SymbolKind.File;
    case 'python': case 'sql_python': return SymbolKind.Function;
    case 'model': case 'snapshot': return SymbolKind.Class;
  }
}

export const lineRange = (line: number): Range => ({ start: { line: Math.max(0, line), character: 0 }, end: { line: Math.max(0, line), character: 0 } });

const refRange = (r: Reference): Range => ({ start: { line: r.line, character: r.startCol }, end: { line: r.line, character: r.endCol } });
