// The workspace folders the server indexes, each with its own WorkspaceIndex, and the mapping
// between document URIs and folder-relative paths. Text of open documents wins over the disk:
// watched-file events for an open document are ignored until it is closed.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, relative, sep, isAbsolute } from 'node:path';
import { WorkspaceIndex, type IndexPorts } from '../core/workspaceIndex';
import type { Graph } from '../core/graph';
import { rejoin, type Joined } from '../core/join';
import { loadWorkspace, readText } from '../adapters/workspaceFs';
import type { JoinedGraph } from './crossFolder';

export class Folder {
  constructor(
    /** The folder's name, used to tell folders apart in a multi-root workspace. */
    readonly name: string,
    /** Absolute file-system path. */
    readonly root: string,
    readonly index: WorkspaceIndex,
  ) {}

  graph(): Graph {
    return this.index.graph();
  }

  /** The URI of a folder-relative path. */
  uriOf(rel: string): string {
    return pathToFileURL(join(this.root, rel)).href;
  }

  abs(rel: string): string {
    return isAbsolute(rel) ? rel : join(this.root, rel);
  }
}

export interface Located {
  readonly folder: Folder;
  /** `/`-separated path relative to the folder. */
  readonly rel: string;
  /** The same file as the workspace graph names it (`<folder>/<rel>` when there are several folders). */
  readonly file: string;
  readonly workspace: Workspace;
}

export class Workspace {
  private readonly open = new Set<string>();
  private list: readonly Folder[];
  private prefixes = new Map<Folder, string>();
  private joined: Joined | undefined;

  private constructor(folders: readonly Folder[], private readonly ports: IndexPorts) {
    this.list = folders;
    this.namePrefixes();
  }

  /** Reads every folder from disk, with the index ports the server may use (see IndexPorts). */
  static load(roots: readonly { name: string; root: string }[], ports: IndexPorts): Workspace {
    return new Workspace(roots.map((r) => Workspace.read(r, ports)), ports);
  }

  /** A workspace of folders already indexed (tests, tools). */
  static of(folders: readonly Folder[], ports: IndexPorts = {}): Workspace {
    return new Workspace(folders, ports);
  }

  private static read(r: { name: string; root: string }, ports: IndexPorts): Folder {
    return new Folder(r.name, r.root, loadWorkspace(r.root, new WorkspaceIndex(ports)));
  }

  get folders(): readonly Folder[] {
    return this.list;
  }

  /** A folder added to the workspace is read from disk; returns false when it was already there. */
  addFolder(r: { name: string; root: string }): boolean {
    if (this.list.some((f) => f.root === r.root)) return false;
    this.list = [...this.list, Workspace.read(r, this.ports)];
    this.namePrefixes();
    return true;
  }

  removeFolder(root: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.root !== root);
    this.namePrefixes();
    return this.list.length !== before;
  }

  /** With several folders, each folder's files are named `<folder name>/<path>` in the joined graph (names made unique). */
  private namePrefixes(): void {
    this.prefixes = new Map();
    const used = new Set<string>();
    for (const f of this.list) {
      let name = this.list.length > 1 ? f.name.replace(/\//g, '_') || 'folder' : '';
      for (let n = 2; name && used.has(name); n++) name = `${f.name}~${n}`;
      used.add(name);
      this.prefixes.set(f, name);
    }
    this.joined = undefined;
  }


  /** One graph for every folder: keys from different folders join (see rejoin: an edit of one folder patches it). */
  graph(): Graph {
    const parts = this.list.map((f) => ({ prefix: this.prefixes.get(f) ?? '', graph: f.graph() }));
    const j = this.joined;
    if (j && j.parts.length === parts.length && j.parts.every((p, i) => p.graph === parts[i]!.graph && p.prefix === parts[i]!.prefix)) return j.graph;
    this.joined = rejoin(j, parts);
    return this.joined.graph;
  }

  /** The joined graph with the folder that defines each asset, for runs that cross folders. */
  joinedGraph(): JoinedGraph {
    const graph = this.graph();
    return { graph, folderOf: (key) => { const a = graph.assets.get(key); return a ? this.placeOf(a.file)?.folder : undefined; } };
  }

  /** The workspace graph's name for a folder's file. */
  fileIn(folder: Folder, rel: string): string {
    const prefix = this.prefixes.get(folder);
    return prefix ? `${prefix}/${rel}` : rel;
  }

  /** The folder and folder-relative path of a file named in the workspace graph. */
  placeOf(file: string): { folder: Folder; rel: string } | undefined {
    for (const folder of this.list) {
      const prefix = this.prefixes.get(folder);
      if (!prefix) return { folder, rel: file };
      if (file.startsWith(prefix + '/')) return { folder, rel: file.slice(prefix.length + 1) };
    }
    return undefined;
  }

  /** The URI of a file named in the workspace graph. */
  uriOfFile(file: string): string | undefined {
    const p = this.placeOf(file);
    return p && p.folder.uriOf(p.rel);
  }

  /** The text of a file named in the workspace graph. */
  textOf(file: string): string | undefined {
    const p = this.placeOf(file);
    return p && p.folder.index.text(p.rel);
  }

  /** The folder holding a URI (the deepest one, for nested folders), or undefined outside every folder. */
  locate(uri: string): Located | undefined {
    const path = fsPath(uri);
    if (!path) return undefined;
    let best: { folder: Folder; rel: string } | undefined;
    for (const folder of this.list) {
      const rel = relative(folder.root, path);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      if (!best || folder.root.length > best.folder.root.length) best = { folder, rel: rel.split(sep).join('/') };
    }
    return best && { ...best, file: this.fileIn(best.folder, best.rel), workspace: this };
  }

  /** An open document's text replaces the file's; returns true when the index changed. */
  setOpenText(uri: string, text: string): boolean {
    this.open.add(uri);
    const at = this.wanted(uri);
    return at ? at.folder.index.setFile(at.rel, text) : false;
  }

  /** A closed document falls back to the disk (it may have been reverted or deleted unsaved). */
  closeDocument(uri: string): boolean {
    this.open.delete(uri);
    return this.readFromDisk(uri);
  }

  /** A watched file was created or changed on disk; open documents keep their editor text. */
  fileChanged(uri: string): boolean {
    return this.open.has(uri) ? false : this.readFromDisk(uri);
  }

  /** A watched path was deleted: a file, or a folder with everything below it. */
  fileDeleted(uri: string): boolean {
    const at = this.locate(uri);
    if (!at || this.open.has(uri)) return false;
    const removed = at.folder.index.deleteFile(at.rel);
    const before = at.folder.index.paths().length;
    at.folder.index.deleteFolder(at.rel);
    return removed || at.folder.index.paths().length !== before;
  }

  private readFromDisk(uri: string): boolean {
    const at = this.wanted(uri);
    if (!at) return false;
    const text = readText(at.folder.abs(at.rel));
    return text === undefined ? at.folder.index.deleteFile(at.rel) : at.folder.index.setFile(at.rel, text);
  }

  private wanted(uri: string): Located | undefined {
    const at = this.locate(uri);
    return at && at.rel && WorkspaceIndex.wants(at.rel) ? at : undefined;
  }
}

/** The file-system path of a `file:` URI; undefined for other schemes (untitled, git). */
export function fsPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}
