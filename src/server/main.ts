// The Asset Lens language server: `node dist/server.js --stdio` (or --node-ipc, as VS Code starts it).
// This file only wires LSP messages to the Server; the knowledge lives in the modules it calls.
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import {
  CodeLensRefreshRequest, createConnection, FileChangeType, ProposedFeatures, ResponseError, ErrorCodes,
  TextDocuments, TextDocumentSyncKind, type Connection, type FileEvent, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AutomationRunNotification, CancelRunNotification, GraphChangedNotification, RunEventNotification, RunWaitingNotification, StatusChangedNotification, type CancelRunParams, type CustomRequests } from '../shared/protocol';
import { readInitOptions } from './config';
import { customHandlers } from './custom';
import { codeLenses } from './codeLens';
import { completion, definition, documentSymbols, hover, targetFolder, workspaceSymbols } from './features';
import { Server, type ServerHooks } from './server';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let server: Server | undefined;
let canRefreshLenses = false;
let hearsFolderChanges = false;

connection.onInitialize((params): InitializeResult => {
  server = new Server(readInitOptions(params.initializationOptions), rootsOf(params), hooks(connection));
  canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  hearsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      codeLensProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: ["'", '"', '/'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'Asset Lens' },
  };
});

// Indexing starts after the handshake so the client is not kept waiting for the first reply.
connection.onInitialized(() => {
  void need().ready();
  // Folders added to or removed from a multi-root workspace are indexed or dropped as they come
  // (asking for the event throws when the client cannot send it).
  if (hearsFolderChanges) connection.workspace.onDidChangeWorkspaceFolders((e) => void need().change((ws) => {
    let changed = false;
    for (const r of rootsOf({ workspaceFolders: e.removed })) changed = ws.removeFolder(r.root) || changed;
    for (const r of rootsOf({ workspaceFolders: e.added })) changed = ws.addFolder(r) || changed;
    if (changed) need().automation.follow(ws.folders);
    return changed;
  }));
});

function need(): Server {
  if (!server) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'Asset Lens: the server is not initialized');
  return server;
}

/** Workspace folders, else the root URI; a server started on no folder indexes nothing. */
function rootsOf(params: Pick<InitializeParams, 'workspaceFolders'> & { rootUri?: string | null }): { name: string; root: string }[] {
  const folders = params.workspaceFolders?.map((f) => ({ name: f.name, uri: f.uri }))
    ?? (params.rootUri ? [{ name: '', uri: params.rootUri }] : []);
  return folders.filter((f) => f.uri.startsWith('file:')).map((f) => {
    const root = fileURLToPath(f.uri);
    return { name: f.name || basename(root), root };
  });
}

function hooks(conn: Connection): ServerHooks {
  const refreshLenses = () => { if (canRefreshLenses) void conn.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined); };
  return {
    publishDiagnostics: (uri, diagnostics) => void conn.sendDiagnostics({ uri, diagnostics }),
    onGraphChanged: () => { void conn.sendNotification(GraphChangedNotification); refreshLenses(); },
    onEvent: (e) => void conn.sendNotification(RunEventNotification, e),
    onWaiting: (runToken, message) => void conn.sendNotification(RunWaitingNotification, { runToken, message }),
    onStatusChanged: () => { void conn.sendNotification(StatusChangedNotification); refreshLenses(); },
    log: (m) => conn.console.log(m),
    onAutomationRun: (summary) => void conn.sendNotification(AutomationRunNotification, summary),
  };
}

documents.onDidChangeContent((e) => void need().change((ws) => ws.setOpenText(e.document.uri, e.document.getText())));
documents.onDidClose((e) => void need().change((ws) => ws.closeDocument(e.document.uri)));

connection.onDidChangeWatchedFiles(async (p) => {
  const s = need();
  const files: FileEvent[] = [];
  for (const c of p.changes) if (!(await s.storeChanged(c.uri))) files.push(c);
  await s.change((ws) => {
    let changed = false;
    for (const c of files) changed = (c.type === FileChangeType.Deleted ? ws.fileDeleted(c.uri) : ws.fileChanged(c.uri)) || changed;
    return changed;
  });
  for (const c of files) if (c.type !== FileChangeType.Deleted) void s.sourceFileChanged(c.uri);
});

connection.onHover(async (p) => {
  const s = need();
  const at = await s.locate(p.textDocument.uri);
  if (!at) return null;
  // A reference to another folder's asset shows that folder's runs.
  const folder = targetFolder(at, p.position.line, p.position.character);
  return hover(at, p.position.line, p.position.character, await s.status.get(folder), new Date(), await s.status.staleness(folder, Date.now())) ?? null;
});

connection.onCompletion(async (p) => {
  const at = await need().locate(p.textDocument.uri);
  return at ? completion(at, p.position.line, p.position.character) : [];
});

connection.onDefinition(async (p) => {
  const at = await need().locate(p.textDocument.uri);
  return (at && definition(at, p.position.line, p.position.character)) ?? null;
});

connection.onDocumentSymbol(async (p) => {
  const at = await need().locate(p.textDocument.uri);
  return at ? documentSymbols(at) : [];
});

connection.onWorkspaceSymbol(async (p) => workspaceSymbols(await need().ready(), p.query));

connection.onCodeLens(async (p) => {
  const s = need();
  const at = await s.locate(p.textDocument.uri);
  return at ? codeLenses(at, await s.status.get(at.folder), s.config.trusted, new Date(), await s.status.staleness(at.folder, Date.now())) : [];
});

// The custom requests: each handler returns a Result; a failure becomes a ResponseError whose
// message the client shows as is.
for (const [method, handler] of Object.entries(customHandlers(need))) {
  connection.onRequest(method, async (params: unknown, token) => {
    const aborted = new AbortController();
    token.onCancellationRequested(() => aborted.abort());
    const r = await (handler as (p: unknown, s: AbortSignal) => ReturnType<CustomHandler>)(params, aborted.signal);
    return r.ok ? r.value : new ResponseError(ErrorCodes.InvalidRequest, r.message);
  });
}
type CustomHandler = ReturnType<typeof customHandlers>[keyof CustomRequests];

connection.onNotification(CancelRunNotification, (p: CancelRunParams) => need().runs.cancel(p.runToken));

connection.onShutdown(() => server?.dispose());

documents.listen(connection);
connection.listen();
