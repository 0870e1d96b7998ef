// The workspace index: file texts in, one immutable Graph out. Per-file extraction is cached by
// the file's text, so an edit re-reads one file and re-links; one broken file costs that file.
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './model';
import type { DbtProject, Graph } from './graph';
import { wantsFile } from './discovery';
import { extractSql, type SqlExtract } from './dbt/sqlExtract';
import { parseProfiles, parseProjectFile, parseProperties, type PropertiesFile } from './dbt/yamlFiles';
import { readDbtProject, type PendingAsset } from './dbt/dbtProject';
import { linkPending, type PendingCheck } from './link';
import type { PyNode } from './python/pyEval';
import { extractPython, mayDefineAssets, type PyExtract } from './python/pyExtract';
import { componentTranslation, normalize, pythonPending, translateKey, type DbtTranslation } from './python/pyPending';

interface FileEntry {
  readonly text: string;
  sql?: SqlExtract;
  props?: ReturnType<typeof parseProperties>;
  py?: PyExtract;
}

export interface IndexPorts {
  /** Parses Python source to a syntax tree; undefined: Python files are not indexed. */
  readonly parsePython?: (text: string) => PyNode | undefined;
}

const emptyPy: PyExtract = { assets: [], checks: [], dbtLoads: [], problems: [] };

export class WorkspaceIndex {
  private readonly files = new Map<string, FileEntry>();
  private cached: Graph | undefined;

  constructor(private readonly ports: IndexPorts = {}) {}

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
    return (e.sql ??= guard(() => extractSql(e.text), (m) => ({ refs: [], sources: [], config: {}, problems: [{ line: 0, message: m }], snapshots: [], macros: [] })));
  }

  private props(path: string): ReturnType<typeof parseProperties> {
    const e = this.files.get(path)!;
    return (e.props ??= guard(() => parseProperties(e.text), (m) => ({ problems: [{ line: 0, message: m }] })));
  }

  private py(path: string): PyExtract {
    const e = this.files.get(path)!;
    if (e.py) return e.py;
    const parse = this.ports.parsePython;
    if (!parse || !mayDefineAssets(e.text)) return (e.py = emptyPy);
    let tree: PyNode | undefined;
    try { tree = parse(e.text); } catch { tree = undefined; }
    return (e.py = tree ? guard(() => extractPython(tree!), (m) => ({ ...emptyPy, problems: [{ line: 0, message: m }] })) : { ...emptyPy, problems: [{ line: 0, message: 'Python file could not be parsed' }] });
  }

  private link(): Graph {
    const diagnostics: Diagnostic[] = [];
    const paths = this.paths();
    const dbt = this.readDbt(paths, diagnostics);
    const pending: PendingAsset[] = [];
    const checks: PendingCheck[] = [];
    const translations: DbtTranslation[] = [];
    for (const path of paths) {
      if (path.endsWith('.py')) {
        const x = this.py(path);
        for (const p of x.problems) diagnostics.push({ file: path, line: p.line + 1, severity: 'error', message: p.message });
        const r = pythonPending(path, x);
        pending.push(...r.pending);
        checks.push(...r.checks);
        const dir = path.split('/').slice(0, -1).join('/');
        for (const l of x.dbtLoads) if (l.projectDir !== undefined) translations.push({ projectDir: normalize(`${dir}/${l.projectDir}`), keyPrefix: l.keyPrefix });
      } else if (/(^|\/)defs\.ya?ml$/.test(path)) {
        let doc: unknown;
        try { doc = parseYaml(this.files.get(path)!.text); } catch { continue; }
        const t = componentTranslation(path, doc);
        if (t) translations.push(t);
      }
    }
    for (const p of dbt.pending) {
      const t = p.asset.dbt && translationFor(p.asset.dbt.projectDir, translations);
      pending.push(t ? { ...p, asset: { ...p.asset, key: translateKey(p, t) } } : p);
    }
    return linkPending(pending, checks, diagnostics, dbt.projects);
  }

  private readDbt(paths: readonly string[], diagnostics: Diagnostic[]): { pending: PendingAsset[]; projects: DbtProject[] } {
    const pending: PendingAsset[] = [];
    const projects: DbtProject[] = [];
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
    return { pending, projects };
  }
}

/** Runs one file's extraction; an extractor bug costs that file (a diagnostic), never the graph. */
function guard<T>(run: () => T, fallback: (message: string) => T): T {
  try { return run(); } catch (e) { return fallback(`Asset Lens could not read this file (${e instanceof Error ? e.message : String(e)})`); }
}

/** The translation for a project: by exact folder, else by the folder's tail (paths written from another root). */
function translationFor(projectDir: string, translations: readonly DbtTranslation[]): DbtTranslation | undefined {
  return translations.find((t) => t.projectDir === projectDir) ?? translations.find((t) => t.projectDir && (projectDir.endsWith('/' + t.projectDir) || t.projectDir.endsWith('/' + projectDir)));
}

/** The deepest project folder holding `path` (packages' own files belong to the installing project). */
function owner(path: string, dirs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const d of dirs) if ((d === '' || path.startsWith(d + '/')) && (best === undefined || d.length > best.length)) best = d;
  return best;
}

