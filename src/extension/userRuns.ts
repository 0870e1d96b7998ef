// The runs this window started (materialize, backfill) that are still going. Asset Lens: Cancel
// Run, the status bar item during a run and the lineage view's Cancel button cancel them all; the
// progress notification's own Cancel button cancels its run alone.
import * as vscode from 'vscode';
import { CancelRunNotification } from '../shared/protocol';
import type { ServerClient } from './client';

export class UserRuns implements vscode.Disposable {
  /** What each run token is running ("+customers"). */
  private readonly runs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<number>();
  /** Fires with how many runs are in progress whenever one starts or ends. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly server: ServerClient) {}

  get count(): number {
    return this.runs.size;
  }

  begin(runToken: string, what: string): void {
    this.runs.set(runToken, what);
    this.changed.fire(this.runs.size);
  }

  end(runToken: string): void {
    if (this.runs.delete(runToken)) this.changed.fire(this.runs.size);
  }

  /** Asks the server to cancel every run in progress; returns what they were running. */
  cancelAll(): string[] {
    for (const runToken of this.runs.keys()) void this.server.notify(CancelRunNotification, { runToken });
    return [...this.runs.values()];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
