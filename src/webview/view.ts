// The lineage view's state and what changes it: the graph, statuses, run events, the selection,
// the search, focus, collapsed clusters and the active editor's asset. A change to what is drawn
// lays the graph out again (in the worker); a change to how it looks repaints only.
import type { ObservedSourceDto } from '../shared/protocol';
import type { AssetKeyString, GraphDto, MaterializationDto, StepEvent } from '../shared/dto';
import type { PartitionStatusMessage, StaleAsset } from '../shared/webviewProtocol';
import type { HostApi } from './vscodeApi';
import type { AssetIndex, DisplayGraph } from './graphModel';
import type { Layout } from './layout';
import type { Direction, Marks, PartitionHealth } from './render';
import type { NodeStatus } from './status';
import type { Toolbar } from './toolbar';
import type { ContextMenu } from './menu';
import { NODE_HEIGHT, NODE_WIDTH } from './render';
import { layoutDag } from './layout';
import { CLUSTER_PREFIX, displayGraph, indexGraph, reach } from './graphModel';
import { selectKeys } from './selection';
import { StatusBook, clusterStatus } from './status';
import { createToolbar } from './toolbar';
import { createMenu } from './menu';
import { GraphStage } from './graphStage';
import { LayoutClient } from './layoutClient';
import { neighbourIn } from './navigation';
import { PartitionPanel } from './partitions/panel';

const LAYOUT = { nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT, layerGap: 88, nodeGap: 20 };
/** Rows of a top-to-bottom layout need less room between them than columns do. */
const LAYOUT_DOWN = { ...LAYOUT, layerGap: 48, direction: 'down' as const };
/**
 * A view narrower than this (the side bar) lays the graph out top to bottom when it is taller than
 * wide, and never fits below READABLE_SCALE, where names read.
 */
const NARROW = 520;
const READABLE_SCALE = 0.75;
/** Relative times ("5 min ago") are redrawn this often. */
const CLOCK_MS = 60_000;
const EMPTY_GRAPH: GraphDto = { assets: [], diagnostics: [] };

export class LineageView {
  private readonly statuses = new StatusBook();
  private readonly stage: GraphStage;
  private readonly toolbar: Toolbar;
  private readonly menu: ContextMenu;
  private readonly partitions: PartitionPanel;
  private readonly message: HTMLElement;
  private readonly layouts: LayoutClient;
  private index: AssetIndex = indexGraph(EMPTY_GRAPH);
  private display: DisplayGraph | undefined;
  private layout: Layout | undefined;
  private generation = 0;
  private hasGraph = false;
  private selected = new Set<string>();
  private active: AssetKeyString | undefined;
  private query = '';
  /** The next layout fits the view: focus moved to another asset. */
  private refocus = false;
  private opts = { filter: false, focus: false, depth: 2, collapsed: new Set<string>() };

  /** `sidebar`: the view starts in focus mode on the active editor's asset, one step each way. */
  constructor(private readonly host: HostApi, root: HTMLElement, workerUrl: string | undefined, private readonly sidebar = false) {
    this.layouts = new LayoutClient(workerUrl);
    this.toolbar = createToolbar(root, this.toolbarHandlers());
    const stage = root.appendChild(document.createElement('div'));
    stage.className = 'stage';
    this.stage = new GraphStage(stage, {
      select: (key, additive) => this.select(key, additive),
      open: (key) => this.open(key),
      menu: (key, x, y) => this.openMenu(key, x, y),
      navigate: (key, d) => this.navigate(key, d),
      collapse: (c) => this.setCollapsed([...this.opts.collapsed, c]),
      saveTransform: (t) => host.saveState({ transform: t }),
      resized: () => this.resized(),
    }, {
      status: (key) => this.statusOf(key),
      health: (key) => this.partitions.health(key),
      marks: () => this.marks(),
    });
    this.message = stage.appendChild(document.createElement('div'));
    this.message.id = 'message';
    this.message.className = 'message';
    this.message.textContent = 'Loading lineage…';
    this.menu = createMenu(root, { post: (m) => host.post(m), showPartitions: (keys) => this.showPartitions(keys) });
    this.partitions = new PartitionPanel(stage, (m) => host.post(m), () => this.stage.repaintStatus());
    setInterval(() => this.stage.repaintStatus(), CLOCK_MS);
    this.restoreState();
  }

  setGraph(graph: GraphDto): void {
    this.index = indexGraph(graph);
    this.hasGraph = true;
    for (const k of this.selected) if (!this.index.assets.has(k)) this.selected.delete(k);
    this.toolbar.setProblems(graph.diagnostics);
    this.partitions.setAssets(this.index);
    this.syncToolbar();
    void this.relayout();
  }

  setStatus(materializations: readonly MaterializationDto[], stale: readonly StaleAsset[] | undefined, observed?: readonly ObservedSourceDto[]): void {
    this.statuses.replace(materializations, stale, observed);
    this.stage.repaintStatus();
  }

  applyRunEvent(event: StepEvent): void {
    this.statuses.apply(event, Date.now());
    this.stage.repaintStatus();
  }

  setActive(key: AssetKeyString | undefined): void {
    // In focus mode another asset is another graph: where the user had panned to means nothing there.
    this.refocus = this.opts.focus && key !== this.active;
    this.active = key;
    this.syncToolbar();
    if (this.opts.focus) void this.relayout();
    else this.stage.repaintMarks();
  }

  setUserRuns(running: number): void {
    this.toolbar.setUserRuns(running);
  }

  setPartitionStatus(msg: PartitionStatusMessage): void {
    this.partitions.setStatus(msg);
  }

  private restoreState(): void {
    const saved = this.host.state();
    if (saved.selected !== undefined) this.selected.add(saved.selected);
    this.query = saved.search ?? '';
    this.toolbar.search.value = this.query;
    this.opts = { filter: saved.filter ?? false, focus: saved.focus ?? this.sidebar, depth: saved.depth ?? (this.sidebar ? 1 : 2), collapsed: new Set(saved.collapsed ?? []) };
    this.syncToolbar();
  }

  private toolbarHandlers(): Parameters<typeof createToolbar>[1] {
    return {
      search: (q) => this.search(q),
      reveal: () => this.stage.fitTo(this.shownMatches()),
      fit: () => this.fit(),
      filter: (on) => this.setOptions({ filter: on }),
      focus: (on, depth) => this.setOptions({ focus: on, depth }),
      collapseGroups: (on) => this.setCollapsed(on ? [...new Set(this.index.clusters.values())].filter((c): c is string => c !== undefined) : []),
      showAll: () => { this.query = ''; this.toolbar.search.value = ''; this.host.saveState({ search: '' }); this.setOptions({ filter: false, focus: false }, []); },
      cancelRuns: () => this.host.post({ type: 'cancelRuns' }),
      materializeSelection: () => { if (this.selected.size) this.host.post({ type: 'materialize', keys: [...this.selected].sort(), scope: 'this' }); },
      refresh: () => this.host.post({ type: 'refresh' }),
    };
  }

  private setOptions(patch: Partial<{ filter: boolean; focus: boolean; depth: number }>, collapsed?: readonly string[]): void {
    this.opts = { ...this.opts, ...patch, collapsed: collapsed ? new Set(collapsed) : this.opts.collapsed };
    const depth = Number.isFinite(this.opts.depth) ? this.opts.depth : 99;
    this.host.saveState({ filter: this.opts.filter, focus: this.opts.focus, depth, collapsed: [...this.opts.collapsed].sort() });
    this.syncToolbar();
    void this.relayout();
  }

  private setCollapsed(clusters: readonly string[]): void {
    this.setOptions({}, clusters);
  }

  private syncToolbar(): void {
    const focusWaiting = this.opts.focus && !(this.active !== undefined && this.index.assets.has(this.active));
    this.toolbar.setState({ ...this.opts, focusWaiting, collapsed: this.opts.collapsed.size > 0 });
    this.toolbar.setSelection(this.selected.size);
  }

  /** Lays out what is to be drawn; a layout that finishes after a newer one began is dropped. */
  private async relayout(): Promise<void> {
    if (!this.hasGraph) return;
    const gen = ++this.generation;
    const display = displayGraph(this.index, { visible: this.visibleKeys(), collapsed: this.opts.collapsed });
    const { width, height } = this.stage.size;
    const options = { ...(this.wantsDown() ? LAYOUT_DOWN : LAYOUT), ...(width && height ? { aspect: width / height } : {}) };
    const layout = await this.layouts.layout(display.input, options).catch(() => layoutDag(display.input, options));
    if (gen !== this.generation) return;
    [this.display, this.layout] = [display, layout];
    this.stage.show(layout, display.nodes);
    const shown = display.nodeOf.size;
    this.toolbar.setCounts(shown, this.index.assets.size, shown === this.index.assets.size ? this.index.edgeCount : layout.edges.length);
    this.toolbar.setMatches(this.matches()?.size);
    this.message.hidden = display.nodes.length > 0;
    this.message.textContent = this.index.assets.size
      ? 'Nothing to show: the search or focus hides every asset. Show all brings them back.'
      : 'No assets found. Asset Lens looks for dbt projects and Dagster definitions in this workspace.';
    this.placeView();
    this.stage.scene.svg.attr('data-rendered', String(gen));
  }

  /** Focus keeps the active asset's neighbourhood; Filter keeps the search matches. */
  private visibleKeys(): ReadonlySet<string> | undefined {
    let keys: Set<string> | undefined;
    if (this.opts.focus && this.active !== undefined && this.index.assets.has(this.active)) {
      keys = reach(this.index, [this.active], this.opts.depth, true, true);
    }
    const matches = this.opts.filter ? this.matches() : undefined;
    if (matches) keys = new Set([...(keys ?? matches)].filter((k) => matches.has(k)));
    return keys;
  }

  // The first graph restores the saved transform if the user had chosen one; later graphs keep
  // whatever the user is looking at, and an auto-fitting view fits the new graph.
  private placeView(): void {
    const saved = this.host.state().transform;
    if (this.refocus) this.fit();
    else if (this.stage.viewport.autoFit && saved) this.stage.viewport.restore(saved);
    else if (this.stage.viewport.autoFit) this.fit();
    this.refocus = false;
  }

  private wantsDown(): boolean {
    const { width, height } = this.stage.size;
    return width > 0 && width < NARROW && height > width;
  }

  /** A view that turns narrow (or wide) lays out again; one that fits itself fits again. */
  private resized(): void {
    if (this.layout && this.wantsDown() !== (this.layout.vertical ?? false)) void this.relayout();
    else if (this.stage.viewport.autoFit) this.fit();
  }

  /**
   * Shows the whole graph; in a narrow view no smaller than names can be read, centred on the
   * active editor's asset (else the selection) when it does not all fit.
   */
  private fit(): void {
    const narrow = this.stage.size.width < NARROW;
    const anchor = [this.active, ...this.selected].map((k) => (k === undefined ? undefined : this.display?.nodeOf.get(k))).find((k) => k !== undefined);
    this.stage.fitTo(undefined, narrow ? READABLE_SCALE : undefined, anchor);
  }

  private select(key: string | undefined, additive: boolean): void {
    if (!additive) this.selected.clear();
    if (key !== undefined && additive && this.selected.has(key)) this.selected.delete(key);
    else if (key !== undefined) this.selected.add(key);
    this.host.saveState({ selected: key !== undefined && this.selected.has(key) ? key : undefined });
    this.toolbar.setSelection(this.selected.size);
    this.stage.repaintMarks();
  }

  /** Double-click: a cluster node expands, an asset opens its definition. */
  private open(key: string): void {
    const members = this.display?.nodes.find((n) => n.key === key)?.members;
    if (members && key.startsWith(CLUSTER_PREFIX)) this.setCollapsed([...this.opts.collapsed].filter((c) => CLUSTER_PREFIX + c !== key));
    else this.host.post({ type: 'open', key });
  }

  private openMenu(key: string, x: number, y: number): void {
    if (!this.selected.has(key)) this.select(key, false);
    const keys = [...this.selected].flatMap((k) => this.membersOf(k)).sort();
    const partitioned = keys.some((k) => this.index.assets.get(k)?.partitions !== undefined);
    // A run to show: the last materialization, not a source's observation or a step still going.
    const status = this.statuses.get(key);
    const ran = status.at !== undefined && !['never', 'observed', 'running', 'queued'].includes(status.status);
    const incremental = keys.some((k) => this.index.assets.get(k)?.materialized === 'incremental');
    this.menu.open({ key, keys, partitioned, ran, incremental }, x, y);
  }

  private membersOf(key: string): readonly string[] {
    return this.display?.nodes.find((n) => n.key === key)?.members ?? [key];
  }

  private navigate(key: string, direction: Direction): void {
    const next = this.layout ? neighbourIn(this.layout, key, direction) : undefined;
    if (next === undefined) return;
    this.select(next, false);
    this.stage.reveal(next);
  }

  private showPartitions(keys: readonly string[]): void {
    const partitioned = keys.filter((k) => this.index.assets.get(k)?.partitions !== undefined);
    this.partitions.open(partitioned);
  }

  private search(query: string): void {
    this.query = query;
    this.host.saveState({ search: query });
    this.toolbar.setMatches(this.matches()?.size);
    if (this.opts.filter) void this.relayout();
    else this.stage.repaintMarks();
  }

  private matches(): ReadonlySet<string> | undefined {
    return selectKeys(this.index, this.query);
  }

  /** The drawn nodes that match: an asset itself, or the collapsed cluster that holds it. */
  private shownMatches(): ReadonlySet<string> | undefined {
    const m = this.matches();
    return m && new Set([...m].flatMap((k) => this.display?.nodeOf.get(k) ?? []));
  }

  private statusOf(key: string): NodeStatus {
    const members = key.startsWith(CLUSTER_PREFIX) ? this.display?.nodes.find((n) => n.key === key)?.members : undefined;
    return members ? clusterStatus(members.map((k) => this.statuses.get(k))) : this.statuses.get(key);
  }

  private marks(): Marks {
    const matches = this.shownMatches();
    return { selected: this.selected, ...(this.active !== undefined ? { active: this.active } : {}), ...(matches ? { matches } : {}) };
  }
}
