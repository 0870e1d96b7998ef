// Runs the layout in a web worker so a 10,000-node graph never blocks panning or typing. The
// worker's script is fetched and started from a blob URL, because a webview may not start a worker
// from its resource origin. Where workers are unavailable the same function runs on the page.
import type { Layout, LayoutInput, LayoutOptions } from './layout';
import { layoutDag } from './layout';

export interface LayoutRequest {
  readonly id: number;
  readonly input: readonly LayoutInput[];
  readonly options: LayoutOptions;
}

/** A layout (a Map survives structured cloning) or why there is none. */
export type LayoutResponse = { readonly id: number; readonly layout: Layout } | { readonly id: number; readonly error: string };

type Pending = { resolve(l: Layout): void; reject(e: Error): void };

export class LayoutClient {
  private readonly worker: Promise<Worker | undefined>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `scriptUrl` undefined: lay out on the page (used where no worker script is served). */
  constructor(scriptUrl: string | undefined) {
    this.worker = scriptUrl ? startWorker(scriptUrl, (r) => this.settle(r), () => this.failAll()) : Promise.resolve(undefined);
  }

  /** Where the last layouts ran, for the status line and tests: 'worker' or 'page'. */
  async mode(): Promise<'worker' | 'page'> {
    return (await this.worker) ? 'worker' : 'page';
  }

  async layout(input: readonly LayoutInput[], options: LayoutOptions): Promise<Layout> {
    const worker = await this.worker;
    if (!worker) return layoutDag(input, options);
    const id = this.nextId++;
    return new Promise<Layout>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input, options } satisfies LayoutRequest);
    });
  }

  /** A crashed worker answers nothing more, so every waiting layout is computed on the page. */
  private failAll(): void {
    for (const p of this.pending.values()) p.reject(new Error('the layout worker stopped'));
    this.pending.clear();
  }

  private settle(r: LayoutResponse): void {
    const p = this.pending.get(r.id);
    this.pending.delete(r.id);
    if (!p) return;
    if ('layout' in r) p.resolve(r.layout);
    else p.reject(new Error(r.error));
  }
}

async function startWorker(url: string, onResponse: (r: LayoutResponse) => void, onError: () => void): Promise<Worker | undefined> {
  try {
    const response = await fetch(url);
    if (!response.ok) return undefined;
    const blob = new Blob([await response.text()], { type: 'text/javascript' });
    const worker = new Worker(URL.createObjectURL(blob));
    worker.onmessage = (ev: MessageEvent<LayoutResponse>) => onResponse(ev.data);
    worker.onerror = onError;
    return worker;
  } catch {
    // A CSP or a sandbox without workers: the page lays out itself, a little less smoothly.
    return undefined;
  }
}

/** The worker script's URL, which the host writes into a meta tag; undefined when absent. */
export function workerUrlFromPage(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="asset-lens-layout-worker"]');
  return meta?.content || undefined;
}

/** Where the host shows the view ('sidebar' or 'editor'), from a meta tag; undefined when absent. */
export function placementFromPage(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="asset-lens-placement"]')?.content || undefined;
}
