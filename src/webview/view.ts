// The lineage view's state and what changes it: the graph, statuses, run events, the selection,
// the search and the active editor's asset. Each change redraws only the layer it touches.
import type { AssetKeyString, GraphDto, MaterializationDto, StepEvent } from '../shared/protocol';
import type { HostApi } from './vscodeApi';
import type { Layout } from './layout';
import type { Marks, NodeView, Scene } from './render';
import type { Toolbar } from './toolbar';
import type { ContextMenu } from './menu';
import type { Viewport } from './zoom';
import { layoutDag } from './layout';
import { NODE_HEIGHT, NODE_WIDTH, createScene, drawEdges, drawNodes, paintMarks, paintStatus } from './render';
import { StatusBook } from './status';
import { createToolbar } from './toolbar';
import { createMenu } from './menu';
import { attachZoom } from './zoom';

const LAYOUT = { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, layerGap: 88, nodeGap: 20 };
/** Relative times ("5 min ago") are redrawn this often. */
const CLOCK_MS = 60_000;

export class LineageView {
  private readonly statuses = new StatusBook();
  private readonly scene: Scene;
  private readonly toolbar: Toolbar;
  private readonly menu: ContextMenu;
  private readonly viewport: Viewport;
  private readonly message: HTMLElement;
  private views: readonly NodeView[] = [];
  private layout: Layout | undefined;
  private selected: AssetKeyString | undefined;
  private active: AssetKeyString | undefined;
  private query = '';

  constructor(private readonly host: HostApi, root: HTMLElement) {
    this.toolbar = createToolbar(root, {
      search: (q) => this.search(q),
      reveal: () => this.fitTo(this.matches()),
      fit: () => this.fitTo(undefined),
    });
    const stage = root.appendChild(document.createElement('div'));
    stage.className = 'stage';
    const svg = stage.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    svg.id = 'graph';
    svg.setAttribute('aria-label', 'Asset lineage graph');
    this.message = stage.appendChild(document.createElement('div'));
    this.message.id = 'message';
    this.message.className = 'message';
    this.message.textContent = 'Loading lineage…';
    this.scene = createScene(svg);
    this.menu = createMenu(root, (m) => host.post(m));
    this.viewport = attachZoom(this.scene, (t) => host.saveState({ transform: t }));
    this.scene.svg.on('click', () => this.select(undefined));
    new ResizeObserver(() => { if (this.viewport.autoFit) this.fitTo(undefined); }).observe(svg);
    setInterval(() => this.repaintStatus(), CLOCK_MS);
    const saved = host.state();
    this.selected = saved.selected;
    this.query = saved.search ?? '';
    this.toolbar.search.value = this.query;
  }

  setGraph(graph: GraphDto): void {
    const keys = new Set(graph.assets.map((a) => a.key));
    this.views = graph.assets.map((a) => ({ key: a.key, name: a.key.split('/').pop() || a.key, kind: a.kind }));
    this.layout = layoutDag(graph.assets, LAYOUT);
    if (this.selected !== undefined && !keys.has(this.selected)) this.selected = undefined;
    drawEdges(this.scene, this.layout.edges);
    drawNodes(this.scene, this.views, this.layout, {
      select: (key) => this.select(key),
      open: (key) => this.host.post({ type: 'open', key }),
      menu: (key, x, y) => this.menu.open(key, x, y),
    });
    this.repaintStatus();
    this.repaintMarks();
    this.toolbar.setCounts(this.views.length, this.layout.edges.length);
    this.toolbar.setProblems(graph.diagnostics);
    this.message.hidden = this.views.length > 0;
    this.message.textContent = 'No assets found. Asset Lens looks for dbt projects and Dagster definitions in this workspace.';
    this.placeView();
  }

  setStatus(materializations: readonly MaterializationDto[]): void {
    this.statuses.replace(materializations);
    this.repaintStatus();
  }

  applyRunEvent(event: StepEvent): void {
    this.statuses.apply(event, Date.now());
    this.repaintStatus();
  }

  setActive(key: AssetKeyString | undefined): void {
    this.active = key;
    this.repaintMarks();
  }

  // The first graph restores the saved transform if the user had chosen one; later graphs keep
  // whatever the user is looking at, and an auto-fitting view fits the new graph.
  private placeView(): void {
    const saved = this.host.state().transform;
    if (this.viewport.autoFit && saved) this.viewport.restore(saved);
    else if (this.viewport.autoFit) this.fitTo(undefined);
  }

  private select(key: AssetKeyString | undefined): void {
    this.selected = key;
    this.host.saveState({ selected: key });
    this.repaintMarks();
  }

  private search(query: string): void {
    this.query = query;
    this.host.saveState({ search: query });
    this.repaintMarks();
  }

  /** Keys whose name contains the search text (or whose key does, when it has a `/`). */
  private matches(): ReadonlySet<string> | undefined {
    const q = this.query.trim().toLowerCase();
    if (!q) return undefined;
    const byKey = q.includes('/');
    return new Set(this.views.filter((v) => (byKey ? v.key : v.name).toLowerCase().includes(q)).map((v) => v.key));
  }

  /** Fits the view to `keys`, or to the whole graph when undefined or empty. */
  private fitTo(keys: ReadonlySet<string> | undefined): void {
    let [x, y, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const n of this.layout?.nodes.values() ?? []) {
      if (keys?.size && !keys.has(n.key)) continue;
      [x, y] = [Math.min(x, n.x), Math.min(y, n.y)];
      [right, bottom] = [Math.max(right, n.x + NODE_WIDTH), Math.max(bottom, n.y + NODE_HEIGHT)];
    }
    if (right < x) return;
    this.viewport.fit({ x, y, width: right - x, height: bottom - y });
  }

  private repaintStatus(): void {
    paintStatus(this.scene, (key) => this.statuses.get(key), Date.now());
  }

  private repaintMarks(): void {
    const matches = this.matches();
    const marks: Marks = {
      ...(this.selected !== undefined ? { selected: this.selected } : {}),
      ...(this.active !== undefined ? { active: this.active } : {}),
      ...(matches ? { matches } : {}),
    };
    paintMarks(this.scene, marks);
    this.toolbar.setMatches(matches?.size);
  }
}
