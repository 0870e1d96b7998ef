// Which folders and files the index reads. Shared by the file-system walker, the language
// server's watcher and the tests, so all of them agree.

const skippedDirs = new Set(['node_modules', 'target', 'logs', '__pycache__', 'venv', 'env', 'site-packages', 'dist', 'build']);

/** True when the walker should not descend into the folder `name` (a single path segment). */
export function skipDir(name: string): boolean {
  return name.startsWith('.') || skippedDirs.has(name);
}

/** True when a workspace-relative path is a file the index reads. */
export function wantsFile(path: string): boolean {
  const parts = path.split('/');
  if (parts.slice(0, -1).some(skipDir)) return false;
  // Installed packages are read for their macros only (refs built inside package macros).
  const pkg = parts.indexOf('dbt_packages');
  if (pkg >= 0) return parts[pkg + 2] === 'macros' && path.endsWith('.sql');
  // pyproject.toml only marks a Dagster project root (the working directory its sensors list from).
  return /\.(sql|ya?ml|csv|py)$/.test(path) || parts[parts.length - 1] === 'pyproject.toml';
}

/** Files whose folder is a Dagster project root: where `dagster dev` runs, so relative paths in its code start there. */
export const projectRootFiles: ReadonlySet<string> = new Set(['pyproject.toml', 'setup.py', 'workspace.yaml', 'dagster.yaml']);
