// Steps several e2e tests share, written as the user does them, with failures that say what the
// user saw instead (so a red run can be fixed from its message and screenshot alone).
import assert from 'node:assert/strict';
import { nextFrames, stepTimeout, type Workbench } from './workbench';

/** Runs one step; on failure saves test-results/e2e/<prefix>failure-<name>.png before rethrowing. */
export async function step(w: Workbench, name: string, body: (w: Workbench) => Promise<void>): Promise<void> {
  try {
    await body(w);
  } catch (e) {
    const shot = await w.screenshot(`failure-${name}`).catch(() => 'none');
    if (e instanceof Error) e.message += `\n  screenshot: ${shot}`;
    // Leave no palette, menu or modal open: the next step starts from a usable workbench.
    for (let i = 0; i < 2; i++) await w.page.keyboard.press('Escape').catch(() => undefined);
    throw e;
  }
}

/**
 * Asset Lens was activated by `workspaceContains:**\/dbt_project.yml`, not by a command: the
 * "Developer: Show Running Extensions" editor lists it with an activation time.
 */
export async function expectActivated(w: Workbench): Promise<void> {
  await w.runCommand('Developer: Show Running Extensions');
  const list = w.page.locator('.runtime-extensions-editor .monaco-list').first();
  await list.locator('.monaco-list-row').first().waitFor({ timeout: stepTimeout });
  // A development extension is listed by its id, an installed one by its display name.
  const row = list.locator('.monaco-list-row', { has: w.page.locator('.name', { hasText: /^\s*(Asset Lens|asset-lens\.asset-lens)\s*$/ }) }).first();
  // The list is virtualised (only visible rows exist): scroll it until the row shows or the end.
  let seen: string[] = [];
  for (let i = 0; i < 30 && !(await row.isVisible()); i++) {
    const names = await list.locator('.monaco-list-row .name').allInnerTexts();
    if (names.join('|') === seen.join('|')) break;
    seen = names;
    await list.hover();
    await w.page.mouse.wheel(0, 300);
    await nextFrames(w.page);
  }
  try {
    await row.locator('.activation-time', { hasText: /\d/ }).waitFor({ timeout: stepTimeout });
  } catch (e) {
    const rows = await list.locator('.monaco-list-row').allInnerTexts();
    throw new Error(`Asset Lens is not listed as activated; running extensions seen:\n${seen.concat(rows).map((r) => r.replace(/\s+/g, ' ')).join('\n')}`, { cause: e });
  }
  // Close the Running Extensions editor (a modal in VS Code 1.139) so the workbench is usable.
  await w.page.keyboard.press('Escape');
  await list.waitFor({ state: 'hidden', timeout: stepTimeout }).catch(() => w.runCommand('View: Close Editor'));
}

/**
 * Waits for the lineage webview to show the 8 jaffle_shop assets and returns their names, in
 * the order the view draws them.
 */
export async function expectLineage(w: Workbench): Promise<string[]> {
  const view = w.lineage();
  const summary = view.locator('#summary');
  try {
    await view.locator('#summary', { hasText: /8 assets\s*·\s*8 edges/ }).waitFor({ timeout: 2 * stepTimeout });
  } catch (e) {
    const seen = await summary.innerText({ timeout: 2_000 }).catch(() => '(no #summary element)');
    const body = await view.locator('body').innerText({ timeout: 2_000 }).catch(() => '(no webview document)');
    throw new Error(`lineage #summary is "${seen}", expected "8 assets · 8 edges"; webview text: ${body.slice(0, 500)}`, { cause: e });
  }
  const nodes = view.locator('g.node[data-key]');
  assert.equal(await nodes.count(), 8, 'eight g.node[data-key] elements');
  return (await view.locator('g.node[data-key] .node-name').allTextContents()).map((t) => t.trim());
}
