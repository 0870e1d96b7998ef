// Type-checks each layer with its own tsconfig (its own lib/types), then the tests.
import { execFileSync } from 'node:child_process';
const tsc = 'node_modules/typescript/bin/tsc';
let failed = false;
for (const p of ['shared', 'core', 'adapters', 'server', 'cli', 'extension', 'webview'].map((l) => `src/${l}/tsconfig.json`).concat('tsconfig.json')) {
  try { execFileSync(process.execPath, [tsc, '-p', p], { stdio: 'inherit' }); } catch { failed = true; console.error(`typecheck failed: ${p}`); }
}
if (failed) process.exit(1);
console.log('typecheck ok');
