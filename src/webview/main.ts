// Entry point of the lineage webview bundle (dist/webview.js). It builds the page, listens for the
// host's messages, and only then says `ready`, so the host never posts into a deaf page.
import type { HostToWebview } from '../shared/webviewProtocol';
import { connectHost } from './vscodeApi';
import { LineageView } from './view';
import { placementFromPage, workerUrlFromPage } from './layoutClient';

// A record, not a list, so that a new host message type fails to compile until it is added here.
const HOST_MESSAGES: Readonly<Record<HostToWebview['type'], true>> = { graph: true, status: true, runEvent: true, activeAsset: true, partitionStatus: true, userRuns: true };

function start(): void {
  const host = connectHost();
  const view = new LineageView(host, document.body, workerUrlFromPage(), placementFromPage() === 'sidebar');
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    if (isHostMessage(ev.data)) dispatch(view, ev.data);
  });
  host.post({ type: 'ready' });
}

/** Only messages shaped like the protocol reach the switch; anything else is ignored. */
function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && Object.hasOwn(HOST_MESSAGES, String((data as { type?: unknown }).type));
}

function dispatch(view: LineageView, msg: HostToWebview): void {
  switch (msg.type) {
    case 'graph': view.setGraph(msg.graph); break;
    case 'status': view.setStatus(msg.materializations, msg.stale, msg.observed); break;
    case 'runEvent': view.applyRunEvent(msg.event); break;
    case 'activeAsset': view.setActive(msg.key); break;
    case 'partitionStatus': view.setPartitionStatus(msg); break;
    case 'userRuns': view.setUserRuns(msg.running); break;
    default: unreachable(msg);
  }
}

function unreachable(msg: never): void {
  console.warn('Asset Lens: unhandled message', msg);
}

start();
