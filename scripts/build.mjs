// Bundles the four entry points with esbuild. `--production` minifies; `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// The DuckDB binding is a native module: it ships beside the bundle in node_modules, never inside it.
const nativeExternal = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*'];
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
// ESM dependencies (web-tree-sitter) read import.meta.url, which a CommonJS bundle lacks: supply it.
const node = {
  ...common, platform: 'node', target: 'node20', format: 'cjs', external: [...nativeExternal, 'vscode', 'chokidar', 'fsevents'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};
const configs = [
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...common, platform: 'browser', target: 'chrome114', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
  // The lineage layout runs off the webview's UI thread in this worker.
  { ...common, platform: 'browser', target: 'chrome114', format: 'iife', entryPoints: ['src/webview/layoutWorker.ts'], outfile: 'dist/layoutWorker.js' },
];
// The Python grammar and tree-sitter's runtime are wasm files loaded beside the bundles.
const wasm = () => {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
};
wasm();
if (watch) {
  for (const c of configs) await (await context(c)).watch();
  console.log('watching…');
} else {
  await Promise.all(configs.map((c) => build(c)));
  console.log(`built ${configs.length} bundles${production ? ' (production)' : ''}`);
}
