// The strip above the graph: a search box, the Fit button, the asset and edge counts and a problem
// count whose tooltip lists the workspace's diagnostics (as text).
import type { DiagnosticDto } from '../shared/protocol';

export interface ToolbarHandlers {
  /** The search text changed; empty means no filter. */
  search(query: string): void;
  /** Enter in the search box: show the matches. */
  reveal(): void;
  fit(): void;
}

export interface Toolbar {
  readonly search: HTMLInputElement;
  setCounts(assets: number, edges: number): void;
  /** Shows how many assets match; undefined hides the count. */
  setMatches(matches: number | undefined): void;
  setProblems(diagnostics: readonly DiagnosticDto[]): void;
}

const FIT_ICON = 'M1.5 5V1.5H5 M11 1.5h3.5V5 M14.5 11v3.5H11 M5 14.5H1.5V11 M5 5h6v6H5z';

export function createToolbar(parent: HTMLElement, on: ToolbarHandlers): Toolbar {
  const bar = element('div', 'toolbar', parent);
  bar.id = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  const search = element('input', 'search', bar);
  search.id = 'search';
  search.type = 'search';
  search.placeholder = 'Filter assets by name';
  search.setAttribute('aria-label', 'Filter assets by name');
  search.spellcheck = false;
  const matches = element('span', 'match-count', bar);
  matches.id = 'match-count';
  const fit = element('button', 'icon-button', bar);
  fit.id = 'fit';
  fit.type = 'button';
  fit.title = 'Fit graph to view';
  fit.setAttribute('aria-label', 'Fit graph to view');
  fit.append(icon(FIT_ICON), document.createTextNode('Fit'));
  element('span', 'spacer', bar);
  const problems = element('span', 'problems', bar);
  problems.id = 'problems';
  problems.hidden = true;
  const summary = element('span', 'summary', bar);
  summary.id = 'summary';
  summary.setAttribute('aria-live', 'polite');
  search.addEventListener('input', () => on.search(search.value));
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') on.reveal();
    else if (ev.key === 'Escape' && search.value) { search.value = ''; on.search(''); }
  });
  fit.addEventListener('click', () => on.fit());
  return {
    search,
    setCounts: (assets, edges) => { summary.textContent = `${plural(assets, 'asset')} · ${plural(edges, 'edge')}`; },
    setMatches: (n) => { matches.textContent = n === undefined ? '' : plural(n, 'match', 'matches'); },
    setProblems: (diagnostics) => {
      problems.hidden = diagnostics.length === 0;
      problems.textContent = `⚠ ${plural(diagnostics.length, 'problem')}`;
      problems.title = diagnostics.map((d) => `${d.severity}: ${d.file}${d.line ? `:${d.line}` : ''} ${d.message}`).join('\n');
    },
  };
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
