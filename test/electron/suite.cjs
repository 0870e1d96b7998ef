// In-host tests: run inside the extension host (test-electron, or code-server with the
// extensionTestsPath payload). Plain CommonJS so either host can load it without a build step.
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function waitFor(what, fn, ms = 30000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('asset-lens.asset-lens');
  assert.ok(ext, 'the extension is installed');
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['assetLens.materialize', 'assetLens.materializeUpstream', 'assetLens.materializeDownstream', 'assetLens.showLineage', 'assetLens.refresh']) {
    assert.ok(commands.includes(id), `command ${id} is registered`);
  }
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'models/orders.sql'));
  await vscode.window.showTextDocument(doc);
  const line = doc.getText().split('\n').findIndex((l) => l.includes("ref('stg_orders')"));
  const pos = new vscode.Position(line, doc.lineAt(line).text.indexOf('stg_orders') + 2);
  const hovers = await waitFor('a hover from the language server', async () => {
    const h = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
    return h && h.length ? h : undefined;
  });
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /stg\\?_orders/);
  const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, pos);
  const target = defs[0].targetUri ?? defs[0].uri;
  assert.match(target.path, /models\/staging\/stg_orders\.sql$/);
};
