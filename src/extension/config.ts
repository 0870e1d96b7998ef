// Every setting the extension reads, in one place and typed. The server gets them once, as
// initializationOptions; a change to one of them restarts the server.
import * as vscode from 'vscode';
import type { ServerInitOptions } from '../shared/protocol';

const section = 'assetLens';
export const defaultWarehouse = '.assetlens/warehouse.duckdb';
export const defaultThreads = 4;
/** `assetLens.automation.*`: the automation settings. */
const automationGroup = 'automation';

export class Config {
  /** Warehouse path relative to the workspace root, used when no dbt profile names one. */
  get warehouse(): string {
    const v = vscode.workspace.getConfiguration(section).get<string>('warehouse');
    return typeof v === 'string' && v.trim() ? v.trim() : defaultWarehouse;
  }

  /** Upper bound on steps run at once. */
  get threads(): number {
    const v = vscode.workspace.getConfiguration(section).get<number>('threads');
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : defaultThreads;
  }

  /** `assetLens.automation.enabled`: off unless the user turns it on. */
  get automation(): boolean {
    return vscode.workspace.getConfiguration(section).get<boolean>(`${automationGroup}.enabled`) === true;
  }

  /** Flips automation in the workspace's settings (the server restarts with it). */
  async setAutomation(on: boolean): Promise<void> {
    await vscode.workspace.getConfiguration(section).update(`${automationGroup}.enabled`, on, vscode.ConfigurationTarget.Workspace);
  }

  /** What the server is started with; trust is read at each (re)start. */
  serverOptions(): ServerInitOptions {
    return { trusted: vscode.workspace.isTrusted, warehouse: this.warehouse, threads: this.threads, automation: this.automation };
  }

  affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${section}.warehouse`) || e.affectsConfiguration(`${section}.threads`) || e.affectsConfiguration(`${section}.automation.enabled`);
  }
}
