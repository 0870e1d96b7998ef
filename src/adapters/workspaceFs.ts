// Reads a workspace folder from disk into a WorkspaceIndex, following the discovery rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { WorkspaceIndex } from '../core/workspaceIndex';
import { skipDir } from '../core/discovery';
import { loadPythonParser } from './pythonParser';
import { captureDeps } from './depCapture';

/** Largest file the index reads; bigger ones (data dumps) are passed over. */
const maxBytes = 5 * 1024 * 1024;

/** Walks `root` and loads every file the index wants. */
export function loadWorkspace(root: string, index = new WorkspaceIndex()): WorkspaceIndex {
  for (const path of listWorkspaceFiles(root)) {
    const text = readText(join(root, path));
    if (text !== undefined) index.setFile(path, text);
  }
  return index;
}

/** A WorkspaceIndex with every port (the Python parser loads asynchronously, once), filled from `root`. */
export async function openWorkspace(root: string): Promise<WorkspaceIndex> {
  return loadWorkspace(root, new WorkspaceIndex({ parsePython: await loadPythonParser(), captureDeps }));
}

/** Workspace-relative, `/`-separated paths of the files the index wants, sorted. */
export function listWorkspaceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const name of names) {
      const abs = join(dir, name);
      let st;
      try { st = statSync(abs); } catch { continue; }
      if (st.isDirectory()) { if (!skipDir(name)) walk(abs); continue; }
      const rel = relative(root, abs).split(sep).join('/');
      if (WorkspaceIndex.wants(rel) && st.size <= maxBytes) out.push(rel);
    }
  };
  walk(root);
  return out.sort();
}

/** A file's text, or undefined when it cannot be read (deleted meanwhile, no permission). */
export function readText(abs: string): string | undefined {
  try { return readFileSync(abs, 'utf8'); } catch { return undefined; }
}
