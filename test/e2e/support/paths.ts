// Where the e2e tier reads and writes: the repository, the seed projects, the results folder.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/e2e/support/paths.ts). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Screenshots and logs land here so CI and the lead can look at what a user would have seen. */
export const resultsDir = join(repoRoot, 'test-results', 'e2e');

export function ensureResultsDir(): string {
  mkdirSync(resultsDir, { recursive: true });
  return resultsDir;
}

/** A scratch folder for one session: workspace copy, server state, browser profile. */
export function makeScratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `asset-lens-e2e-${label}-`));
}

/**
 * Copies a seed project (seeds/<name>) into `parent` and returns the copy's path. Tests always
 * work on a copy: materializing writes a DuckDB file and the extension may write `.assetlens/`.
 */
export function copySeedProject(name: string, parent: string): string {
  const dest = join(parent, name);
  cpSync(join(repoRoot, 'seeds', name), dest, { recursive: true });
  return dest;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
