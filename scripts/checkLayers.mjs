// Enforces the dependency table of ARCHITECTURE.md section 3: each layer under src/ may import only
// the layers listed for it, `vscode` only in src/extension, node built-ins and native modules only
// in adapters/server/cli/extension. Fails the build with a message that says what to do instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const allowed = {
  shared: [],
  core: ['shared'],
  adapters: ['shared', 'core'],
  server: ['shared', 'core', 'adapters'],
  extension: ['shared'],
  webview: ['shared'],
  cli: ['shared', 'core', 'adapters'],
};
const nodeAllowed = new Set(['adapters', 'server', 'cli', 'extension']);
// Pure JavaScript libraries each layer may use (no I/O of their own).
const packages = {
  shared: [],
  core: ['yaml'],
  adapters: ['yaml', 'nunjucks', '@duckdb/node-api', 'web-tree-sitter'],
  server: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-languageserver/node'],
  extension: ['vscode', 'vscode-languageclient', 'vscode-languageclient/node'],
  webview: ['d3'],
  cli: ['yaml'],
};

const files = [];
const walk = (d) => { for (const n of readdirSync(d)) { const p = join(d, n); statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') && files.push(p); } };
walk(join(root, 'src'));

const problems = [];
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const file of files) {
  const layer = relative(join(root, 'src'), file).split(sep)[0];
  if (!(layer in allowed)) { problems.push(`${relative(root, file)}: unknown layer '${layer}'`); continue; }
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    const line = text.slice(0, m.index).split('\n').length + (text[m.index] === '\n' ? 1 : 0);
    const where = `${relative(root, file)}:${line}`;
    if (spec.startsWith('.')) {
      const target = relative(join(root, 'src'), resolve(dirname(file), spec)).split(sep)[0];
      if (target !== layer && !allowed[layer].includes(target)) {
        problems.push(`${where}: src/${layer} may not import src/${target} ('${spec}'). Allowed: ${allowed[layer].join(', ') || 'nothing'} — move the shared type to src/shared or pass it through a port.`);
      }
    } else if (spec.startsWith('node:') || ['fs', 'path', 'child_process', 'os', 'crypto', 'worker_threads'].includes(spec)) {
      if (!nodeAllowed.has(layer)) problems.push(`${where}: src/${layer} must stay free of Node built-ins ('${spec}'); declare a port in src/core/ports.ts and implement it in src/adapters.`);
    } else if (!packages[layer].includes(spec)) {
      problems.push(`${where}: src/${layer} may not import the package '${spec}' (allowed: ${packages[layer].join(', ') || 'none'}).`);
    }
  }
}
if (problems.length) { console.error(problems.join('\n')); console.error(`\n${problems.length} layering problem(s).`); process.exit(1); }
console.log(`layers ok (${files.length} files)`);
