// Read-only editors of compiled SQL: one virtual document per asset (`assetlens-compiled:`),
// titled with the asset key, its text the SQL the runner would send. Showing an asset again asks
// the server again and updates the open document in place.
import * as vscode from 'vscode';
import { CompiledSqlRequest, LocateRequest } from '../shared/protocol';
import type { AssetKeyString } from '../shared/dto';
import type { ServerClient } from './client';

export const COMPILED_SCHEME = 'assetlens-compiled';

export const untrustedCompileMessage =
  'Asset Lens: compiled SQL is not shown in Restricted Mode, because rendering the Jinja runs the project\'s macros. Trust this workspace to see it.';

export class CompiledSqlDocs implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly server: ServerClient) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(COMPILED_SCHEME, {
      onDidChange: this.changed.event,
      provideTextDocumentContent: (uri) => this.texts.get(uri.toString()) ?? '-- Run "Asset Lens: Show Compiled SQL" on the asset again.\n',
    });
  }

  /** Asks the server for the asset's compiled SQL and shows it beside the current editor; errors become notifications. */
  async show(key: AssetKeyString): Promise<void> {
    let sql: string;
    try {
      sql = (await this.server.request(CompiledSqlRequest, { key })).sql;
    } catch (e) {
      await this.showError(key, e instanceof Error ? e.message : String(e));
      return;
    }
    const uri = uriOf(key);
    const had = this.texts.has(uri.toString());
    this.texts.set(uri.toString(), sql);
    if (had) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'sql') await vscode.languages.setTextDocumentLanguage(doc, 'sql');
    // Shown again where it already is, so re-running the command from the compiled editor updates it in place.
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    await vscode.window.showTextDocument(doc, { viewColumn: open?.viewColumn ?? vscode.ViewColumn.Beside, preview: false });
  }

  /**
   * A template error names its file and line ("Jinja error in models/x.sql line 12: …"): the
   * notification says so and offers to open that line.
   */
  private async showError(key: AssetKeyString, message: string): Promise<void> {
    const at = /\bin (\S+) line (\d+):/.exec(message);
    const open = at ? `Open ${at[1]}:${at[2]}` : undefined;
    const chosen = await vscode.window.showErrorMessage(`Asset Lens: cannot compile ${key}: ${message}`, ...(open ? [open] : []));
    if (!at || chosen !== open) return;
    const where = await this.server.request(LocateRequest, { key });
    const folder = where.uri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(where.uri)) : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const line = Math.max(0, Number(at[2]) - 1);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, at[1]!), { selection: new vscode.Range(line, 0, line, 0) });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

const suffix = ' (compiled).sql';

/**
 * One URI per asset; its last path segment is the tab's title, so the key's `/` become `∕`
 * (U+2215, which looks the same) and the title reads as the key.
 */
function uriOf(key: AssetKeyString): vscode.Uri {
  return vscode.Uri.from({ scheme: COMPILED_SCHEME, path: `/${key.replace(/\//g, '\u2215')}${suffix}` });
}

/** The asset a compiled-SQL editor shows; undefined for any other document. */
export function compiledKeyOf(uri: vscode.Uri): AssetKeyString | undefined {
  if (uri.scheme !== COMPILED_SCHEME || !uri.path.endsWith(suffix)) return undefined;
  return uri.path.slice(1, -suffix.length).replace(/\u2215/g, '/');
}
