// The strip above the graph: the search box (selection syntax), Filter, Fit, Focus with its depth,
// Collapse groups, Show all, Materialize selection, Refresh, a problem count whose tooltip lists the
// workspace's diagnostics (as text), and the asset and edge counts.
import type { DiagnosticDto } from '../shared/dto';

export interface ToolbarHandlers {
  /** The search text changed; empty means no search. */
  search(query: string): void;
  /** Enter in the search box: show the matches. */
  reveal(): void;
  fit(): void;
  /** Filter on: only the matches are drawn. */
  filter(on: boolean): void;
  /** Focus on: only the active editor's asset and its neighbourhood to `depth` are drawn. */
  focus(on: boolean, depth: number): void;
  collapseGroups(on: boolean): void;
  showAll(): void;
  materializeSelection(): void;
  /** Cancel the runs this window started (the button shows while any is in progress). */
  cancelRuns(): void;
  refresh(): void;
}

export interface ToolbarState {
  readonly filter: boolean;
  readonly focus: boolean;
  /** Focus is on but the active editor shows no asset, so the whole graph is drawn. */
  readonly focusWaiting: boolean;
  readonly depth: number;
  readonly collapsed: boolean;
}

export interface Toolbar {
  readonly search: HTMLInputElement;
  setCounts(shown: number, total: number, edges: number): void;
  /** Shows how many assets match; undefined hides the count. */
  setMatches(matches: number | undefined): void;
  setProblems(diagnostics: readonly DiagnosticDto[]): void;
  setSelection(count: number): void;
  /** How many runs this window started are in progress: Cancel shows while there are any. */
  setUserRuns(running: number): void;
  setState(state: ToolbarState): void;
}

const ICONS = {
  fit: 'M1.5 5V1.5H5 M11 1.5h3.5V5 M14.5 11v3.5H11 M5 14.5H1.5V11 M5 5h6v6H5z',
  filter: 'M1.5 2.5h13l-5 6v5l-3 1.5v-6.5z',
  focus: 'M8 5.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5 M8 1v2.5 M8 12.5V15 M1 8h2.5 M12.5 8H15',
  collapse: 'M2 2.5h12v4H2z M2 9.5h12v4H2z M5 4.5h6 M5 11.5h6',
  all: 'M2 2h5v5H2z M9 2h5v5H9z M2 9h5v5H2z M9 9h5v5H9z',
  play: 'M4.5 2.5v11l9-5.5z',
  stop: 'M3.5 3.5h9v9h-9z',
  refresh: 'M13.5 8a5.5 5.5 0 1 1-1.6-3.9 M13.5 1.5v3h-3',
};
const DEPTHS = [1, 2, 3, 5, Infinity];

export function createToolbar(parent: HTMLElement, on: ToolbarHandlers): Toolbar {
  const bar = element('div', 'toolbar', parent);
  bar.id = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  const search = searchBox(bar, on);
  const matches = element('span', 'match-count', bar);
  matches.id = 'match-count';
  const filter = button(bar, 'filter', 'Filter', 'Show only the assets that match the search', ICONS.filter);
  const fit = button(bar, 'fit', 'Fit', 'Fit graph to view', ICONS.fit);
  element('span', 'divider', bar);
  const focusTitle = 'Show only the active editor\'s asset and its neighbours';
  const focus = button(bar, 'focus', 'Focus', focusTitle, ICONS.focus);
  const depth = depthPicker(bar);
  const collapse = button(bar, 'collapse', 'Collapse groups', 'Draw each group and dbt project as one node', ICONS.collapse);
  const all = button(bar, 'show-all', 'Show all', 'Clear focus, filter, search and collapsed groups', ICONS.all);
  element('span', 'divider', bar);
  const run = button(bar, 'materialize-selection', 'Materialize', 'Materialize the selected assets', ICONS.play);
  run.classList.add('primary');
  const cancel = button(bar, 'cancel-runs', 'Cancel run', 'Cancel the runs started in this window; tables keep their previous version', ICONS.stop);
  cancel.hidden = true;
  const refresh = button(bar, 'refresh', '', 'Reload the graph and statuses', ICONS.refresh);
  element('span', 'spacer', bar);
  const problems = element('span', 'problems', bar);
  problems.id = 'problems';
  problems.hidden = true;
  const focusNote = element('span', 'focus-note', bar);
  focusNote.id = 'focus-note';
  focusNote.textContent = 'Focus: no asset open';
  focusNote.hidden = true;
  const summary = element('span', 'summary', bar);
  summary.id = 'summary';
  summary.setAttribute('aria-live', 'polite');
  const pressed = (b: HTMLButtonElement): boolean => b.getAttribute('aria-pressed') === 'true';
  filter.addEventListener('click', () => on.filter(!pressed(filter)));
  fit.addEventListener('click', () => on.fit());
  focus.addEventListener('click', () => on.focus(!pressed(focus), Number(depth.value)));
  depth.addEventListener('change', () => on.focus(true, Number(depth.value)));
  collapse.addEventListener('click', () => on.collapseGroups(!pressed(collapse)));
  all.addEventListener('click', () => on.showAll());
  run.addEventListener('click', () => on.materializeSelection());
  refresh.addEventListener('click', () => on.refresh());
  cancel.addEventListener('click', () => on.cancelRuns());
  return {
    search,
    setCounts: (shown, total, edges) => {
      const assets = shown === total ? plural(total, 'asset') : `${shown.toLocaleString('en-US')} of ${plural(total, 'asset')}`;
      summary.textContent = `${assets} · ${plural(edges, 'edge')}`;
    },
    setMatches: (n) => { matches.textContent = n === undefined ? '' : plural(n, 'match', 'matches'); },
    setProblems: (diagnostics) => {
      problems.hidden = diagnostics.length === 0;
      problems.textContent = `⚠ ${plural(diagnostics.length, 'problem')}`;
      problems.title = diagnostics.map((d) => `${d.severity}: ${d.file}${d.line ? `:${d.line}` : ''} ${d.message}`).join('\n');
    },
    setUserRuns: (running) => {
      cancel.hidden = running === 0;
      cancel.lastChild!.textContent = running > 1 ? `Cancel ${running} runs` : 'Cancel run';
    },
    setSelection: (count) => {
      run.disabled = count === 0;
      run.lastChild!.textContent = count > 1 ? `Materialize ${count}` : 'Materialize';
    },
    setState: (s) => {
      filter.setAttribute('aria-pressed', String(s.filter));
      focus.setAttribute('aria-pressed', String(s.focus));
      focus.classList.toggle('waiting', s.focusWaiting);
      focus.title = s.focusWaiting ? `${focusTitle}. The active editor shows no asset, so the whole graph is drawn: open a model or asset file.` : focusTitle;
      focusNote.hidden = !s.focusWaiting;
      collapse.setAttribute('aria-pressed', String(s.collapsed));
      depth.value = String(s.depth);
      depth.disabled = !s.focus;
    },
  };
}

function searchBox(bar: HTMLElement, on: ToolbarHandlers): HTMLInputElement {
  const search = element('input', 'search', bar);
  search.id = 'search';
  search.type = 'search';
  search.placeholder = 'Search: name, +name+, tag:, group:, kind:';
  search.title = 'Selection syntax: name (substring), +name (with upstream), name+ (with downstream), 2+name, tag:x, group:x, kind:model, key:a/*; space = union, comma = intersection';
  search.setAttribute('aria-label', 'Search assets with the selection syntax');
  search.spellcheck = false;
  search.addEventListener('input', () => on.search(search.value));
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') on.reveal();
    else if (ev.key === 'Escape' && search.value) { search.value = ''; on.search(''); }
  });
  return search;
}

function depthPicker(bar: HTMLElement): HTMLSelectElement {
  const depth = element('select', 'depth', bar);
  depth.id = 'focus-depth';
  depth.title = 'Focus depth: how many steps upstream and downstream to show';
  depth.setAttribute('aria-label', 'Focus depth');
  for (const d of DEPTHS) {
    const o = depth.appendChild(document.createElement('option'));
    o.value = String(d);
    o.textContent = Number.isFinite(d) ? `±${d}` : 'all';
  }
  return depth;
}

function button(bar: HTMLElement, id: string, label: string, title: string, d: string): HTMLButtonElement {
  const b = element('button', 'icon-button', bar);
  b.id = id;
  b.type = 'button';
  b.title = title;
  b.setAttribute('aria-label', title);
  // The label is a span so a narrow view (the side bar) can show the icon alone.
  const text = document.createElement('span');
  text.className = 'label';
  text.textContent = label;
  b.append(icon(d), text);
  return b;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent.appendChild(el);
  return el;
}

function icon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const path = svg.appendChild(document.createElementNS(ns, 'path'));
  path.setAttribute('d', d);
  return svg;
}
