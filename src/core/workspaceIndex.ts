// The workspace index: file texts in, one immutable Graph out; one broken file costs that file.
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './model';
import type { DbtProject, Graph } from './graph';
import { projectRootFiles, wantsFile } from './discovery';
import { extractSql, type SqlExtract } from './dbt/sqlExtract';
import { parseProfiles, parseProjectFile, parseProperties, type PropertiesFile } from './dbt/yamlFiles';
import { DbtProjectReader, type CapturedDeps, type PendingAsset } from './dbt/dbtProject';
import { Linker, type FileInput, type PendingCheck } from './link';
import type { PyNode } from './python/pyEval';
import { extractPython, mayDefineAssets, type PyExtract } from './python/pyExtract';
import { attachAutomations } from './python/pyAutomationLink';
import { componentTranslation, normalize, pythonPending, translateKey, type DbtTranslation } from './python/pyPending';
import { messageOf } from './text';

interface FileEntry {
  readonly text: string;
  sql?: SqlExtract;
  props?: ReturnType<typeof parseProperties>;
  py?: PyExtract;
  /** This file's contribution, valid while `structure` is unchanged. */
  input?: { readonly structure: number; readonly value: FileInput; readonly checks: readonly PendingCheck[] };
  /** What the previous text of this file declared beyond its own assets (checks, dbt loaders), as JSON. */
  readonly before?: { readonly checks: string; readonly loads: string };
}

export interface IndexPorts {
  /** Parses Python source to a syntax tree; undefined: Python files are not indexed. */
  readonly parsePython?: (text: string) => PyNode | undefined;
  /** Renders a dbt model to find the refs the static fast path cannot see; undefined: fast path only. */
  readonly captureDeps?: (project: DbtProject, path: string, text: string) => CapturedDeps;
}

const emptyPy: PyExtract = { assets: [], checks: [], dbtLoads: [], problems: [] };
const isStructural = (path: string): boolean => /\.ya?ml$/.test(path);

/**
 * The workspace index: file texts in, one immutable Graph out. Each file's extraction and pending
 * assets are cached; an edit that keeps a file's asset keys is re-linked by patching the graph, and
 * anything structural (YAML, files added or removed, macros, dbt loaders) re-links everything.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileEntry>();
  private cached: Graph | undefined;
  private linker: Linker | undefined;
  /** Bumped by every change that can alter more than the changed file's own assets. */
  private structure = 0;
  private linkedStructure = -1;
  private readonly dirty = new Set<string>();
  private readers = new Map<string, DbtProjectReader>();
  private readersStructure = -1;
  private translations: DbtTranslation[] = [];
  private globalDiagnostics: Diagnostic[] = [];
  private sets: { structure: number; pyFiles: string[]; projectRoots: string[] } | undefined;

  constructor(private readonly ports: IndexPorts = {}) {}

  /** True when the index reads this workspace-relative path. */
  static wants(path: string): boolean {
    return wantsFile(path);
  }

  /** Sets a file's text; returns false when nothing changed (same text). */
  setFile(path: string, text: string): boolean {
    const prev = this.files.get(path);
    if (prev?.text === text) return false;
    if (!prev || isStructural(path) || this.isMacro(path)) this.structure++;
    const before = prev?.input ? { checks: JSON.stringify(prev.input.checks), loads: JSON.stringify(prev.py?.dbtLoads ?? []) } : undefined;
    this.files.set(path, { text, ...(before ? { before } : {}) });
    this.changed(path);
    return true;
  }

  deleteFile(path: string): boolean {
    const had = this.files.delete(path);
    if (had) { this.structure++; this.changed(path); }
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
    return (this.cached ??= this.withAutomations(this.relink()));
  }

  /** Schedules and sensors join after linking: their selections resolve against the linked assets. Extracts are cached, so this is a scan. */
  private withAutomations(g: Graph): Graph {
    // This runs on every edit: only the Python files are visited, from a list kept per file set.
    const { pyFiles, projectRoots } = this.fileSets();
    const files: { file: string; automation: NonNullable<PyExtract['automation']> }[] = [];
    for (const file of pyFiles) {
      const automation = this.py(file).automation;
      if (automation) files.push({ file, automation });
    }
    return attachAutomations(g, files, projectRoots);
  }

  /** Sorted Python files and Dagster project roots, recomputed when files are added or removed (which bumps `structure`). */
  private fileSets(): { readonly pyFiles: string[]; readonly projectRoots: string[] } {
    if (this.sets?.structure === this.structure) return this.sets;
    const pyFiles: string[] = [];
    const projectRoots: string[] = [];
    for (const file of this.files.keys()) {
      const slash = file.lastIndexOf('/');
      if (projectRootFiles.has(file.slice(slash + 1))) projectRoots.push(file.slice(0, Math.max(0, slash)));
      if (file.endsWith('.py')) pyFiles.push(file);
    }
    pyFiles.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.sets = { structure: this.structure, pyFiles, projectRoots };
    return this.sets;
  }

  private changed(path: string): void {
    this.cached = undefined;
    this.dirty.add(path);
  }

  private isMacro(path: string): boolean {
    for (const r of this.readers.values()) if (r.info.macros.has(path)) return true;
    return false;
  }

  private relink(): Graph {
    if (this.linker && this.linkedStructure === this.structure && this.dirty.size === 1) {
      const [path] = this.dirty;
      const before = this.files.get(path!)?.before;
      const input = this.inputFor(path!);
      if (this.structure === this.linkedStructure && before?.checks === JSON.stringify(input.checks)) {
        const patched = this.linker.patch(input.value);
        if (patched) { this.dirty.clear(); return patched; }
      }
    }
    return this.fullLink();
  }

  private fullLink(): Graph {
    const paths = this.paths();
    this.refreshReaders(paths);
    const inputs: FileInput[] = [];
    const checks: PendingCheck[] = [];
    for (const path of paths) {
      const i = this.inputFor(path);
      if (i.value.pending.length || i.value.diagnostics.length) inputs.push(i.value);
      checks.push(...i.checks);
    }
    for (const r of this.readers.values()) inputs.push({ file: `${r.dir}::sources`, pending: [...r.sourceNodes(), ...r.exposureNodes()].map((p) => this.translated(p)), diagnostics: [] });
    this.linker = new Linker(inputs, checks, this.globalDiagnostics, [...this.readers.values()].map((r) => r.info));
    this.linkedStructure = this.structure;
    this.dirty.clear();
    return this.linker.graph;
  }

  /** dbt project readers and dbt key translations, rebuilt when the structure changed. */
  private refreshReaders(paths: readonly string[]): void {
    if (this.readersStructure === this.structure) return;
    const diagnostics: Diagnostic[] = [];
    const readers = new Map<string, DbtProjectReader>();
    const projectDirs = paths.filter((p) => p === 'dbt_project.yml' || p.endsWith('/dbt_project.yml')).map((p) => p.slice(0, -'dbt_project.yml'.length).replace(/\/$/, ''));
    for (const dir of projectDirs) {
      const file = dir ? `${dir}/dbt_project.yml` : 'dbt_project.yml';
      const parsed = parseProjectFile(this.files.get(file)!.text);
      for (const p of parsed.problems) diagnostics.push({ file, line: p.line + 1, severity: 'error', message: p.message });
      if (!parsed.value) continue;
      const profilesPath = [dir ? `${dir}/profiles.yml` : 'profiles.yml', 'profiles.yml'].find((p) => this.files.has(p));
      const target = profilesPath && parsed.value.profile ? parseProfiles(this.files.get(profilesPath)!.text, parsed.value.profile).value : undefined;
      const reader = new DbtProjectReader(dir, parsed.value, target, {
        paths: paths.filter((p) => owner(p, projectDirs) === dir),
        sql: (p) => this.sql(p),
        properties: (p) => this.props(p) as { value?: PropertiesFile; problems: { line: number; message: string }[] },
        text: (p) => this.files.get(p)!.text,
        ...(this.ports.captureDeps ? { capture: this.ports.captureDeps } : {}),
      });
      diagnostics.push(...reader.diagnostics);
      readers.set(dir, reader);
    }
    this.translations = [];
    for (const path of paths) {
      if (path.endsWith('.py')) {
        const dir = path.split('/').slice(0, -1).join('/');
        for (const l of this.py(path).dbtLoads) if (l.projectDir !== undefined) this.translations.push({ projectDir: normalize(`${dir}/${l.projectDir}`), keyPrefix: l.keyPrefix, ...(l.sourceKeyPrefix ? { sourceKeyPrefix: l.sourceKeyPrefix } : {}) });
      } else if (/(^|\/)defs\.ya?ml$/.test(path)) {
        let doc: unknown;
        try { doc = parseYaml(this.files.get(path)!.text); } catch { continue; }
        const t = componentTranslation(path, doc);
        if (t) this.translations.push(t);
      }
    }
    this.readers = readers;
    this.readersStructure = this.structure;
    this.globalDiagnostics = diagnostics;
  }

  private translated(p: PendingAsset): PendingAsset {
    const t = p.asset.dbt && translationFor(p.asset.dbt.projectDir, this.translations);
    return t ? { ...p, asset: { ...p.asset, key: translateKey(p, t) } } : p;
  }

  /** One file's contribution, cached while the structure is unchanged. */
  private inputFor(path: string): { value: FileInput; checks: readonly PendingCheck[] } {
    const e = this.files.get(path)!;
    if (e.input?.structure === this.structure) return e.input;
    let value: FileInput = { file: path, pending: [], diagnostics: [] };
    let checks: readonly PendingCheck[] = [];
    if (path.endsWith('.py')) {
      const x = this.py(path);
      const r = pythonPending(path, x);
      value = { file: path, pending: r.pending, diagnostics: x.problems.map((p) => ({ file: path, line: p.line + 1, severity: 'error', message: p.message })) };
      checks = r.checks;
      // A changed dbt loader changes other files' keys: treat it as structural.
      if (e.before && e.before.loads !== JSON.stringify(x.dbtLoads)) this.structure++;
    } else {
      const dir = owner(path, [...this.readers.keys()]);
      const reader = dir === undefined ? undefined : this.readers.get(dir);
      if (reader && !path.endsWith('dbt_project.yml')) {
        const r = reader.fileNodes(path);
        value = { file: path, pending: r.pending.map((p) => this.translated(p)), diagnostics: r.diagnostics };
      }
    }
    e.input = { structure: this.structure, value, checks };
    return e.input;
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
}

/** The deepest project folder holding `path` (packages' own files belong to the installing project). */
function owner(path: string, dirs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const d of dirs) if ((d === '' || path.startsWith(d + '/')) && (best === undefined || d.length > best.length)) best = d;
  return best;
}


/** Runs one file's extraction; an extractor bug costs that file (a diagnostic), never the graph. */
function guard<T>(run: () => T, fallback: (message: string) => T): T {
  try { return run(); } catch (e) { return fallback(`Asset Lens could not read this file (${messageOf(e)})`); }
}

/** The translation for a project: by exact folder, else by the folder's tail (paths written from another root). */
function translationFor(projectDir: string, translations: readonly DbtTranslation[]): DbtTranslation | undefined {
  return translations.find((t) => t.projectDir === projectDir) ?? translations.find((t) => t.projectDir && (projectDir.endsWith('/' + t.projectDir) || t.projectDir.endsWith('/' + projectDir)));
}
