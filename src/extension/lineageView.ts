// The host side of the lineage webview: a sidebar view (`assetLens.lineage`) and an editor-tab
// panel that share one HTML function and one message relay. The relay posts nothing until the
// webview says `ready`, then sends the graph and statuses and forwards changes and run events.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ObservedSourceDto } from '../shared/protocol';
import type { AssetKeyString, GraphDto, MaterializationDto, StepEvent } from '../shared/dto';
import type { HostToWebview, MaterializeScope, PartitionStatusMessage, StaleAsset, WebviewToHost } from '../shared/webviewProtocol';

export const LINEAGE_VIEW_ID = 'assetLens.lineage';
export const LINEAGE_PANEL_TYPE = 'assetLens.lineagePanel';

/** What the lineage view needs from the rest of the extension (in practice, the language server). */
export interface LineageHost {
  /** The whole graph; a rejection is shown in the view as a problem. */
  getGraph(): Promise<GraphDto>;
  /** The last materialization of each asset; assets never materialized are absent. */
  getStatus(): Promise<readonly MaterializationDto[]>;
  /** Runs `keys` with `scope`; `partition` set: only that partition of each asset. */
  materialize(keys: string[], scope: MaterializeScope, partition?: string, fullRefresh?: boolean): void;
  /** Opens the asset's definition in an editor. */
  open(key: string): void;
  /** Shows the asset's last run in the Runs view; optional (the menu item then does nothing). */
  showRun?(key: string): void;
  /** Shows the asset's compiled SQL in an editor; optional (the menu item then does nothing). */
  showCompiledSql?(key: string): void;
  /** Stale assets and why, and sources' observations; optional until the server evaluates staleness (then nothing shows stale). */
  getStaleness?(): Promise<{ readonly stale: readonly StaleAsset[]; readonly observed?: readonly ObservedSourceDto[] }>;
  /** The partition matrix of `keys`; optional until the partitions engine lands (the matrix says so). */
  getPartitionStatus?(keys: readonly string[]): Promise<Omit<PartitionStatusMessage, 'type'>>;
  /** Materializes partitions `from`..`to` (inclusive) of `keys`, one step per partition. */
  backfill?(keys: readonly string[], from: string, to: string): void;
  /** Fires when stored partition states changed, so an open matrix is sent again. */
  onDidChangePartitions?: vscode.Event<void>;
  onDidChangeGraph: vscode.Event<void>;
  onDidChangeStatus: vscode.Event<void>;
  onRunEvent: vscode.Event<StepEvent>;
  /** How many runs this window started are in progress, and when that changes; optional (no Cancel button then). */
  userRuns?(): number;
  onDidChangeUserRuns?: vscode.Event<number>;
  /** Cancels the runs this window started. */
  cancelRuns?(): void;
  /** The asset shown in the active editor (undefined: none); optional until the client tracks it. */
  onDidChangeActiveAsset?: vscode.Event<AssetKeyString | undefined>;
  /** The active editor's asset now, for a view opened after the editor was. */
  activeAsset?(): AssetKeyString | undefined;
}

export function registerLineageView(context: vscode.ExtensionContext, host: LineageHost): vscode.Disposable {
  const live = new Set<vscode.Disposable>();
  const registration = vscode.window.registerWebviewViewProvider(LINEAGE_VIEW_ID, {
    resolveWebviewView(view) {
      configureWebview(view.webview, context.extensionUri, 'sidebar');
      const relay = connectLineage(view.webview, host);
      live.add(relay);
      view.onDidDispose(() => { relay.dispose(); live.delete(relay); });
    },
  });
  return new vscode.Disposable(() => {
    registration.dispose();
    for (const relay of live) relay.dispose();
    live.clear();
  });
}

let panel: vscode.WebviewPanel | undefined;

/** Opens the lineage in an editor tab, or reveals the one already open. */
export function openLineagePanel(context: vscode.ExtensionContext, host: LineageHost): vscode.WebviewPanel {
  if (panel) {
    panel.reveal();
    return panel;
  }
  const created = vscode.window.createWebviewPanel(LINEAGE_PANEL_TYPE, 'Asset Lineage', vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
  configureWebview(created.webview, context.extensionUri, 'editor');
  const relay = connectLineage(created.webview, host);
  created.onDidDispose(() => { relay.dispose(); panel = undefined; });
  context.subscriptions.push(created);
  panel = created;
  return created;
}

/** Scripts on, and the page may load files from dist and media only. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Where a lineage view is shown: the side bar starts focused on the active editor's asset. */
export type LineagePlacement = 'sidebar' | 'editor';

function configureWebview(webview: vscode.Webview, extensionUri: vscode.Uri, placement: LineagePlacement): void {
  webview.options = webviewOptions(extensionUri);
  webview.html = lineageHtml(webview, extensionUri, placement);
}

/** The one HTML page of the lineage view: strict CSP, one nonce script, no inline code. */
export function lineageHtml(webview: Pick<vscode.Webview, 'asWebviewUri' | 'cspSource'>, extensionUri: vscode.Uri, placement: LineagePlacement = 'editor'): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString();
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'lineage.css')).toString();
  const worker = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'layoutWorker.js')).toString();
  const src = webview.cspSource;
  // The layout worker's script is fetched (connect-src) and started from a blob, because a webview
  // may not start a worker from its resource origin directly; neither allows inline code.
  const csp = [
    `default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${src}`, `img-src ${src} data:`, `font-src ${src}`,
    `connect-src ${src}`, `worker-src ${src} blob:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="asset-lens-layout-worker" content="${attr(worker)}">
<meta name="asset-lens-placement" content="${attr(placement)}">
<link rel="stylesheet" href="${attr(style)}">
<title>Asset Lineage</title>
</head>
<body>
<script nonce="${attr(nonce)}" src="${attr(script)}"></script>
</body>
</html>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The slice of a webview the relay talks to, so tests can hand it a fake. */
export type LineageWebview = Pick<vscode.Webview, 'postMessage' | 'onDidReceiveMessage'>;

/** Relays between one webview and the host until disposed. */
export function connectLineage(webview: LineageWebview, host: LineageHost): vscode.Disposable {
  let ready = false;
  let active = host.activeAsset?.();
  const latest = { graph: 0, status: 0, partitions: 0 };
  let partitionKeys: readonly string[] | undefined;
  const post = (message: HostToWebview): void => { if (ready) void webview.postMessage(message); };
  // A slow answer must not overwrite a newer one, so each send remembers its generation.
  const sendGraph = async (): Promise<void> => {
    const gen = ++latest.graph;
    const graph = await loadGraph(host);
    if (gen === latest.graph) post({ type: 'graph', graph });
  };
  const sendStatus = async (): Promise<void> => {
    const gen = ++latest.status;
    const [materializations, states] = await Promise.all([
      host.getStatus().catch((e: unknown) => { console.error('Asset Lens: status failed', e); return undefined; }),
      host.getStaleness?.().catch((e: unknown) => { console.error('Asset Lens: staleness failed', e); return undefined; }),
    ]);
    if (materializations && gen === latest.status) post({ type: 'status', materializations, ...(states ? { stale: states.stale, ...(states.observed ? { observed: states.observed } : {}) } : {}) });
  };
  const sendPartitions = async (keys: readonly string[]): Promise<void> => {
    partitionKeys = keys;
    const gen = ++latest.partitions;
    const matrix = host.getPartitionStatus
      ? await host.getPartitionStatus(keys).catch((e: unknown) => { console.error('Asset Lens: partitions failed', e); return undefined; })
      : { partitionKeys: [], rows: [] };
    if (matrix && gen === latest.partitions) post({ type: 'partitionStatus', ...matrix });
  };
  const onReady = async (): Promise<void> => {
    ready = true;
    await sendGraph();
    await sendStatus();
    if (active !== undefined) post({ type: 'activeAsset', key: active });
    const running = host.userRuns?.() ?? 0;
    if (running) post({ type: 'userRuns', running });
  };
  const subscriptions = [
    webview.onDidReceiveMessage((raw: unknown) => {
      if (isWebviewMessage(raw)) handleMessage(raw, host, { onReady, refresh: () => { void sendGraph(); void sendStatus(); }, partitions: sendPartitions });
    }),
    ...(host.onDidChangePartitions ? [host.onDidChangePartitions(() => { if (partitionKeys) void sendPartitions(partitionKeys); })] : []),
    host.onDidChangeGraph(() => void sendGraph()),
    host.onDidChangeStatus(() => void sendStatus()),
    host.onRunEvent((event) => post({ type: 'runEvent', event })),
    ...(host.onDidChangeActiveAsset ? [host.onDidChangeActiveAsset((key) => { active = key; post({ type: 'activeAsset', key }); })] : []),
    ...(host.onDidChangeUserRuns ? [host.onDidChangeUserRuns((running) => post({ type: 'userRuns', running }))] : []),
  ];
  return new vscode.Disposable(() => { for (const s of subscriptions) s.dispose(); });
}

/** What the relay does for the messages that concern the relay itself rather than the host. */
interface RelayActions {
  onReady(): Promise<void>;
  refresh(): void;
  partitions(keys: readonly string[]): Promise<void>;
}

function handleMessage(msg: WebviewToHost, host: LineageHost, relay: RelayActions): void {
  switch (msg.type) {
    case 'ready': void relay.onReady(); break;
    case 'open': host.open(msg.key); break;
    case 'materialize':
      if (msg.fullRefresh) host.materialize([...msg.keys], msg.scope, msg.partition, true);
      else if (msg.partition === undefined) host.materialize([...msg.keys], msg.scope);
      else host.materialize([...msg.keys], msg.scope, msg.partition);
      break;
    case 'refresh': relay.refresh(); break;
    case 'cancelRuns': host.cancelRuns?.(); break;
    case 'partitions': void relay.partitions([...msg.keys]); break;
    case 'backfill': host.backfill?.([...msg.keys], msg.from, msg.to); break;
    case 'showCompiledSql': host.showCompiledSql?.(msg.key); break;
    case 'showRun': host.showRun?.(msg.key); break;
    case 'copyKey':
      void vscode.env.clipboard.writeText(msg.key).then(() => vscode.window.setStatusBarMessage(`Copied ${msg.key}`, 2000));
      break;
    default: unreachable(msg);
  }
}

function unreachable(msg: never): void {
  console.error('Asset Lens: unhandled webview message', msg);
}

async function loadGraph(host: LineageHost): Promise<GraphDto> {
  try {
    return await host.getGraph();
  } catch (e) {
    const message = `Asset Lens could not load the graph: ${e instanceof Error ? e.message : String(e)}`;
    return { assets: [], diagnostics: [{ file: '', line: 0, severity: 'error', message }] };
  }
}

const SCOPES: ReadonlySet<string> = new Set<MaterializeScope>(['this', 'upstream', 'downstream']);

/** The webview is the less trusted side, so its messages are checked before they reach the switch. */
function isWebviewMessage(raw: unknown): raw is WebviewToHost {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as Record<string, unknown>;
  const keys = Array.isArray(m['keys']) && m['keys'].every((k) => typeof k === 'string');
  switch (m['type']) {
    case 'ready': case 'refresh': case 'cancelRuns': return true;
    case 'open': case 'copyKey': case 'showCompiledSql': case 'showRun': return typeof m['key'] === 'string';
    case 'materialize': return keys && SCOPES.has(String(m['scope'])) && (m['partition'] === undefined || typeof m['partition'] === 'string') &&
      (m['fullRefresh'] === undefined || typeof m['fullRefresh'] === 'boolean');
    case 'partitions': return keys;
    case 'backfill': return keys && typeof m['from'] === 'string' && typeof m['to'] === 'string';
    default: return false;
  }
}
