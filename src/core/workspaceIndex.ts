// The workspace index: file texts in, one immutable Graph out. Per-file extraction is cached by
// the file's text, so an edit re-reads one file and re-links; one broken file costs that file.
import type { Asset, AssetKey, Diagnostic, Reference } from './model';
import { relationString } from './model';
import { buildGraph, type DbtProject, type Graph } from './graph';
import { wantsFile } from './discovery';
import { extractSql, type SqlExtract } from './dbt/sqlExtract';
import { parseProfiles, parseProjectFile, parseProperties, type PropertiesFile } from './dbt/yamlFiles';
import { readDbtProject, type PendingAsset, type SymbolicDep } from './dbt/dbtProject';
import { closest } from './text';

interface FileEntry {
  readonly text: string;
  sql?: SqlExtract;
  props?: ReturnType<typeof parseProperties>;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, FileEntry>();
  private cached: Graph | undefined;

  /** True when the index reads this workspace-relative path. */
  static wants(path: string): boolean {
    return wantsFile(path);
  }

  /** Sets a file's text; returns false when nothing changed (same text). */
  setFile(path: string, text: string): boolean {
    if (this.files.get(path)?.text === text) return false;
    this.files.set(path, { text });
    this.cached = undefined;
    return true;
  }

  deleteFile(path: string): boolean {
    const had = this.files.delete(path);
    if (had) this.cached = undefined;
    return had;
  }

  /** Removes every file below a folder (a deleted or renamed folder). */
  deleteFolder(dir: string): void {
    for (const p of [...this.files.keys()]) if (p.startsWith(dir + '/')) this.deleteFile(p);
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  graph(): Graph {
    return (this.cached ??= this.link());
  }

  private sql(path: string): SqlExtract {
    const e = this.files.get(path)!;
    return (e.sql ??= extractSql(e.text));
  }

  private props(path: string): ReturnType<typeof parseProperties> {
    const e = this.files.get(path)!;
    return (e.props ??= parseProperties(e.text));
  }

  private link(): Graph {
    const diagnostics: Diagnostic[] = [];
    const pending: PendingAsset[] = [];
    const projects: DbtProject[] = [];
    const paths = this.paths();
    const projectDirs = paths.filter((p) => p === 'dbt_project.yml' || p.endsWith('/dbt_project.yml')).map((p) => p.slice(0, -'dbt_project.yml'.length).replace(/\/$/, ''));
    for (const dir of projectDirs) {
      const file = dir ? `${dir}/dbt_project.yml` : 'dbt_project.yml';
      const parsed = parseProjectFile(this.files.get(file)!.text);
      for (const p of parsed.problems) diagnostics.push({ file, line: p.line + 1, severity: 'error', message: p.message });
      if (!parsed.value) continue;
      const profilesPath = [dir ? `${dir}/profiles.yml` : 'profiles.yml', 'profiles.yml'].find((p) => this.files.has(p));
      const target = profilesPath && parsed.value.profile ? parseProfiles(this.files.get(profilesPath)!.text, parsed.value.profile).value : undefined;
      const owned = paths.filter((p) => owner(p, projectDirs) === dir);
      const r = readDbtProject(dir, parsed.value, target, {
        paths: owned,
        sql: (p) => this.sql(p),
        properties: (p) => this.props(p) as { value?: PropertiesFile; problems: { line: number; message: string }[] },
        text: (p) => this.files.get(p)!.text,
      });
      pending.push(...r.pending);
      diagnostics.push(...r.diagnostics);
      projects.push(r.info);
    }
    return linkPending(pending, diagnostics, projects);
  }
}

/** The deepest project folder holding `path` (packages' own files belong to the installing project). */
function owner(path: string, dirs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const d of dirs) if ((d === '' || path.startsWith(d + '/')) && (best === undefined || d.length > best.length)) best = d;
  return best;
}

/** Second pass: symbolic deps → keys across all projects; singular tests attach to their assets. */
function linkPending(pending: readonly PendingAsset[], diagnostics: Diagnostic[], projects: readonly DbtProject[]): Graph {
  const byKey = new Map<AssetKey, PendingAsset>();
  const refs = new Map<string, AssetKey[]>(); // `name` and `pkg.name` → keys
  const sources = new Map<string, AssetKey[]>(); // `source.table` and `pkg:source.table` → keys
  const add = (m: Map<string, AssetKey[]>, k: string, v: AssetKey) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const p of pending) {
    if (p.singularTest) continue;
    const a = p.asset;
    const prev = byKey.get(a.key);
    if (prev) { diagnostics.push({ file: a.file, line: a.line, severity: 'error', message: `Duplicate asset key '${a.key}' (also defined in ${prev.asset.file}:${prev.asset.line})` }); continue; }
    byKey.set(a.key, p);
    const d = a.dbt;
    if (d && d.resourceType !== 'source') { add(refs, d.name, a.key); add(refs, `${d.packageName}.${d.name}`, a.key); }
    if (d?.sourceName) { add(sources, `${d.sourceName}.${d.name}`, a.key); add(sources, `${d.packageName}:${d.sourceName}.${d.name}`, a.key); }
  }
  const references: Reference[] = [];
  const resolve = (p: PendingAsset, dep: SymbolicDep): AssetKey | undefined => {
    const pkg = p.asset.dbt?.packageName;
    const cands = dep.kind === 'ref'
      ? refs.get(dep.package ? `${dep.package}.${dep.name}` : `${pkg}.${dep.name}`) ?? refs.get(dep.name)
      : sources.get(`${pkg}:${dep.source}.${dep.table}`) ?? sources.get(`${dep.source}.${dep.table}`);
    const target = cands?.[0];
    if (!target) {
      const what = dep.kind === 'ref' ? `ref('${dep.name}')` : `source('${dep.source}', '${dep.table}')`;
      const names = dep.kind === 'ref' ? [...refs.keys()].filter((k) => !k.includes('.')) : [...sources.keys()].filter((k) => !k.includes(':'));
      const guess = closest(dep.kind === 'ref' ? dep.name : `${dep.source}.${dep.table}`, names);
      diagnostics.push({ file: p.asset.file, line: dep.line + 1, column: dep.startCol + 1, severity: 'error', message: `${what} does not match any ${dep.kind === 'ref' ? 'model, seed or snapshot' : 'source'}${guess ? `. Did you mean '${guess}'?` : ''}` });
      return undefined;
    }
    references.push({ file: p.asset.file, line: dep.line, startCol: dep.startCol, endCol: dep.endCol, target, from: p.asset.key });
    return target;
  };

  const testsFor = new Map<AssetKey, Asset['tests'][number][]>();
  for (const p of pending) {
    if (!p.singularTest) continue;
    for (const dep of p.deps) { const k = resolve(p, dep); if (k) testsFor.set(k, [...(testsFor.get(k) ?? []), p.singularTest]); }
  }

  // Cross-project lineage: a source naming the relation another project's model writes reads that model.
  const writers = new Map<string, AssetKey>();
  for (const p of byKey.values()) if (p.asset.relation && p.asset.kind !== 'source') writers.set(relationString(p.asset.relation).toLowerCase(), p.asset.key);

  const assets: Asset[] = [];
  for (const p of byKey.values()) {
    const deps = p.deps.map((d) => resolve(p, d)).filter((k): k is AssetKey => !!k);
    if (p.asset.kind === 'source' && p.asset.relation) {
      const w = writers.get(relationString(p.asset.relation).toLowerCase());
      if (w && w !== p.asset.key) deps.push(w);
    }
    const extra = testsFor.get(p.asset.key) ?? [];
    assets.push({ ...p.asset, deps: [...new Set(deps)].sort(), tests: [...p.asset.tests, ...extra] });
  }
  return buildGraph(assets, diagnostics, references, projects);
}
