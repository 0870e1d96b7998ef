// Completion inside `ref('`, `source('`, `source('s', '` and a Dagster `deps=["` list: pure, from
// the text before the cursor and the graph.
import type { AssetKind } from '../shared/dto';
import type { Graph } from './graph';

export interface CompletionItem {
  readonly label: string;
  readonly detail: string;
  readonly kind: AssetKind | 'source_name';
}

const refOpen = /\bref\(\s*(?:['"][\w.]+['"]\s*,\s*)?['"]([\w.]*)$/;
const sourceOpen = /\bsource\(\s*['"](\w*)$/;
const tableOpen = /\bsource\(\s*['"](\w+)['"]\s*,\s*['"](\w*)$/;
const depsOpen = /\b(?:deps|non_argument_deps)\s*=\s*\[[^\]]*['"]([\w/.-]*)$/;

/** Items for the cursor at the end of `before` (the line's text up to the cursor) in `file`. */
export function completionsAt(g: Graph, file: string, before: string): CompletionItem[] {
  const assets = [...g.assets.values()];
  if (file.endsWith('.py')) {
    if (!depsOpen.test(before)) return [];
    return assets.map((a) => ({ label: a.key, detail: `${a.kind} · ${a.file}`, kind: a.kind }));
  }
  if (tableOpen.test(before)) {
    const source = tableOpen.exec(before)![1]!;
    return assets.filter((a) => a.dbt?.sourceName === source).map((a) => ({ label: a.dbt!.name, detail: `source table · ${a.file}`, kind: 'source' as const }));
  }
  if (sourceOpen.test(before)) {
    const names = new Map<string, string>();
    for (const a of assets) if (a.dbt?.sourceName && !names.has(a.dbt.sourceName)) names.set(a.dbt.sourceName, a.file);
    return [...names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([label, f]) => ({ label, detail: `source · ${f}`, kind: 'source_name' as const }));
  }
  if (refOpen.test(before)) {
    return assets.filter((a) => a.dbt && a.dbt.resourceType !== 'source' && a.dbt.resourceType !== 'exposure').map((a) => ({ label: a.dbt!.name, detail: `${a.kind}${a.materialized ? ` (${a.materialized})` : ''} · ${a.file}`, kind: a.kind }));
  }
  return [];
}
