// Entry point of dist/layoutWorker.js: lays out graphs off the webview's UI thread. It answers each
// request with the same pure function the page falls back to, so both give the same picture.
import type { LayoutRequest, LayoutResponse } from './layoutClient';
import { layoutDag } from './layout';

// A worker's global scope: typed by hand, because the webview's tsconfig has the DOM lib only.
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
};

scope.onmessage = (ev) => {
  const { id, input, options } = ev.data;
  try {
    scope.postMessage({ id, layout: layoutDag(input, options) });
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
