// dbt exposures (a dashboard, a notebook, an application): nodes downstream of the models and
// sources they depend on. Nothing builds them; they are in the graph for lineage, hover and
// go-to-definition from each `depends_on` entry.
import type { DbtNode } from '../model';
import { assetKey } from '../model';
import type { DbtProject } from '../graph';
import { extractSql } from './sqlExtract';
import type { PendingAsset, SymbolicDep } from './dbtProject';
import { dagsterKey } from './config';
import type { ExposureSpec } from './yamlFiles';

/**
 * The project's exposures: what reads its models downstream (a dashboard, a notebook). Nothing
 * builds them; they are in the graph for lineage, with deps from their `depends_on` list.
 */
export function exposureNodes(reader: { readonly info: DbtProject }, exposures: readonly { spec: ExposureSpec; file: string }[], lines: (file: string) => readonly string[]): PendingAsset[] {
  return exposures.flatMap(({ spec: e, file }): PendingAsset[] => {
    if (e.config.enabled === false) return [];
    const deps = e.dependsOn.flatMap((d) => dependsOnDeps(d, lines(file)[d.line] ?? ''));
    const exposure = { ...(e.type ? { type: e.type } : {}), ...(e.owner ? { owner: e.owner } : {}), ...(e.url ? { url: e.url } : {}), ...(e.maturity ? { maturity: e.maturity } : {}) };
    const metaKey = dagsterKey(e.meta);
    const node: DbtNode = { uniqueId: `exposure.${reader.info.name}.${e.name}`, resourceType: 'exposure', packageName: reader.info.name, name: e.name, projectDir: reader.info.dir, config: e.config };
    return [{
      asset: { key: assetKey(metaKey ?? [e.name]), kind: 'exposure', file, line: e.line + 1, ...(e.description ? { description: e.description } : {}), tags: [...e.tags].sort(), columns: [], tests: [], dbt: node, exposure },
      deps,
    }];
  });
}

/** `ref('m')`, `ref('pkg', 'm')` or `source('s', 't')` of a depends_on entry, placed on its line (metrics are not assets). */
function dependsOnDeps(d: { text: string; line: number }, lineText: string): SymbolicDep[] {
  const x = extractSql(`{{ ${d.text} }}`);
  const place = (name: string) => {
    const q = Math.max(lineText.indexOf(`'${name}'`), lineText.indexOf(`"${name}"`));
    return q >= 0 ? { line: d.line, startCol: q + 1, endCol: q + 1 + name.length } : { line: d.line, startCol: 0, endCol: 0 };
  };
  return [
    ...x.refs.map((r): SymbolicDep => ({ kind: 'ref', name: r.name, ...(r.package ? { package: r.package } : {}), ...place(r.name) })),
    ...x.sources.map((s): SymbolicDep => ({ kind: 'source', source: s.source, table: s.table, ...place(s.table) })),
  ];
}
