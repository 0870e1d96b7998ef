// Runs the test tiers with node's test runner (TypeScript through tsx) and prints one closing line.
// `node scripts/test.mjs` runs every tier; `node scripts/test.mjs unit lsp` runs those tiers.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const tiers = ['unit', 'slow', 'lsp', 'webview', 'e2e'];
const wanted = process.argv.slice(2).filter((a) => tiers.includes(a));
const run = wanted.length ? wanted : tiers;
const needsBuild = run.some((t) => t !== 'unit');
if (needsBuild) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}
let passed = 0, failed = 0, skipped = 0;
for (const tier of run) {
  const dir = join('test', tier);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f)) : [];
  if (!files.length) continue;
  console.log(`\n== ${tier} (${files.length} files)`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${tier === 'unit' ? 2 : 1}`, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
  process.stdout.write(r.stdout);
  const count = (name) => Number((r.stdout.match(new RegExp(`ℹ ${name} (\\d+)`)) ?? [])[1] ?? 0);
  passed += count('pass'); failed += count('fail'); skipped += count('skipped');
  if (r.status !== 0 && count('fail') === 0) { failed += 1; console.error(`tier ${tier} exited with ${r.status}`); }
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
