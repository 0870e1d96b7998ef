// The canvas cannot use CSS variables, so the colours are read from the stylesheet's computed
// custom properties, once per theme (VS Code swaps the body's theme class when the user switches).
import type { DisplayStatus } from './status';

export interface Palette {
  readonly edge: string;
  readonly accent: string;
  readonly match: string;
  readonly nodeBg: string;
  readonly border: string;
  readonly text: string;
  readonly muted: string;
  readonly font: string;
  readonly status: Readonly<Record<DisplayStatus, string>>;
  /** Partition matrix cell colours by state. */
  readonly partition: Readonly<Record<'missing' | 'materialized' | 'failed' | 'stale' | 'running', string>>;
}

export function readPalette(): Palette {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const ok = v('--al-ok', '#73c991');
  const never = v('--al-never', '#8c8c8c');
  const error = v('--al-error', '#f14c4c');
  const warn = v('--al-warn', '#cca700');
  const running = v('--al-running', '#3794ff');
  const stale = v('--al-stale', '#d18616');
  return {
    edge: v('--al-edge', '#9d9d9d'),
    accent: v('--al-accent', '#007fd4'),
    match: warn,
    nodeBg: v('--al-node-bg', '#252526'),
    border: v('--al-node-border', '#454545'),
    text: v('--al-text', '#cccccc'),
    muted: v('--al-muted', '#9d9d9d'),
    font: css.fontFamily || 'sans-serif',
    status: {
      never, observed: ok, materialized: ok, stale, 'checks-failing': warn, failed: error, running, queued: running, skipped: never, cancelled: never,
    },
    partition: { missing: v('--al-missing', '#3a3d41'), materialized: ok, failed: error, stale, running },
  };
}

/** Calls `onChange` when the theme changes: VS Code rewrites the body's class and style. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  new MutationObserver(onChange).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
