// Seed 004 (stargazer) in a real VS Code: two dbt projects are one lineage (project 2 reads
// project 1's mart as a source), the downstream model's hover shows its freshness policy, and with
// automation on its freshness pulls the upstream ingestion assets it needs.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { suiteSession } from './support/session';
import { stepTimeout } from './support/workbench';
import { step } from './support/userPath';
import { waitForNodeWord, openLineageTab } from './support/lineage';

/**
 * The project's half-hourly schedule refreshes the ingestion assets, and the eager sensor then the rest,
 * whenever the wall clock passes :00 or :30: within the freshness wait that would satisfy the lag
 * before freshness acts. The copy schedules it hourly, half an hour from now, out of the suite's way.
 */
function moveScheduleAway(workspace: string): void {
  const file = join(workspace, 'assets_modern_data_stack/my_asset.py');
  const minute = (new Date().getUTCMinutes() + 30) % 60;
  writeFileSync(file, readFileSync(file, 'utf8').replace('cron_schedule="*/30 * * * *"', `cron_schedule="${minute} * * * *"`));
}

describe('stargazer in VS Code: two dbt projects, one lineage, freshness', { timeout: 20 * 60_000 }, () => {
  const { wb } = suiteSession({ name: 'cross-project', shotPrefix: 'cross-project-', seed: 'stargazer', extension: { kind: 'development' }, prepare: moveScheduleAway });

  test('the lineage joins the two projects: project 1\'s mart feeds project 2\'s join', () => step(wb(), 'lineage', async (w) => {
    await w.waitForWorkbench();
    const view = await openLineageTab(w, 7, 8);
    await view.locator('path.edge[data-from="mart/mart_gh_stargazer"][data-to="mart/mart_gh_join"]').waitFor({ state: 'attached', timeout: stepTimeout });
    await w.screenshot('lineage');
  }));

  test('hovers: the source in project 2 is project 1\'s model; the join shows its freshness policy', () => step(wb(), 'hover', async (w) => {
    await w.openFileFromExplorer('dbt_project_2/models/mart/mart_gh_join.sql');
    const source = await w.hoverOverText("source('mart', 'mart_gh_stargazer')", /model\.stargazers_1\.mart_gh_stargazer/);
    assert.match(await source.innerText(), /mart\/mart_gh_stargazer/);
    const own = await w.hoverOverText('mart_gh_cumulative as (', /freshness policy: max lag 10 min/);
    const text = await own.innerText();
    assert.match(text, /mart_gh_join/);
    assert.match(text, /Upstream 2/);
    // The policy sits at the foot of a long hover: scroll it into view for the screenshot, as a user would.
    await own.hover();
    await w.page.mouse.wheel(0, 400);
    await own.getByText(/freshness policy: max lag 10 min/).waitFor({ timeout: stepTimeout });
    await w.screenshot('hover-freshness');
  }));

  test('with automation on, the 5-minute freshness of mart_gh_cumulative runs it with fresh upstreams', () => step(wb(), 'freshness-pull', async (w) => {
    await w.runCommand('Asset Lens: Toggle Automation');
    await w.runCommand('Asset Lens: Open Lineage in Editor');
    // The first tick builds everything that was never materialized; then real time passes.
    await waitForNodeWord(w, 'mart/mart_gh_join', /^materialized$/, 2 * stepTimeout);
    await w.showOutputChannel('Asset Lens');
    // Monaco draws spaces as U+00A0 (\s matches it), and the long line wraps: wait for its head.
    await w.waitForOutput(/Automation:\s.*mart\/mart_gh_cumulative\s\(freshness/, 7 * 60_000);
    // One entry per logged run: each starts with its time; wrapped lines stay inside it.
    const runs = (await w.readOutputChannel('Asset Lens')).split(/\n(?=\d{1,2}:\d{2}:\d{2})/).filter((r) => /Automation: /.test(r));
    const pull = runs.findIndex((r) => /Automation: .*mart\/mart_gh_cumulative \(freshness/.test(r));
    // Freshness requests the upstreams with it: the schedule is out of the way (moveScheduleAway).
    for (const upstream of ['postgres/stargazers', 'postgres/stargazers_user']) {
      assert.match(runs[pull]!, new RegExp(`✓ ${upstream}\\s`), `${upstream} ran with the freshness run:\n${runs.join('\n')}`);
    }
    await w.screenshot('freshness-pull');
  }));
});
