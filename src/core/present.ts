// What the index looks like to users: the graph DTO, the asset under a position, and the hover.
import type { AssetDto, ColumnProfile, GraphDto, MaterializationDto, PartitionsDto } from '../shared/dto';
import type { Asset, AssetKey, PartitionsDef, Reference } from './model';
import { relationString } from './model';
import type { Graph } from './graph';

export function toAssetDto(a: Asset): AssetDto {
  return {
    key: a.key, kind: a.kind, file: a.file, line: a.line, deps: a.deps,
    ...(a.dbt ? { dbt: { unique_id: a.dbt.uniqueId } } : {}),
    ...(a.description ? { description: a.description } : {}),
    ...(a.materialized ? { materialized: a.materialized } : {}),
    ...(a.group ? { group: a.group } : {}),
    ...(a.tags.length ? { tags: a.tags } : {}),
    ...(a.relation ? { relation: relationString(a.relation) } : {}),
    ...(a.columns.length ? { columns: a.columns } : {}),
    ...(a.partitions ? { partitions: partitionsDto(a.partitions) } : {}),
  };
}

function partitionsDto(p: PartitionsDef): PartitionsDto {
  return { kind: p.kind, ...(p.keys ? { keys: p.keys } : {}), ...(p.start ? { start: p.start } : {}) };
}

/** DTOs of assets (and graphs) already converted: an edit shares most asset values with the graph before it. */
const assetDtos = new WeakMap<Asset, AssetDto>();
const graphDtos = new WeakMap<Graph, GraphDto>();

export function toGraphDto(g: Graph): GraphDto {
  let dto = graphDtos.get(g);
  if (dto) return dto;
  const assets: AssetDto[] = [];
  for (const a of g.assets.values()) {
    let d = assetDtos.get(a);
    if (!d) assetDtos.set(a, (d = toAssetDto(a)));
    assets.push(d);
  }
  dto = { assets, diagnostics: g.diagnostics };
  graphDtos.set(g, dto);
  return dto;
}

/** The reference (ref/source/dep) under a 0-based position, if any. */
export function referenceAt(g: Graph, file: string, line: number, col: number): Reference | undefined {
  return g.references.find((r) => r.file === file && r.line === line && col >= r.startCol && col <= r.endCol);
}

/** The asset defined in `file` that contains the 0-based `line` (the last one starting at or above it). */
export function assetAt(g: Graph, file: string, line: number): Asset | undefined {
  let best: Asset | undefined;
  for (const a of g.assets.values()) {
    if (a.file !== file) continue;
    if (a.line - 1 <= line && (!best || a.line > best.line)) best = a;
  }
  return best;
}

export function assetsInFile(g: Graph, file: string): Asset[] {
  return [...g.assets.values()].filter((a) => a.file === file).sort((a, b) => a.line - b.line);
}

const kindLabel: Record<Asset['kind'], string> = {
  model: 'dbt model', seed: 'dbt seed', source: 'dbt source', snapshot: 'dbt snapshot', python: 'Python asset', sql_python: 'Python asset (SQL)', external: 'external asset', exposure: 'dbt exposure',
};

/**
 * The hover card: identity, definition facts, then the last run's profile and checks. `runLink`
 * gives the Markdown link to the last run (the editor's command), put after its line; undefined: none.
 */
export function hoverMarkdown(g: Graph, key: AssetKey, m: MaterializationDto | undefined, now: Date, runLink?: (m: MaterializationDto) => string): string {
  const a = g.assets.get(key);
  if (!a) return '';
  const esc = escapeMarkdown;
  const lines = [`**${esc(a.key.split('/').pop()!)}** — ${kindLabel[a.kind]}${a.materialized && a.materialized !== a.kind ? ` (${a.materialized})` : ''}`, ''];
  // Two trailing spaces are Markdown's line break: the identity facts stay one per line.
  const facts = [`Key: \`${a.key}\``];
  if (a.relation) facts.push(`Relation: \`${relationString(a.relation)}\``);
  if (a.dbt) facts.push(`dbt: \`${a.dbt.uniqueId}\``);
  if (a.exposure) facts.push(...exposureFacts(a.exposure));
  facts.push(`Upstream ${g.upstream.get(key)?.length ?? 0} · Downstream ${g.downstream.get(key)?.length ?? 0}`);
  lines.push(facts.join('  \n'));
  if (a.description) lines.push('', esc(a.description));
  if (a.hint) lines.push('', `⚠ ${esc(a.hint)}`);
  if (a.kind === 'python') lines.push('', 'Its body is Python: Asset Lens shows it in the graph but does not run Python assets yet.');
  // An exposure is where data is used: nothing materializes it.
  if (a.kind === 'exposure') lines.push('', 'Exposures are not built: they show where the data is used.');
  else {
    const last = materializationLines(m, now);
    lines.push('', ...(m && runLink ? [`${last[0]} · ${runLink(m)}`] : last));
  }
  // Checks come before the profile table, so they are in view without scrolling the hover.
  if (m?.checks?.length) {
    const passed = m.checks.filter((c) => c.status === 'pass').length;
    lines.push('', `Checks: ${passed}/${m.checks.length} passed`, ...m.checks.filter((c) => c.status !== 'pass').map((c) => `- ✗ ${esc(c.name)}${c.column ? ` on ${esc(c.column)}` : ''}: ${c.failingRows} failing rows`));
  }
  if (m?.profile?.columns.length) lines.push('', ...profileTable(m));
  else if (a.columns.length) lines.push('', '| column | description |', '| --- | --- |', ...a.columns.map((c) => `| ${esc(c.name)} | ${esc(c.description ?? '')} |`));
  return lines.join('\n');
}

function exposureFacts(e: NonNullable<Asset['exposure']>): string[] {
  const esc = escapeMarkdown;
  return [
    ...(e.type ? [`Type: ${esc(e.type)}${e.maturity ? ` (maturity ${esc(e.maturity)})` : ''}`] : []),
    ...(e.owner ? [`Owner: ${esc(e.owner)}`] : []),
    ...(e.url ? [`URL: ${esc(e.url)}`] : []),
  ];
}

function materializationLines(m: MaterializationDto | undefined, now: Date): string[] {
  if (!m) return ['Never materialized'];
  const when = `${relativeTime(new Date(m.startedAt), now)} (${m.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')})`;
  // The error names the file already; the line is where the Problems panel points too.
  if (m.status === 'failed') return [`Last run failed ${when}${m.errorLine ? ` at line ${m.errorLine}` : ''}: ${escapeMarkdown(m.error ?? '')}`];
  const rows = m.rows ?? m.profile?.rows;
  const bytes = m.profile?.bytes;
  return [`Last materialized ${when} in ${formatMs(m.durationMs)}${rows !== undefined ? ` · ${rows.toLocaleString('en-US')} rows` : ''}` +
    `${bytes !== undefined ? ` · ${formatBytes(bytes)}` : ''}`];
}

/** Decimal units, as file managers show sizes: 999 B, 1.2 kB, 45 MB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes, u = 0;
  while (n >= 1000 && u < units.length - 1) { n /= 1000; u++; }
  return u === 0 ? `${Math.round(n)} B` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[u]}`;
}

function profileTable(m: MaterializationDto): string[] {
  const esc = escapeMarkdown;
  const columns = m.profile!.columns;
  // Mean ± std says more than min and max about a numeric column; text columns leave it empty.
  const mean = (c: ColumnProfile) => (c.mean === undefined ? '' : `${roundTo(c.mean)}${c.std !== undefined ? ` ± ${roundTo(c.std)}` : ''}`);
  return [
    '| column | type | null % | distinct ≈ | min | max | mean ± std |',
    '| --- | --- | ---: | ---: | --- | --- | ---: |',
    ...columns.map((c) => `| ${esc(c.name)} | ${esc(c.type)} | ${c.nullPct.toFixed(1)} | ${c.approxDistinct.toLocaleString('en-US')} | ${esc(clip(c.min))} | ${esc(clip(c.max))} | ${mean(c)} |`),
    // Low-cardinality text columns: their most frequent values, under the table so it stays narrow.
    ...columns.filter((c) => c.topValues?.length).map((c) =>
      `\n**${esc(c.name)}** most frequent: ${c.topValues!.map((v) => `${esc(clip(v.value))} (${v.count.toLocaleString('en-US')})`).join(', ')}`),
  ];
}

const roundTo = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString());

const clip = (s: string | undefined): string => (s === undefined ? '' : s.length > 24 ? s.slice(0, 23) + '…' : s);

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function relativeTime(t: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** Workspace text shown in Markdown is escaped, so a name can never become a link or HTML. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>~-]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}
