// Which asset the active editor shows, so the lineage view can highlight it. Asked of the server
// when the editor or the cursor's line changes, after a short pause (cursor moves come in bursts).
import * as vscode from 'vscode';
import { AssetAtRequest } from '../shared/protocol';
import type { AssetKeyString } from '../shared/dto';
import type { ServerClient } from './client';

const delayMs = 150;

export class ActiveAsset implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<AssetKeyString | undefined>();
  readonly onDidChange = this.emitter.event;
  private current: AssetKeyString | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  /** The asset the active editor shows now; undefined: none (or not known yet). */
  get asset(): AssetKeyString | undefined {
    return this.current;
  }

  constructor(private readonly server: ServerClient) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      server.onDidChangeGraph(() => this.schedule()),
    ];
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  private async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    // Focus moving to the lineage panel or a terminal leaves no text editor; keep the last asset.
    if (!editor) return;
    let key: AssetKeyString | undefined;
    if (editor.document.uri.scheme === 'file') {
      const r = await this.server.request(AssetAtRequest, { uri: editor.document.uri.toString(), line: editor.selection.active.line }).catch(() => ({ key: undefined }));
      key = r.key;
    }
    if (key === this.current) return;
    this.current = key;
    this.emitter.fire(key);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
