// Index benchmark: a synthetic workspace of 10,000 SQL models in 5 dbt projects with their YAML and
// 2,000 Python assets in 400 files; then cold index, re-index after one edit (p95), hover, memory,
// and an edit in the same files opened as a two-folder workspace (the folders' graphs re-joined).
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listWorkspaceFiles, openWorkspace, readText } from '../../src/adapters/workspaceFs';
import { loadPythonParser } from '../../src/adapters/pythonParser';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { rejoin } from '../../src/core/join';
import { hoverMarkdown, referenceAt } from '../../src/core/present';

const projects = 5, modelsPerProject = 2000, pythonFiles = 400, assetsPerPythonFile = 5;

function generateDbt(root: string): void {
  for (let p = 0; p < projects; p++) {
    const dir = join(root, `proj_${p}`);
    mkdirSync(join(dir, 'models', 'staging'), { recursive: true });
    mkdirSync(join(dir, 'models', 'marts'), { recursive: true });
    writeFileSync(join(dir, 'dbt_project.yml'), `name: proj_${p}\nprofile: proj_${p}\nmodels:\n  proj_${p}:\n    marts:\n      +materialized: table\n`);
    const yaml: string[] = ['version: 2', 'models:'];
    for (let i = 0; i < modelsPerProject; i++) {
      const folder = i < modelsPerProject / 2 ? 'staging' : 'marts';
      const deps = i === 0 ? [] : [`m${p}_${Math.floor(i / 2)}`, ...(i > 3 ? [`m${p}_${i - 3}`] : [])];
      const body = [`{{ config(tags=['t${i % 7}']) }}`, 'with a as (', ...deps.map((d, k) => `  select * from {{ ref('${d}') }} ${k ? 'union all' : ''}`), ')', `select ${i} as id, 'x' as name from a`].join('\n');
      writeFileSync(join(dir, 'models', folder, `m${p}_${i}.sql`), i === 0 ? 'select 1 as id' : body);
      yaml.push(`  - name: m${p}_${i}`, `    description: Model ${i} of project ${p}`, '    columns:', '      - name: id', '        tests: [unique, not_null]');
    }
    writeFileSync(join(dir, 'models', 'schema.yml'), yaml.join('\n') + '\n');
  }
}

/** Python assets with deps by parameter on each other and deps= on dbt models. */
function generatePython(root: string): void {
  mkdirSync(join(root, 'defs'), { recursive: true });
  for (let f = 0; f < pythonFiles; f++) {
    const lines = ['import dagster as dg', ''];
    for (let i = 0; i < assetsPerPythonFile; i++) {
      const n = f * assetsPerPythonFile + i;
      const param = n === 0 ? '' : `, py_${Math.floor(n / 2)}: str`;
      lines.push(`@dg.asset(group_name="g${f % 9}", kinds={"python"}, deps=["m${f % projects}_${n % modelsPerProject}"])`, `def py_${n}(context${param}) -> None:`, `    "Python asset ${n}."`, `    context.log.info("${n}")`, '');
    }
    writeFileSync(join(root, 'defs', `assets_${f}.py`), lines.join('\n'));
  }
}

const p95 = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

/** The same files as a two-folder workspace (projects 3 and 4 in the second): an edit re-joins the folders' graphs. */
async function twoFolders(root: string): Promise<void> {
  const parsePython = await loadPythonParser();
  const a = new WorkspaceIndex({ parsePython }), b = new WorkspaceIndex({ parsePython });
  for (const f of listWorkspaceFiles(root)) (/^proj_[34]\//.test(f) ? b : a).setFile(f, readText(join(root, f))!);
  const parts = () => [{ prefix: 'one', graph: a.graph() }, { prefix: 'two', graph: b.graph() }];
  let joined = rejoin(undefined, parts());
  if (joined.graph.assets.size !== projects * modelsPerProject + pythonFiles * assetsPerPythonFile || joined.graph.diagnostics.length) throw new Error('the two folders did not join into one graph');
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const s = performance.now();
    a.setFile('proj_2/models/marts/m2_1500.sql', `select * from {{ ref('m2_${i + 1}') }} -- edit ${i}`);
    joined = rejoin(joined, parts());
    times.push(performance.now() - s);
  }
  console.log(`index_reindex_two_folders_edit_p95 ${p95(times).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'asset-lens-bench-'));
  try {
    generateDbt(root);
    generatePython(root);
    const t0 = performance.now();
    const index = await openWorkspace(root);
    const g = index.graph();
    const cold = performance.now() - t0;
    const expected = projects * modelsPerProject + pythonFiles * assetsPerPythonFile;
    if (g.assets.size !== expected) throw new Error(`expected ${expected} assets, got ${g.assets.size}`);
    console.log(`index_cold_10k_models_2k_python ${cold.toFixed(0)} ms`);

    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const s = performance.now();
      index.setFile('proj_2/models/marts/m2_1500.sql', `select * from {{ ref('m2_${i + 1}') }} -- edit ${i}`);
      index.graph();
      times.push(performance.now() - s);
    }
    console.log(`index_reindex_one_edit_p95 ${p95(times).toFixed(1)} ms`);

    const original = index.text('defs/assets_7.py')!;
    const pyTimes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const s = performance.now();
      // Same five assets, one dep changed: the edit a user makes while typing.
      index.setFile('defs/assets_7.py', original.replace('deps=["m2_35"]', `deps=["m2_${100 + i}"]`));
      index.graph();
      pyTimes.push(performance.now() - s);
    }
    console.log(`index_reindex_python_edit_p95 ${p95(pyTimes).toFixed(1)} ms`);

    const g2 = index.graph();
    const ref = g2.references.find((r) => r.file === 'proj_3/models/marts/m3_1800.sql')!;
    const hs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      const r = referenceAt(g2, ref.file, ref.line, ref.startCol + 1);
      hoverMarkdown(g2, r!.target, undefined, new Date());
      hs.push(performance.now() - s);
    }
    console.log(`hover_p95 ${p95(hs).toFixed(2)} ms`);
    (globalThis as { gc?: () => void }).gc?.();
    console.log(`index_resident_memory ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
    await twoFolders(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
