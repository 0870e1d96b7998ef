// Bundles the four entry points with esbuild. `--production` minifies; `--watch` rebuilds on change.
import { build, context } from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// The DuckDB binding is a native module: it ships beside the bundle in node_modules, never inside it.
const nativeExternal = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'];
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', external: [...nativeExternal, 'vscode', 'chokidar', 'fsevents'] };
const configs = [
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...common, platform: 'browser', target: 'chrome114', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
];
if (watch) {
  for (const c of configs) await (await context(c)).watch();
  console.log('watching…');
} else {
  await Promise.all(configs.map((c) => build(c)));
  console.log(`built ${configs.length} bundles${production ? ' (production)' : ''}`);
}
