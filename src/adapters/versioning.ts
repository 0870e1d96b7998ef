// Code versions and file facts for the core's versioning (core/versions.ts): which data files an
// asset's SQL reads, which files stand for a source asset, and their content hashes. The runner,
// the CLI and the server use the same functions, so a version stored by a run compares equal to
// the one the editor computes later.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Graph } from '../core/graph';
import type { Asset, AssetKey } from '../core/model';
import { codeVersion } from '../core/versions';

/** `read_csv_auto('x.csv')`, `read_parquet("x")`, `read_csv('x', …)`, and DuckDB's `FROM 'x.csv'`. */
const readCall = /\bread_(?:csv_auto|csv|parquet|json_auto|json)\s*\(\s*\[?\s*['"]([^'"]+)['"]/gi;
const fromFile = /\bfrom\s+['"]([^'"]+\.(?:csv|parquet|json|tsv)(?:\.gz)?)['"]/gi;

/** Workspace-relative paths (or globs) of the data files an asset's SQL reads; empty when none or when it has no SQL. */
export function filesReadBy(asset: Asset): string[] {
  const sql = asset.sql ?? '';
  const out = new Set<string>();
  for (const re of [readCall, fromFile]) for (const m of sql.matchAll(re)) if (!m[1]!.includes('{{') && !/^[a-z]+:\/\//i.test(m[1]!)) out.add(posix.normalize(m[1]!));
  return [...out].sort();
}

/**
 * The files each source asset stands for: the files read by the assets that load it (an asset whose
 * only source upstream is that source), or a dbt source's `external_location`. Sources without
 * files are left out: they are not observed.
 */
export function sourceFiles(graph: Graph): Map<AssetKey, string[]> {
  const out = new Map<AssetKey, string[]>();
  const isSource = (a: Asset | undefined) => a?.kind === 'external' || a?.kind === 'source';
  for (const a of graph.assets.values()) {
    if (isSource(a)) {
      const cfg = a.dbt?.config ?? {};
      const meta = (cfg.meta ?? {}) as Record<string, unknown>;
      const loc = cfg.external_location ?? meta.external_location;
      if (typeof loc === 'string' && !loc.includes('{')) out.set(a.key, [posix.normalize(loc)]);
      continue;
    }
    const sources = (graph.upstream.get(a.key) ?? []).filter((u) => isSource(graph.assets.get(u)));
    const files = filesReadBy(a);
    if (sources.length !== 1 || !files.length) continue;
    out.set(sources[0]!, [...new Set([...(out.get(sources[0]!) ?? []), ...files])].sort());
  }
  return out;
}

/** The files a path or a simple glob (`*` within the last segment) names, that exist now. */
export function expandFiles(root: string, pattern: string): string[] {
  if (!pattern.includes('*')) {
    try { return statSync(join(root, pattern)).isFile() ? [pattern] : []; } catch { return []; }
  }
  const dir = posix.dirname(pattern);
  const re = new RegExp(`^${posix.basename(pattern).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  try { return readdirSync(join(root, dir)).filter((f) => re.test(f)).sort().map((f) => posix.join(dir, f)); } catch { return []; }
}

const hashCache = new Map<string, { readonly stamp: string; readonly hash: string }>();

/** SHA-256 of a file's bytes, cached by size and mtime; undefined when it cannot be read. */
export function fileHash(path: string): string | undefined {
  try {
    const st = statSync(path);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const hit = hashCache.get(path);
    if (hit?.stamp === stamp) return hit.hash;
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 32);
    hashCache.set(path, { stamp, hash });
    return hash;
  } catch {
    return undefined;
  }
}

/** One hash over the files `patterns` name (name and content); undefined when none exists. */
export function filesHash(root: string, patterns: readonly string[]): string | undefined {
  const files = [...new Set(patterns.flatMap((p) => expandFiles(root, p)))].sort();
  const parts = files.map((f) => `${f}:${fileHash(join(root, f)) ?? 'unreadable'}`);
  return parts.length ? createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32) : undefined;
}

/**
 * The code version of an asset as runs record it: the core's fingerprint of its definition; a
 * seed's CSV is its definition (dbt's `state:modified` counts seed contents too), so its hash is in.
 */
export function assetCodeVersion(root: string, asset: Asset): string {
  if (asset.kind !== 'seed') return codeVersion(asset);
  return codeVersion(asset, { functionText: `seed:${fileHash(join(root, asset.file)) ?? 'missing'}` });
}

/** The current code version of every asset that runs (sources are observed, not versioned by code). */
export function codeVersions(root: string, graph: Graph): Map<AssetKey, string> {
  const out = new Map<AssetKey, string>();
  for (const a of graph.assets.values()) if (a.kind !== 'external' && a.kind !== 'source') out.set(a.key, assetCodeVersion(root, a));
  return out;
}
