// The status bar item: the asset count, or the run in progress with its step. Clicking it shows
// the lineage, or during a run cancels it.
import * as vscode from 'vscode';
import type { StepEvent } from '../shared/dto';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('assetLens.status', vscode.StatusBarAlignment.Left, 10);
  private assets: number | undefined;
  private automation = false;
  private run: { selection: string; done: number; total?: number; current?: string } | undefined;

  constructor() {
    this.item.name = 'Asset Lens';
    this.render();
    this.item.show();
  }

  setAssetCount(n: number | undefined): void {
    this.assets = n;
    this.render();
  }

  /** Shown as a bolt beside the count, so a user sees that runs may start on their own. */
  setAutomation(on: boolean): void {
    this.automation = on;
    this.render();
  }

  startRun(selection: string): void {
    this.run = { selection, done: 0 };
    this.render();
  }

  step(e: StepEvent): void {
    if (!this.run) return;
    this.run.total = e.total;
    if (e.status === 'running') this.run.current = e.key;
    else if (e.status !== 'pending') this.run.done++;
    this.render();
  }

  endRun(): void {
    this.run = undefined;
    this.render();
  }

  private render(): void {
    const r = this.run;
    if (r) {
      this.item.text = `$(sync~spin) ${r.selection}${r.total ? ` ${r.done}/${r.total}` : ''}`;
      this.item.tooltip = `Asset Lens: materializing ${r.selection}${r.current ? ` (${r.current})` : ''} — click to cancel`;
      this.item.command = 'assetLens.cancelRun';
    } else {
      this.item.command = 'assetLens.showLineage';
      this.item.text = `$(type-hierarchy) ${this.assets === undefined ? '…' : `${this.assets} asset${this.assets === 1 ? '' : 's'}`}${this.automation ? ' $(zap)' : ''}`;
      this.item.tooltip = `Asset Lens: show the lineage${this.automation ? ' (automation is on)' : ''}`;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
