// package.json `contributes` against the extension's sources: every contributed command is
// registered, every registered command is contributed, and menus, views and code lenses name only
// things that exist. The extension imports `vscode`, so its sources are read as text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lensCommands } from '../../src/server/codeLens';
import { showRunCommand } from '../../src/server/features';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string; name: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[]; panel?: { id: string; title: string }[] };
    configuration: { properties: Record<string, { default: unknown }> };
  };
};
const contributed = pkg.contributes.commands.map((c) => c.command).sort();
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const commandFiles = readdirSync(join(root, 'src/extension/commands')).filter((f) => f.endsWith('.ts'));

/** Command ids registered by the extension: CommandSpec ids wired in main.ts, plus any direct registerCommand. */
function registeredIds(): string[] {
  const main = read('src/extension/main.ts');
  const table = /const commands: readonly CommandSpec\[\] = \[([^\]]*)\]/.exec(main)?.[1] ?? '';
  const wired = new Set(table.split(',').map((s) => s.trim()).filter(Boolean));
  const ids: string[] = [];
  for (const f of commandFiles) {
    const text = read(`src/extension/commands/${f}`);
    const spec = /export const (\w+): CommandSpec = \{\s*id: '([^']+)'/.exec(text);
    assert.ok(spec, `commands/${f} exports one CommandSpec with a literal id`);
    assert.ok(wired.has(spec[1]!), `main.ts registers ${spec[1]} (commands/${f})`);
    ids.push(spec[2]!);
  }
  const direct = readdirSync(join(root, 'src/extension'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...read(`src/extension/${f}`).matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]!));
  return [...ids, ...direct].sort();
}

test('every contributed command is registered, and every registered command is contributed', () => {
  assert.deepEqual(registeredIds(), contributed);
});

test('the five user-facing commands have the titles users look for', () => {
  const titles = new Map(pkg.contributes.commands.map((c) => [c.command, c.title]));
  assert.equal(titles.get('assetLens.materialize'), 'Asset Lens: Materialize');
  assert.equal(titles.get('assetLens.materializeUpstream'), 'Asset Lens: Materialize Upstream');
  assert.equal(titles.get('assetLens.materializeDownstream'), 'Asset Lens: Materialize Downstream');
  assert.equal(titles.get('assetLens.showLineage'), 'Asset Lens: Show Lineage');
  assert.equal(titles.get('assetLens.refresh'), 'Asset Lens: Refresh');
});

test('Show Compiled SQL and Show Runs have their titles, and the hover links only to a contributed, trusted command', () => {
  const titles = new Map(pkg.contributes.commands.map((c) => [c.command, c.title]));
  assert.equal(titles.get('assetLens.showCompiledSql'), 'Asset Lens: Show Compiled SQL');
  assert.equal(titles.get('assetLens.showRuns'), 'Asset Lens: Show Runs');
  assert.ok(contributed.includes(showRunCommand), `the hover's ${showRunCommand} is contributed`);
  assert.match(read('src/extension/commands/showRuns.ts'), new RegExp(`id: '${showRunCommand}'`));
  assert.match(read('src/extension/client.ts'), /isTrusted: \{ enabledCommands: \[showRuns\.id\] \}/, 'hover Markdown trusts that one command');
  // Commands that need an argument are kept out of the palette.
  const hidden = (pkg.contributes.menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command).sort();
  assert.deepEqual(hidden, ['assetLens.openAsset', 'assetLens.showOlderRuns']);
});

test('menus name contributed commands and existing views', () => {
  const views = new Set(Object.values(pkg.contributes.views).flat().map((v) => v.id));
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) {
      assert.ok(contributed.includes(item.command), `${menu} names ${item.command}, which is contributed`);
      for (const m of (item.when ?? '').matchAll(/view == ([\w.]+)/g)) assert.ok(views.has(m[1]!), `${menu} names the view ${m[1]}`);
    }
  }
  const editor = pkg.contributes.menus['editor/context']!.map((i) => i.command).sort();
  assert.deepEqual(editor, ['assetLens.materialize', 'assetLens.materializeDownstream', 'assetLens.materializeFullRefresh', 'assetLens.materializeUpstream', 'assetLens.showCompiledSql']);
});

test('the lineage view lives in the Asset Lens activity bar container, the Runs view in the bottom panel, and the lens commands exist', () => {
  assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c) => c.id), ['assetLens']);
  assert.deepEqual(pkg.contributes.views.assetLens?.map((v) => v.id), ['assetLens.lineage']);
  assert.deepEqual(pkg.contributes.viewsContainers.panel?.map((c) => [c.id, c.title]), [['assetLensRuns', 'Asset Runs']]);
  assert.deepEqual(pkg.contributes.views.assetLensRuns?.map((v) => [v.id, v.name]), [['assetLens.runs', 'Runs']]);
  assert.match(read(pkg.contributes.viewsContainers.activitybar[0]!.icon), /^<svg/);
  for (const c of lensCommands) assert.ok(contributed.includes(c.command), `the code lens command ${c.command} is contributed`);
});

test('activation is lazy: only workspaceContains (and the view) activate the extension', () => {
  for (const e of pkg.activationEvents) assert.match(e, /^(workspaceContains:|onView:assetLens\.)/);
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/dbt_project.yml'));
});

test('the settings the extension reads are declared with their defaults', () => {
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['assetLens.warehouse']?.default, '.assetlens/warehouse.duckdb');
  assert.equal(props['assetLens.threads']?.default, 4);
  const config = read('src/extension/config.ts');
  for (const key of Object.keys(props)) assert.ok(config.includes(`'${key.split('.')[1]}'`), `config.ts reads ${key}`);
});
