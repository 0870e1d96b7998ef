// The right-click menu on a node. Each item posts one message; the asset's key is shown as its
// title through textContent, so a hostile name stays text.
import type { WebviewToHost } from '../shared/webviewProtocol';

interface MenuItem {
  /** Stable hook for tests and CSS. */
  readonly action: string;
  readonly label: string;
  readonly message: (key: string) => WebviewToHost;
}

const ITEMS: readonly (MenuItem | 'separator')[] = [
  { action: 'materialize', label: 'Materialize', message: (key) => ({ type: 'materialize', keys: [key], scope: 'this' }) },
  { action: 'materialize-upstream', label: 'Materialize Upstream', message: (key) => ({ type: 'materialize', keys: [key], scope: 'upstream' }) },
  { action: 'materialize-downstream', label: 'Materialize Downstream', message: (key) => ({ type: 'materialize', keys: [key], scope: 'downstream' }) },
  'separator',
  { action: 'open', label: 'Open Definition', message: (key) => ({ type: 'open', key }) },
  { action: 'copy-key', label: 'Copy Key', message: (key) => ({ type: 'copyKey', key }) },
];

export interface ContextMenu {
  open(key: string, clientX: number, clientY: number): void;
  close(): void;
}

export function createMenu(parent: HTMLElement, post: (message: WebviewToHost) => void): ContextMenu {
  const el = document.createElement('div');
  el.id = 'context-menu';
  el.className = 'context-menu';
  el.setAttribute('role', 'menu');
  el.hidden = true;
  const title = el.appendChild(document.createElement('div'));
  title.className = 'menu-title';
  let current: string | undefined;
  const close = (): void => { el.hidden = true; current = undefined; };
  for (const item of ITEMS) el.appendChild(item === 'separator' ? separator() : button(item, () => {
    const key = current;
    close();
    if (key !== undefined) post(item.message(key));
  }));
  el.addEventListener('keydown', (ev) => onMenuKey(el, ev, close));
  parent.appendChild(el);
  document.addEventListener('mousedown', (ev) => { if (!el.contains(ev.target as Node)) close(); }, true);
  window.addEventListener('blur', close);
  window.addEventListener('resize', close);
  return {
    open(key, x, y) {
      current = key;
      title.textContent = key;
      el.hidden = false;
      // Keep the whole menu inside the view, flipping it to the left or up near an edge.
      el.style.left = `${Math.max(0, x + el.offsetWidth > innerWidth ? x - el.offsetWidth : x)}px`;
      el.style.top = `${Math.max(0, y + el.offsetHeight > innerHeight ? y - el.offsetHeight : y)}px`;
      el.querySelector<HTMLButtonElement>('button')?.focus();
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
  const items = [...el.querySelectorAll<HTMLButtonElement>('button')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (ev.key === 'Escape') close();
  else if (ev.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
  else if (ev.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
  else return;
  ev.preventDefault();
}
