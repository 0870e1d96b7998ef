// The workspace folders the server indexes, each with its own WorkspaceIndex, and the mapping
// between document URIs and folder-relative paths. Text of open documents wins over the disk:
// watched-file events for an open document are ignored until it is closed.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, relative, sep, isAbsolute } from 'node:path';
import { WorkspaceIndex, type IndexPorts } from '../core/workspaceIndex';
import type { Graph } from '../core/graph';
import { loadWorkspace, readText } from '../adapters/workspaceFs';

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
}

export class Workspace {
  private readonly open = new Set<string>();

  private constructor(readonly folders: readonly Folder[]) {}

  /** Reads every folder from disk, with the index ports the server may use (see IndexPorts). */
  static load(roots: readonly { name: string; root: string }[], ports: IndexPorts): Workspace {
    const folders = roots.map((r) => new Folder(r.name, r.root, loadWorkspace(r.root, new WorkspaceIndex(ports))));
    return new Workspace(folders);
  }

  /** The folder holding a URI (the deepest one, for nested folders), or undefined outside every folder. */
  locate(uri: string): Located | undefined {
    const path = fsPath(uri);
    if (!path) return undefined;
    let best: Located | undefined;
    for (const folder of this.folders) {
      const rel = relative(folder.root, path);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      if (!best || folder.root.length > best.folder.root.length) best = { folder, rel: rel.split(sep).join('/') };
    }
    return best;
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
