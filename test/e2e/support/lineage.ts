// What a user sees of the lineage webview's nodes: each node's status word, its stale reason and
// the colour of its status dot, and every change of them while a test watches (a step of a few
// milliseconds shows "running" for one frame; a recorder in the page catches it, a poll would not).
import type { FrameLocator } from 'playwright-core';
import { stepTimeout, type Workbench } from './workbench';

export interface NodeLook {
  readonly word: string;
  /** The stale reason shown after the word ("· upstream `raw/orders` has newer data"); '' when none. */
  readonly reason: string;
  /** The computed fill of the status dot, e.g. "rgb(…)". */
  readonly colour: string;
  /** The node's tooltip: key, kind and word, reason, detail (a source's data version). */
  readonly tooltip: string;
}

/** Reads one node as drawn. */
export async function nodeLook(view: FrameLocator, key: string): Promise<NodeLook> {
  const node = view.locator(`g.node[data-key="${key}"]`);
  await node.waitFor({ timeout: stepTimeout });
  // No named functions inside: tsx would wrap them in a `__name` helper the page lacks.
  return node.evaluate((g) => ({
    word: (g.querySelector('.node-status')?.textContent ?? '').trim(),
    reason: (g.querySelector('.node-reason')?.textContent ?? '').replace(/^\s*·\s*/, '').trim(),
    colour: getComputedStyle(g.querySelector('.status-dot')!).fill,
    tooltip: g.querySelector('title')?.textContent ?? '',
  }));
}

/** Waits until the node's status word matches `word`; the error says what it showed instead. */
export async function waitForNodeWord(w: Workbench, key: string, word: RegExp, timeout = stepTimeout): Promise<NodeLook> {
  const view = w.lineage();
  try {
    await view.locator(`g.node[data-key="${key}"] .node-status`).filter({ hasText: word }).waitFor({ timeout });
  } catch (e) {
    const seen = await nodeLook(view, key).catch(() => undefined);
    throw new Error(`node ${key} never showed ${String(word)}; it shows ${JSON.stringify(seen)}`, { cause: e });
  }
  return nodeLook(view, key);
}

/**
 * Starts recording, inside the webview, every change of any node's status word (key → words in
 * the order they were shown). Call it again after the webview reloaded.
 */
export async function recordNodeWords(view: FrameLocator): Promise<void> {
  // An expression run in the webview's frame (a string: tsx would wrap the inner arrow in `__name`).
  await view.locator('svg').first().evaluate(`(() => {
    if (window.__nodeWords) return;
    const seen = (window.__nodeWords = {});
    const grab = () => {
      for (const g of document.querySelectorAll('g.node[data-key]')) {
        const key = g.getAttribute('data-key');
        const word = (g.querySelector('.node-status')?.textContent ?? '').trim();
        const list = (seen[key] ??= []);
        if (word && list[list.length - 1] !== word) list.push(word);
      }
    };
    new MutationObserver(grab).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
    grab();
  })()`);
}

/** The words node `key` has shown since recordNodeWords, oldest first. */
export async function recordedWords(view: FrameLocator, key: string): Promise<string[]> {
  return view.locator('svg').first().evaluate(`(window.__nodeWords ?? {})[${JSON.stringify(key)}] ?? []`) as Promise<string[]>;
}

/** Asset Lens: Open Lineage in Editor, then waits until the panel has drawn `assets` and `edges`. */
export async function openLineageTab(w: Workbench, assets: number, edges: number): Promise<FrameLocator> {
  await w.runCommand('Asset Lens: Open Lineage in Editor');
  const view = w.lineage();
  const expected = new RegExp(`${assets} assets\\s*·\\s*${edges} edges`);
  try {
    await view.locator('#summary', { hasText: expected }).waitFor({ timeout: 2 * stepTimeout });
  } catch (e) {
    const seen = await view.locator('#summary').innerText({ timeout: 2_000 }).catch(() => '(no #summary element)');
    throw new Error(`the lineage says "${seen}", expected ${String(expected)}`, { cause: e });
  }
  return view;
}
