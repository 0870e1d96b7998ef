// The Python parser port implemented with web-tree-sitter and the tree-sitter-python grammar (wasm:
// no native build, same binary everywhere). Loaded once per process; parsing is synchronous.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, Language } from 'web-tree-sitter';
import type { PyNode } from '../core/python/pyEval';

export type ParsePython = (text: string) => PyNode | undefined;

let loading: Promise<ParsePython> | undefined;

/** Finds a wasm file beside the bundle (dist/) or in its npm package (tests, development). */
function locate(file: string, pkg: string): string {
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  // Both packages export their wasm file by name (web-tree-sitter's exports list nothing else).
  return require.resolve(`${pkg}/${file}`);
}

export function loadPythonParser(): Promise<ParsePython> {
  return (loading ??= (async () => {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter') });
    const language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    const parser = new Parser();
    parser.setLanguage(language);
    return (text: string) => (parser.parse(text)?.rootNode as unknown as PyNode | undefined) ?? undefined;
  })());
}
