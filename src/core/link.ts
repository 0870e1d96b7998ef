// The second pass: symbolic deps (ref, source, key, Python name) → keys across every dbt project
// and Python module; singular tests and asset checks attach to their assets; a dbt source joins the
// Python asset with the same key, or reads the other project's model that writes its relation.
import type { Asset, AssetKey, Diagnostic, Reference, TestDef } from './model';
import { keyFromString, relationString } from './model';
import { buildGraph, type DbtProject, type Graph } from './graph';
import type { PendingAsset, SymbolicDep } from './dbt/dbtProject';
import { closest } from './text';

export interface PendingCheck { readonly name: string; readonly file: string; readonly line: number; readonly dep: SymbolicDep }

export function linkPending(pending: readonly PendingAsset[], checks: readonly PendingCheck[], diagnostics: Diagnostic[], projects: readonly DbtProject[]): Graph {
  const byKey = new Map<AssetKey, PendingAsset>();
  const refs = new Map<string, AssetKey[]>(); // `name` and `pkg.name` → keys
  const sources = new Map<string, AssetKey[]>(); // `source.table` and `pkg:source.table` → keys
  const symbols = new Map<string, AssetKey[]>();
  const add = (m: Map<string, AssetKey[]>, k: string, v: AssetKey) => m.set(k, [...(m.get(k) ?? []), v]);
  // Sources last, so a source whose key a Python asset (or model) already defines joins that asset.
  const ordered = [...pending.filter((p) => !p.singularTest && p.asset.kind !== 'source'), ...pending.filter((p) => p.asset.kind === 'source')];
  for (const p of ordered) {
    const a = p.asset;
    const d = a.dbt;
    const prev = byKey.get(a.key);
    if (prev && a.kind === 'source') { if (d?.sourceName) registerSource(d, a.key); continue; }
    if (prev) { diagnostics.push({ file: a.file, line: a.line, severity: 'error', message: `Duplicate asset key '${a.key}' (also defined in ${prev.asset.file}:${prev.asset.line})` }); continue; }
    byKey.set(a.key, p);
    if (d && d.resourceType !== 'source') { add(refs, d.name, a.key); add(refs, `${d.packageName}.${d.name}`, a.key); }
    if (d?.sourceName) registerSource(d, a.key);
    if (p.symbol) add(symbols, p.symbol, a.key);
  }
  function registerSource(d: NonNullable<Asset['dbt']>, key: AssetKey) { add(sources, `${d.sourceName}.${d.name}`, key); add(sources, `${d.packageName}:${d.sourceName}.${d.name}`, key); }

  const references: Reference[] = [];
  const resolve = (file: string, from: AssetKey, pkg: string | undefined, dep: SymbolicDep): AssetKey | undefined => {
    const target = candidates(dep, pkg, refs, sources, symbols, byKey)?.[0];
    if (!target) { diagnostics.push(unresolved(file, dep, refs, sources, byKey)); return undefined; }
    references.push({ file, line: dep.line, startCol: dep.startCol, endCol: dep.endCol, target, from });
    return target;
  };

  const testsFor = new Map<AssetKey, TestDef[]>();
  const attach = (k: AssetKey, t: TestDef) => testsFor.set(k, [...(testsFor.get(k) ?? []), t]);
  for (const p of pending) {
    if (!p.singularTest) continue;
    for (const dep of p.deps) { const k = resolve(p.asset.file, p.asset.key, p.asset.dbt?.packageName, dep); if (k) attach(k, p.singularTest); }
  }
  const checksFor = new Map<AssetKey, string[]>();
  for (const c of checks) {
    const k = resolve(c.file, keyFromString(`check:${c.name}`), undefined, c.dep);
    if (k) checksFor.set(k, [...(checksFor.get(k) ?? []), c.name]);
  }

  // Cross-project lineage: a source naming the relation another project's model writes reads that model.
  const writers = new Map<string, AssetKey>();
  for (const p of byKey.values()) if (p.asset.relation && p.asset.kind !== 'source') writers.set(relationString(p.asset.relation).toLowerCase(), p.asset.key);

  const assets: Asset[] = [];
  for (const p of byKey.values()) {
    const deps = p.deps.map((d) => resolve(p.asset.file, p.asset.key, p.asset.dbt?.packageName, d)).filter((k): k is AssetKey => !!k);
    if (p.asset.kind === 'source' && p.asset.relation) {
      const w = writers.get(relationString(p.asset.relation).toLowerCase());
      if (w && w !== p.asset.key) deps.push(w);
    }
    const checkNames = [...(p.asset.checks ?? []), ...(checksFor.get(p.asset.key) ?? [])];
    assets.push({ ...p.asset, deps: [...new Set(deps)].sort(), tests: [...p.asset.tests, ...(testsFor.get(p.asset.key) ?? [])], ...(checkNames.length ? { checks: checkNames } : {}) });
  }
  return buildGraph(assets, diagnostics, references, projects);
}

function candidates(dep: SymbolicDep, pkg: string | undefined, refs: Map<string, AssetKey[]>, sources: Map<string, AssetKey[]>, symbols: Map<string, AssetKey[]>, byKey: Map<AssetKey, unknown>): AssetKey[] | undefined {
  switch (dep.kind) {
    case 'ref': return refs.get(dep.package ? `${dep.package}.${dep.name}` : `${pkg}.${dep.name}`) ?? refs.get(dep.name) ?? keyIfKnown(dep.name, byKey);
    case 'source': return sources.get(`${pkg}:${dep.source}.${dep.table}`) ?? sources.get(`${dep.source}.${dep.table}`);
    case 'key': return keyIfKnown(dep.key, byKey);
    case 'symbol': { const s = symbols.get(dep.symbol); return s?.length === 1 ? s : keyIfKnown(dep.symbol, byKey) ?? refs.get(dep.symbol); }
  }
}

const keyIfKnown = (k: string, byKey: Map<AssetKey, unknown>): AssetKey[] | undefined => (byKey.has(keyFromString(k)) ? [keyFromString(k)] : undefined);

function unresolved(file: string, dep: SymbolicDep, refs: Map<string, AssetKey[]>, sources: Map<string, AssetKey[]>, byKey: Map<AssetKey, unknown>): Diagnostic {
  const where = { file, line: dep.line + 1, column: dep.startCol + 1 };
  switch (dep.kind) {
    case 'ref': { const g = closest(dep.name, [...refs.keys()].filter((k) => !k.includes('.'))); return { ...where, severity: 'error', message: `ref('${dep.name}') does not match any model, seed or snapshot${g ? `. Did you mean '${g}'?` : ''}` }; }
    case 'source': { const g = closest(`${dep.source}.${dep.table}`, [...sources.keys()].filter((k) => !k.includes(':'))); return { ...where, severity: 'error', message: `source('${dep.source}', '${dep.table}') does not match any source${g ? `. Did you mean '${g}'?` : ''}` }; }
    case 'key': case 'symbol': {
      const name = dep.kind === 'key' ? dep.key : dep.symbol;
      const g = closest(name, [...byKey.keys()]);
      return { ...where, severity: 'warning', message: `Dependency '${name}' does not match any asset in the workspace${g ? `. Did you mean '${g}'?` : ''}` };
    }
  }
}
