// The right-click menu on a node or on a selection. Materialize items act on every selected asset
// (one message with all keys); Open and Copy Key on the node clicked. The title is set through
// textContent, so a hostile name stays text.
import type { WebviewToHost } from '../shared/webviewProtocol';

/** What the menu was opened on. */
export interface MenuTarget {
  /** The node right-clicked. */
  readonly key: string;
  /** The assets the materialize items act on: the selection when `key` is in it, else `key`. */
  readonly keys: readonly string[];
  /** Whether Show Partitions applies. */
  readonly partitioned: boolean;
  /** Whether the node clicked has a run to show (Show Last Run). */
  readonly ran: boolean;
  /** Whether some asset acted on is an incremental model (Materialize with Full Refresh). */
  readonly incremental: boolean;
}

export interface MenuActions {
  post(message: WebviewToHost): void;
  showPartitions(keys: readonly string[]): void;
}

interface MenuItem {
  /** Stable hook for tests and CSS. */
  readonly action: string;
  readonly label: string;
  readonly run: (t: MenuTarget, on: MenuActions) => void;
  readonly when?: (t: MenuTarget) => boolean;
}

const materialize = (scope: 'this' | 'upstream' | 'downstream') => (t: MenuTarget, on: MenuActions): void =>
  on.post({ type: 'materialize', keys: t.keys, scope });

const ITEMS: readonly (MenuItem | 'separator')[] = [
  { action: 'materialize', label: 'Materialize', run: materialize('this') },
  { action: 'materialize-upstream', label: 'Materialize Upstream', run: materialize('upstream') },
  { action: 'materialize-downstream', label: 'Materialize Downstream', run: materialize('downstream') },
  {
    action: 'materialize-full-refresh', label: 'Materialize (Full Refresh)', when: (t) => t.incremental,
    run: (t, on) => on.post({ type: 'materialize', keys: t.keys, scope: 'this', fullRefresh: true }),
  },
  'separator',
  { action: 'show-partitions', label: 'Show Partitions', run: (t, on) => on.showPartitions(t.keys), when: (t) => t.partitioned },
  { action: 'open', label: 'Open Definition', run: (t, on) => on.post({ type: 'open', key: t.key }) },
  { action: 'show-run', label: 'Show Last Run', run: (t, on) => on.post({ type: 'showRun', key: t.key }), when: (t) => t.ran },
  { action: 'show-compiled-sql', label: 'Show Compiled SQL', run: (t, on) => on.post({ type: 'showCompiledSql', key: t.key }) },
  { action: 'copy-key', label: 'Copy Key', run: (t, on) => on.post({ type: 'copyKey', key: t.key }) },
];

export interface ContextMenu {
  open(target: MenuTarget, clientX: number, clientY: number): void;
  close(): void;
}

export function createMenu(parent: HTMLElement, actions: MenuActions): ContextMenu {
  const el = document.createElement('div');
  el.id = 'context-menu';
  el.className = 'context-menu';
  el.setAttribute('role', 'menu');
  el.hidden = true;
  const title = el.appendChild(document.createElement('div'));
  title.className = 'menu-title';
  let current: MenuTarget | undefined;
  const close = (): void => { el.hidden = true; current = undefined; };
  const buttons = new Map<MenuItem, HTMLButtonElement>();
  for (const item of ITEMS) {
    if (item === 'separator') { el.appendChild(separator()); continue; }
    buttons.set(item, el.appendChild(button(item, () => {
      const target = current;
      close();
      if (target !== undefined) item.run(target, actions);
    })));
  }
  el.addEventListener('keydown', (ev) => onMenuKey(el, ev, close));
  parent.appendChild(el);
  document.addEventListener('mousedown', (ev) => { if (!el.contains(ev.target as Node)) close(); }, true);
  window.addEventListener('blur', close);
  window.addEventListener('resize', close);
  return {
    open(target, x, y) {
      current = target;
      title.textContent = target.keys.length > 1 ? `${target.keys.length} selected assets` : target.key;
      for (const [item, b] of buttons) b.hidden = item.when ? !item.when(target) : false;
      el.hidden = false;
      // Keep the whole menu inside the view, flipping it to the left or up near an edge.
      el.style.left = `${Math.max(0, x + el.offsetWidth > innerWidth ? x - el.offsetWidth : x)}px`;
      el.style.top = `${Math.max(0, y + el.offsetHeight > innerHeight ? y - el.offsetHeight : y)}px`;
      el.querySelector<HTMLButtonElement>('button:not([hidden])')?.focus();
    },
    close,
  };
}

function button(item: MenuItem, run: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'menu-item';
  b.dataset['action'] = item.action;
  b.setAttribute('role', 'menuitem');
  b.textContent = item.label;
  b.addEventListener('click', run);
  return b;
}

function separator(): HTMLElement {
  const s = document.createElement('div');
  s.className = 'menu-separator';
  s.setAttribute('role', 'separator');
  return s;
}

/** Arrow keys move between items, Escape closes; Enter and Space are the buttons' own. */
function onMenuKey(el: HTMLElement, ev: KeyboardEvent, close: () => void): void {
  const items = [...el.querySelectorAll<HTMLButtonElement>('button:not([hidden])')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (ev.key === 'Escape') close();
  else if (ev.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
  else if (ev.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
  else return;
  ev.preventDefault();
}
