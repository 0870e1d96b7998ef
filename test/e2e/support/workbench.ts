// Drives VS Code's web workbench the way a person does: palette, explorer clicks, context menus,
// mouse hovers, the Output panel. Every wait is on a selector or a page event, never a sleep.
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { ensureResultsDir } from './paths';

/** How long one user-visible step may take on a 2-core CI machine that builds in parallel. */
export const stepTimeout = 60_000;

const quickInputBox = '.quick-input-widget .quick-input-box input';

export class Workbench {
  /**
   * @param toastsHidden the server runs VS Code's smoke-test driver, which suppresses toasts;
   *   notifications then only show in the notification centre, which recordNotifications opens.
   */
  constructor(readonly page: Page, private readonly shotPrefix: string, private readonly toastsHidden = false) {
    // Playwright's 30 s default would hide which wait hung; every wait here names its own bound.
    page.setDefaultTimeout(stepTimeout);
  }

  /** The workbench has rendered, restored its layout and shows the opened folder. */
  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: stepTimeout });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: stepTimeout });
  }

  /** Opens the command palette; keys are ignored until the workbench has focus, so retry. */
  async openPalette(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await this.page.locator(quickInputBox).waitFor({ state: 'visible', timeout: 1_500 });
        return;
      } catch {
        // Focus the workbench by clicking the editor area, where a click starts nothing; a modal
        // or overlay may swallow it, and F1 is retried anyway.
        await this.page.locator('.monaco-workbench .part.editor').click({ timeout: 1_000 }).catch(() => undefined);
      }
    }
    throw new Error('the command palette did not open');
  }

  /**
   * Runs a palette command by its full title ("Category: Title"). A contributed command only
   * shows up once the extension host has registered it, so the search is retried for a while.
   */
  async runCommand(title: string, timeout = stepTimeout): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.openPalette();
      await this.page.locator(quickInputBox).fill(`>${title}`);
      const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact(title) }) }).first();
      try {
        await row.waitFor({ timeout: 2_000 });
        await row.click();
        await this.page.locator(quickInputBox).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        return;
      } catch {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error(`command not in the palette: ${title}`);
        // No sleep: waiting for the palette to close paces the retries, and each new search sees
        // whatever the extension host has registered meanwhile.
        await this.page.locator(quickInputBox).waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
      }
    }
  }

  /**
   * Clicks through the explorer: expands each folder, then opens the file in an editor, or with
   * `toSide` through the row's "Open to the Side", in a new group beside what is open.
   */
  async openFileFromExplorer(relPath: string, options: { toSide?: boolean } = {}): Promise<void> {
    const explorer = this.page.locator('.explorer-folders-view');
    if (!(await explorer.isVisible())) await this.runCommand('View: Show Explorer');
    const parts = relPath.split('/');
    for (const [i, name] of parts.entries()) {
      const row = explorer.locator(`.monaco-list-row[aria-level="${i + 1}"]`, { has: this.page.locator('.label-name', { hasText: exact(name) }) }).first();
      await row.waitFor({ timeout: stepTimeout });
      const isFolder = i < parts.length - 1;
      if (isFolder) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await explorer.locator(`.monaco-list-row[aria-level="${i + 1}"][aria-expanded="true"]`, { has: this.page.locator('.label-name', { hasText: exact(name) }) }).waitFor({ timeout: stepTimeout });
      } else if (options.toSide) {
        await row.click({ button: 'right' });
        await this.chooseMenuItem(this.page.locator('.context-view .monaco-menu .action-label', { hasText: exact('Open to the Side') }).first());
      } else {
        await row.click();
      }
    }
    const file = parts[parts.length - 1] ?? relPath;
    await this.page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(file)}]`).waitFor({ timeout: stepTimeout });
    await this.activeEditor().locator('.view-line').first().waitFor({ timeout: stepTimeout });
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Right-clicks the active editor's text and picks a context-menu item by its label. */
  async editorContextMenu(itemLabel: string | RegExp): Promise<void> {
    const line = this.activeEditor().locator('.view-line').first();
    await line.click({ button: 'right', position: { x: 10, y: 5 } });
    const item = this.page.locator('.context-view .monaco-menu .action-label', { hasText: itemLabel }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      const labels = await this.page.locator('.context-view .monaco-menu .action-label').allInnerTexts();
      await this.page.keyboard.press('Escape');
      throw new Error(`no "${String(itemLabel)}" in the editor context menu; it shows: ${labels.filter(Boolean).join(' | ')}`);
    }
    await this.chooseMenuItem(item);
  }

  /**
   * Monaco's menu can swallow a click that lands while it is still opening (the item only
   * highlights): when the menu stays open, the highlighted item is chosen with Enter, as a user would.
   */
  private async chooseMenuItem(item: Locator): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await item.hover();
    await item.click();
    for (let i = 0; i < 3 && (await menu.isVisible()); i++) {
      await menu.waitFor({ state: 'hidden', timeout: 1_000 }).catch(async () => {
        if (await item.isVisible()) { await item.hover(); await this.page.keyboard.press('Enter'); }
      });
    }
  }

  /**
   * Moves the mouse onto `text` in the active editor (its middle character, measured with a DOM
   * Range because tokens split the line into spans) and waits for a hover containing `expect`.
   * Returns the hover. The pointer first leaves the text so an old hover cannot satisfy the wait.
   */
  async hoverOverText(text: string, expect: string | RegExp, timeout = stepTimeout): Promise<Locator> {
    const line = this.activeEditor().locator('.view-line', { hasText: text }).first();
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expect }).first();
    // Hovers stay hidden while another editor (the Output panel) has focus: click into the
    // editor first, as a user looking at the code would have.
    await line.click({ position: { x: 1, y: 2 } });
    const deadline = Date.now() + timeout;
    for (;;) {
      // Measured on every try: code lenses and decorations arrive late and shift the text.
      await line.waitFor({ timeout: stepTimeout });
      const point = await line.evaluate(middleOfText, text);
      if (!point) throw new Error(`"${text}" not found in the editor line`);
      await this.page.mouse.move(point.x, 5);
      await this.page.mouse.move(point.x, point.y, { steps: 4 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 5_000 });
        return hover;
      } catch (e) {
        // The language server may still be indexing: a fresh hover request asks again.
        if (Date.now() > deadline) {
          const seen = await this.page.locator('.monaco-hover:visible').allInnerTexts();
          throw new Error(`no hover with ${String(expect)} over "${text}"; visible hovers: ${JSON.stringify(seen)}`, { cause: e });
        }
      }
    }
  }

  /** Shows an output channel in the Output panel (palette → "Output: Show Output Channels..."). */
  async showOutputChannel(name: string): Promise<void> {
    await this.runCommand('Output: Show Output Channels...');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact(name) }) }).first();
    await row.waitFor({ timeout: stepTimeout });
    await row.click();
    await this.outputEditor().locator('.view-line').first().waitFor({ timeout: stepTimeout });
  }

  private outputEditor(): Locator {
    return this.page.locator('.part.panel .output-view .monaco-editor, .part.panel .monaco-editor').first();
  }

  /** Waits until the visible tail of the shown output channel contains `pattern`. */
  async waitForOutput(pattern: RegExp, timeout = stepTimeout): Promise<void> {
    await this.outputEditor().locator('.view-line', { hasText: pattern }).first().waitFor({ timeout });
  }

  /**
   * Reads the whole text of an output channel. Monaco renders only visible lines, so this scrolls
   * page by page and keys each line by its offset in the document until nothing new appears.
   */
  async readOutputChannel(name: string): Promise<string> {
    await this.showOutputChannel(name);
    const editor = this.outputEditor();
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    const lines = new Map<number, string>();
    for (let page = 0; page < 200; page++) {
      await nextFrames(this.page);
      const before = lines.size;
      const visible = await editor.locator('.view-line').evaluateAll((els) => els.map((el) => [parseFloat((el as HTMLElement).style.top) || 0, (el.textContent ?? '').replace(/\u00a0/g, ' ')] as const));
      for (const [top, text] of visible) lines.set(top, text);
      if (page > 0 && lines.size === before) break;
      await this.page.keyboard.press('PageDown');
    }
    return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('\n');
  }

  /** The lineage webview's document: webviews are an outer iframe with the content in #active-frame. */
  lineage(): FrameLocator {
    return this.page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame();
  }

  /**
   * Records every notification that appears (toast or notification-centre entry) from now on,
   * so a short-lived progress notification is not missed.
   */
  async recordNotifications(): Promise<void> {
    await this.showNotificationCentreIfToastsHidden();
    if (this.toastsHidden) {
      // Let running progress (e.g. "Activating Extensions...") end first: the centre closes when
      // it empties, and would then miss the notification the caller is about to cause.
      await this.page.locator('.notifications-center .notification-list-item .monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout: stepTimeout });
      await this.showNotificationCentreIfToastsHidden();
    }
    // A string, not a function: tsx's esbuild wraps named inner functions in a `__name` helper
    // that does not exist in the page.
    await this.page.evaluate(`(() => {
      if (window.__seenNotifications) return;
      const seen = (window.__seenNotifications = []);
      const grab = () => {
        for (const el of document.querySelectorAll('.notification-toast, .notifications-center .notification-list-item')) {
          const text = el.innerText.replace(/\\s+/g, ' ').trim();
          if (text && !seen.includes(text)) seen.push(text);
        }
      };
      new MutationObserver(grab).observe(document.body, { childList: true, subtree: true, characterData: true });
      grab();
    })()`);
  }

  /**
   * Without toasts, notifications render only while the centre is open, and the centre closes
   * itself when its last notification (say, a finished progress) goes: reopen it.
   */
  private async showNotificationCentreIfToastsHidden(): Promise<void> {
    const centre = this.page.locator('.notifications-center.visible');
    if (!this.toastsHidden || (await centre.isVisible())) return;
    await this.runCommand('Notifications: Show Notifications');
    await centre.waitFor({ timeout: stepTimeout });
  }

  /** Waits for a recorded notification matching `pattern`; returns its text. */
  async waitForNotification(pattern: RegExp, timeout = stepTimeout): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const handle = await this.page.waitForFunction((source) => {
          const re = new RegExp(source, 'i');
          const seen = (window as unknown as { __seenNotifications?: string[] }).__seenNotifications ?? [];
          return seen.find((t) => re.test(t));
        }, pattern.source, { timeout: this.toastsHidden ? 3_000 : timeout });
        return (await handle.jsonValue()) as string;
      } catch (e) {
        if (Date.now() > deadline || !this.toastsHidden) {
          throw new Error(`no notification matching ${String(pattern)}; seen: ${JSON.stringify(await this.seenNotifications())}`, { cause: e });
        }
        await this.showNotificationCentreIfToastsHidden();
      }
    }
  }

  async seenNotifications(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __seenNotifications?: string[] }).__seenNotifications ?? []);
  }

  /** Saves a screenshot of the whole window to test-results/e2e/<prefix><name>.png. */
  async screenshot(name: string): Promise<string> {
    const path = join(ensureResultsDir(), `${this.shotPrefix}${name}.png`);
    await this.page.screenshot({ path, animations: 'disabled' });
    return path;
  }
}

/** Matches a label exactly (Playwright's hasText string is a substring match). */
export function exact(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Runs in the page: the viewport point of the middle character of `needle` inside `el`, found
 * with a DOM Range over the text nodes (Monaco renders spaces as U+00A0).
 */
function middleOfText(el: Element, needle: string): { x: number; y: number } | undefined {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const whole = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
  let target = whole.indexOf(needle) + Math.floor(needle.length / 2);
  for (const node of nodes) {
    if (target < node.data.length) {
      const range = document.createRange();
      range.setStart(node, target);
      range.setEnd(node, target + 1);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    target -= node.data.length;
  }
  return undefined;
}

/** Resolves after two animation frames: Monaco renders scrolled lines on the next frame. */
export function nextFrames(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}
