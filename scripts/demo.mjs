// The demo: index the jaffle_shop sample, materialize +customers in the embedded DuckDB, then
// print the stored profile and checks — the same engine the editor uses, with nothing else installed.
import { spawnSync } from 'node:child_process';

const dir = process.argv[2] ?? 'seeds/jaffle_shop';
const step = (title, args) => {
  console.log(`\n$ asset-lens ${args.join(' ')}    # ${title}`);
  const r = spawnSync(process.execPath, ['bin/asset-lens.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('the lineage graph', ['graph', dir]);
step('build customers and everything upstream of it', ['materialize', dir, '--select', '+customers']);
step('what the last run produced', ['profile', dir, 'customers']);
step('every asset\'s last materialization', ['status', dir]);
