// Runner benchmark: the jaffle sample end to end (all 8 assets, profiles and checks), the runner's
// overhead per model on 1,000 chained trivial models (built, then rebuilt), and profiling a
// 10M-row × 10-column table. Prints `name value unit` lines; `npm run bench` collects them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWorkspace } from '../../src/adapters/workspaceFs';
import { materialize } from '../../src/adapters/runner';
import { DuckDb } from '../../src/adapters/duckdb';
import { profileTable } from '../../src/adapters/profiler';
import { parseSelection, resolveSelection } from '../../src/core/selection';
import { metadataFile, warehouseFor } from '../../src/core/warehouse';

const temps: string[] = [];
const temp = (): string => { const d = mkdtempSync(join(tmpdir(), 'asset-lens-runner-bench-')); temps.push(d); return d; };

/** Indexes `root`, materializes everything in it, and returns the run's wall time (index excluded). */
async function materializeAll(root: string, threads: number): Promise<number> {
  const graph = loadWorkspace(root).graph();
  const keys = resolveSelection(graph, parseSelection('*'));
  const t0 = performance.now();
  const summary = await materialize({
    root, graph, keys, selection: '*', threads,
    warehousePath: join(root, warehouseFor(graph, keys)), metadataPath: join(root, metadataFile),
  });
  const ms = performance.now() - t0;
  if (summary.status !== 'success') throw new Error(`the run failed: ${summary.error}`);
  return ms;
}

async function jaffle(): Promise<void> {
  const copy = () => { const d = temp(); cpSync(resolve('seeds/jaffle_shop'), d, { recursive: true }); return d; };
  // The first run in a process loads DuckDB's native library; a user's run pays that once per server.
  await materializeAll(copy(), 4);
  console.log(`runner_jaffle_end_to_end ${(await materializeAll(copy(), 4)).toFixed(0)} ms`);
}

async function chained(n: number): Promise<void> {
  const root = temp();
  mkdirSync(join(root, 'models'));
  writeFileSync(join(root, 'dbt_project.yml'), "name: chain\nprofile: chain\nmodels:\n  chain:\n    +materialized: table\n");
  writeFileSync(join(root, 'profiles.yml'), "chain:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: 'chain.duckdb'\n");
  writeFileSync(join(root, 'models/m0000.sql'), 'select 1 as n');
  for (let i = 1; i < n; i++) writeFileSync(join(root, `models/m${String(i).padStart(4, '0')}.sql`), `select n from {{ ref('m${String(i - 1).padStart(4, '0')}') }}`);
  const ms = await materializeAll(root, 4);
  console.log(`runner_overhead_per_model ${(ms / n).toFixed(2)} ms`);
  // The editor's common case: the tables exist and each is replaced.
  console.log(`runner_rerun_overhead_per_model ${((await materializeAll(root, 4)) / n).toFixed(2)} ms`);
}

async function profile10m(): Promise<void> {
  const db = await DuckDb.open(join(temp(), 'profile.duckdb'));
  try {
    await db.run(`CREATE TABLE wide AS SELECT i AS id, i % 1000 AS small_int, i * 0.5 AS half, (i % 97)::DOUBLE / 7 AS ratio,
      CASE WHEN i % 10 = 0 THEN NULL ELSE i % 50000 END AS sparse, 'cat_' || (i % 20) AS category, md5(i::VARCHAR) AS hash,
      DATE '2020-01-01' + (i % 1500)::INTEGER AS day, TIMESTAMP '2020-01-01' + to_seconds(i) AS ts, i % 2 = 0 AS even FROM range(10000000) t(i)`);
    const t0 = performance.now();
    const p = await profileTable(db, { schema: 'main', identifier: 'wide' });
    const ms = performance.now() - t0;
    if (p.rows !== 10_000_000 || p.columns.length !== 10) throw new Error(`unexpected profile: ${p.rows} rows, ${p.columns.length} columns`);
    console.log(`profile_10m_rows_10_cols ${ms.toFixed(0)} ms`);
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  try {
    await jaffle();
    await chained(1000);
    await profile10m();
  } finally {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
