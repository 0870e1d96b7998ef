// Lineage webview benchmark in headless Chromium with the fake host of the webview tests: first
// paint of generated 2,000- and 10,000-asset dbt-like graphs (message posted → graph laid out in
// the worker and drawn, at the next frame), and the median frame interval while a script drags the
// 10,000-node graph, zoomed out (the overview) and zoomed in to reading size, from
// requestAnimationFrame timestamps with Chromium's 60 Hz cap lifted. Prints `name value unit` lines.
import type { Page } from 'playwright-core';
import type { AssetDto, GraphDto } from '../../src/shared/dto';
import { openPage, startHarness, stopHarness } from '../webview/lineagePage';

/** Projects of sources → staging → intermediate → marts, ≈ 1.2 edges per asset, deterministic. */
function generate(n: number): GraphDto {
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const assets: AssetDto[] = [];
  const perProject = 1000;
  for (let p = 0; p * perProject < n; p++) {
    const size = Math.min(perProject, n - p * perProject);
    const layers: string[][] = [[], [], [], []];
    for (let i = 0; i < size; i++) {
      const layer = i < size * 0.1 ? 0 : i < size * 0.4 ? 1 : i < size * 0.7 ? 2 : 3;
      const name = `p${p}_${['src', 'stg', 'int', 'fct'][layer]}_${i}`;
      const deps = layer === 0 ? [] : layer === 1 ? [pick(layers[0]!)] : [pick(layers[layer - 1]!), ...(rand() < 0.4 ? [pick(layers[1]!)] : [])];
      layers[layer]!.push(name);
      const kind = layer === 0 ? 'source' : 'model';
      assets.push({ key: name, kind, file: `p${p}/models/${name}.sql`, line: 1, deps: [...new Set(deps)].sort(), dbt: { unique_id: `${kind}.project_${p}.${name}` } });
    }
  }
  return { assets, diagnostics: [] };
}

/** Posts the graph inside the page and resolves with the ms until the frame after it is drawn. */
async function firstPaint(page: Page, graph: GraphDto): Promise<number> {
  return page.evaluate(async (g) => {
    const svg = document.getElementById('graph')!;
    const before = svg.getAttribute('data-rendered');
    const t0 = performance.now();
    window.postMessage({ type: 'graph', graph: g }, '*');
    await new Promise<void>((ok) => {
      const check = (): void => { if (svg.getAttribute('data-rendered') !== before) ok(); else requestAnimationFrame(check); };
      check();
    });
    // The canvas draws on the next frame; the paint is done once that frame has run.
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return performance.now() - t0;
  }, graph);
}

/** Drags the graph for `frames` frames, one mouse move per frame; returns frame intervals (ms). */
async function pan(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const svg = document.getElementById('graph')!;
    const r = svg.getBoundingClientRect();
    let [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    const fire = (target: EventTarget, type: string): void => {
      target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, view: window, button: 0, buttons: 1 }));
    };
    fire(svg, 'mousedown');
    const stamps: number[] = [];
    await new Promise<void>((ok) => {
      const step = (t: number): void => {
        stamps.push(t);
        if (stamps.length > count) { ok(); return; }
        x += stamps.length % 60 < 30 ? 6 : -6;
        y += 3;
        fire(window, 'mousemove');
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    fire(window, 'mouseup');
    return stamps.slice(1).map((t, i) => t - stamps[i]!);
  }, frames);
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

/**
 * tsx names inner functions through a helper that the page lacks, so the page gets a no-op one.
 * Every animation-frame callback is timed too: `__work` sums the script time of each frame (the
 * zoom handler and the canvas and SVG redraw), which the frame interval alone hides at 60 Hz.
 */
async function prepare(page: Page): Promise<Page> {
  await page.evaluate(`window.__name = (f) => f;
    window.__work = new Map();
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((ts) => {
      const t = performance.now();
      cb(ts);
      window.__work.set(ts, (window.__work.get(ts) || 0) + performance.now() - t);
    });`);
  return page;
}

/** Median script time per frame (ms) over the frames with these timestamps. */
async function workPerFrame(page: Page): Promise<number> {
  const work = await page.evaluate(() => [...(window as unknown as { __work: Map<number, number> }).__work.values()]);
  await page.evaluate(() => (window as unknown as { __work: Map<number, number> }).__work.clear());
  return median(work);
}

async function main(): Promise<void> {
  // Without the 60 Hz cap a frame's interval is its real cost (script, style, paint, composite);
  // with it every frame under 16.7 ms would read 16.7.
  await startHarness(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  try {
    const size = { width: 1280, height: 800 };
    for (const [n, name] of [[2000, '2k'], [10000, '10k']] as const) {
      const page = await prepare((await openPage({ viewport: size })).page);
      console.log(`lineage_first_paint_${name} ${(await firstPaint(page, generate(n))).toFixed(0)} ms`);
      if (n === 10000) {
        await pan(page, 20);
        await workPerFrame(page);
        const frames = await pan(page, 180);
        console.log(`lineage_pan_frame_median_10k ${median(frames).toFixed(1)} ms`);
        console.log(`lineage_pan_frame_p95_10k ${p95(frames).toFixed(1)} ms`);
        console.log(`lineage_pan_script_per_frame_median_10k ${(await workPerFrame(page)).toFixed(2)} ms`);
      }
      await page.close();
    }
    // The same drag zoomed in to reading size, where the nodes in view are SVG and the rest culled.
    // Graph point (250, 5000) at the top left: inside the first column of the wrapped layout.
    const page = await prepare((await openPage({ viewport: size, savedState: { transform: { k: 0.8, x: -200, y: -4000 } } })).page);
    await firstPaint(page, generate(10000));
    console.log(`lineage_pan_zoomed_svg_nodes_10k ${await page.locator('g.node').count()} nodes`);
    await pan(page, 20);
    await workPerFrame(page);
    const zoomed = await pan(page, 180);
    console.log(`lineage_pan_frame_median_10k_zoomed ${median(zoomed).toFixed(1)} ms`);
    console.log(`lineage_pan_frame_p95_10k_zoomed ${p95(zoomed).toFixed(1)} ms`);
    console.log(`lineage_pan_script_per_frame_median_10k_zoomed ${(await workPerFrame(page)).toFixed(2)} ms`);
    await page.close();
  } finally {
    await stopHarness();
  }
}

void main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
