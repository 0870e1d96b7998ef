// The one doorway from the webview to the extension host. VS Code injects `acquireVsCodeApi` before
// our script runs; it may be called only once, so this module calls it once and hands out a typed
// wrapper that accepts nothing but the messages declared in src/shared/webviewProtocol.ts.
import type { WebviewToHost } from '../shared/webviewProtocol';

/** What survives the webview being hidden and shown again (VS Code keeps it per view). */
export interface ViewState {
  /** The zoom transform; undefined until the user pans or zooms, then the view fits to content. */
  readonly transform?: { readonly k: number; readonly x: number; readonly y: number };
  /** The selected asset key; undefined when nothing is selected. */
  readonly selected?: string;
  /** The search box text; empty or undefined when not filtering. */
  readonly search?: string;
  /** Toolbar toggles; undefined: off (focus depth: 2). */
  readonly filter?: boolean;
  readonly focus?: boolean;
  readonly depth?: number;
  /** Collapsed clusters by name; undefined or empty: all expanded. */
  readonly collapsed?: readonly string[];
}

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface HostApi {
  post(message: WebviewToHost): void;
  /** The saved state, or an empty state on first open. */
  state(): ViewState;
  /** Merges `patch` into the saved state. */
  saveState(patch: Partial<ViewState>): void;
}

export function connectHost(): HostApi {
  const raw = acquireVsCodeApi();
  let current = asViewState(raw.getState());
  return {
    post: (message) => raw.postMessage(message),
    state: () => current,
    saveState: (patch) => {
      current = { ...current, ...patch };
      raw.setState(current);
    },
  };
}

// Saved state comes from an earlier version of this script, so its shape is checked, not trusted.
function asViewState(value: unknown): ViewState {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const t = v['transform'] as Record<string, unknown> | undefined;
  const transform = t && [t['k'], t['x'], t['y']].every((n) => typeof n === 'number' && Number.isFinite(n))
    ? { k: t['k'] as number, x: t['x'] as number, y: t['y'] as number }
    : undefined;
  return {
    ...(transform ? { transform } : {}),
    ...(typeof v['selected'] === 'string' ? { selected: v['selected'] } : {}),
    ...(typeof v['search'] === 'string' ? { search: v['search'] } : {}),
    ...(typeof v['filter'] === 'boolean' ? { filter: v['filter'] } : {}),
    ...(typeof v['focus'] === 'boolean' ? { focus: v['focus'] } : {}),
    ...(typeof v['depth'] === 'number' && v['depth'] > 0 ? { depth: v['depth'] } : {}),
    ...(Array.isArray(v['collapsed']) ? { collapsed: v['collapsed'].filter((c): c is string => typeof c === 'string') } : {}),
  };
}
