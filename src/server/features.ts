// The standard LSP features over the graph: hover, definition, document and workspace symbols.
// Each takes a folder-relative position and returns plain LSP values; undefined means "nothing here".
import { CompletionItemKind, MarkupKind, SymbolKind, type CompletionItem, type DocumentSymbol, type Hover, type Location, type Range, type SymbolInformation } from 'vscode-languageserver';
import type { MaterializationDto } from '../shared/dto';
import type { Asset, AssetKey, Reference } from '../core/model';
import type { Graph } from '../core/graph';
import type { AssetStaleness } from '../core/staleness';
import { assetAt, assetsInFile, hoverMarkdown, referenceAt } from '../core/present';
import { completionsAt, type CompletionItem as CoreCompletion } from '../core/complete';
import { automationsOf, policiesOf } from '../core/automationTargets';
import type { Folder, Located, Workspace } from './workspace';

/** The asset a position talks about: the one a reference names, else the one defined around it. */
export interface Target {
  readonly key: AssetKey;
  /** The reference under the cursor, when the position is on one. */
  readonly reference?: Reference;
}

export function targetAt(at: Located, line: number, character: number): Target | undefined {
  const g = at.workspace.graph();
  const reference = referenceAround(g, at.file, line, character, at.folder.index.text(at.rel));
  if (reference) return { key: reference.target, reference };
  const asset = assetAt(g, at.file, line);
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

/** The folder that defines what a position talks about (another folder's asset in a multi-root workspace), else the position's own. */
export function targetFolder(at: Located, line: number, character: number): Folder {
  const target = targetAt(at, line, character);
  const asset = target && at.workspace.graph().assets.get(target.key);
  return (asset && at.workspace.placeOf(asset.file)?.folder) ?? at.folder;
}

export function hover(at: Located, line: number, character: number, status: ReadonlyMap<string, MaterializationDto>, now: Date, stale?: ReadonlyMap<AssetKey, AssetStaleness>): Hover | undefined {
  const target = targetAt(at, line, character);
  if (!target) return undefined;
  const g = at.workspace.graph();
  const card = hoverMarkdown(g, target.key, status.get(target.key), now, runLink);
  if (!card) return undefined;
  const automation = [...policiesOf(g.assets.get(target.key)!), ...automationsOf(g, target.key)];
  const value = [card, ...staleLines(stale?.get(target.key)), ...automationLines(automation)].join('\n\n');
  const r = target.reference;
  return { contents: { kind: MarkupKind.Markdown, value }, ...(r ? { range: refRange(r) } : {}) };
}

/** The extension's command that reveals a run in the Runs view; the client trusts hover links to it alone. */
export const showRunCommand = 'assetLens.showRuns';

/** `[Show run](command:…)`: a command link with the run and the asset as its one argument. */
const runLink = (m: MaterializationDto): string =>
  `[Show run](command:${showRunCommand}?${encodeURIComponent(JSON.stringify([{ runId: m.runId, key: m.key }]))} "Reveal this run in the Asset Lens Runs view")`;

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
  exposure: CompletionItemKind.Event,
};

/** Names for `ref('`, `source('` and `deps=["` at a position. */
export function completion(at: Located, line: number, character: number): CompletionItem[] {
  const lineText = (at.folder.index.text(at.rel) ?? '').split(/\r?\n/)[line] ?? '';
  return completionsAt(at.workspace.graph(), at.file, lineText.slice(0, character)).map((c) => ({ label: c.label, detail: c.detail, kind: completionKinds[c.kind] }));
}

/** From a reference to the asset's definition: a model's file, a source's YAML entry. */
export function definition(at: Located, line: number, character: number): Location | undefined {
  const target = targetAt(at, line, character);
  if (!target?.reference) return undefined;
  const asset = at.workspace.graph().assets.get(target.key);
  return asset && locationOf(at.workspace, asset);
}

/** Where an asset of the workspace graph is defined; undefined only for a file of no folder (never in practice). */
export function locationOf(ws: Workspace, asset: Asset): Location | undefined {
  const uri = ws.uriOfFile(asset.file);
  return uri === undefined ? undefined : { uri, range: lineRange(asset.line - 1) };
}

/**
 * Each asset's symbol spans from its definition to the line before the next asset of the file
 * (or the end of the file), so breadcrumbs and the outline follow the cursor anywhere inside it.
 */
export function documentSymbols(at: Located): DocumentSymbol[] {
  const assets = assetsInFile(at.workspace.graph(), at.file);
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
export function workspaceSymbols(ws: Workspace, query: string): SymbolInformation[] {
  const q = query.toLowerCase();
  const out: SymbolInformation[] = [];
  for (const a of ws.graph().assets.values()) {
    const location = subsequence(q, a.key.toLowerCase()) ? locationOf(ws, a) : undefined;
    if (location) out.push({ name: a.key, kind: symbolKind(a), location, containerName: detailOf(a) });
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
    case 'exposure': return SymbolKind.Event;
  }
}

export const lineRange = (line: number): Range => ({ start: { line: Math.max(0, line), character: 0 }, end: { line: Math.max(0, line), character: 0 } });

const refRange = (r: Reference): Range => ({ start: { line: r.line, character: r.startCol }, end: { line: r.line, character: r.endCol } });
