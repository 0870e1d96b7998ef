// `npm run bench`: prints one line per figure, `name value unit`, and writes bench-results.json.
// Benchmarks print their figures; they never fail on a time (tests do not assert wall-clock times).
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';

const suites = ['test/bench/indexBench.ts', 'test/bench/runnerBench.ts', 'test/bench/webviewBench.ts'].filter((f) => existsSync(f));
const results = [];
for (const suite of suites) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', suite], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+) (-?[\d.]+) (\S+)$/.exec(line.trim());
    if (m) { results.push({ name: m[1], value: Number(m[2]), unit: m[3] }); console.log(line.trim()); }
    else if (line.trim()) console.error(line);
  }
  if (r.status !== 0) { console.error(`${suite} exited with ${r.status}`); process.exitCode = 1; }
}
const previous = existsSync('bench-results.json') ? JSON.parse(readFileSync('bench-results.json', 'utf8')) : undefined;
writeFileSync('bench-results.json', JSON.stringify({ when: new Date().toISOString(), results, ...(previous ? {} : {}) }, null, 2) + '\n');
