// Seed 003 (weather_course) in a real VS Code: from the lineage panel a user opens the partition
// matrix of the daily asset, drags across a week to backfill it while one day's file is missing,
// sees that day red, puts the file back, clicks the red cell to re-run that day, and sees it green.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { suiteSession } from './support/session';
import { stepTimeout } from './support/workbench';
import { step } from './support/userPath';
import { PartitionMatrix } from './support/partitionMatrix';
import { openLineageTab } from './support/lineage';

const asset = 'daily_weather_raw';
const week = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07'];
const failing = 3;

describe('weather_course in VS Code: backfill a week from the partition matrix', { timeout: 15 * 60_000 }, () => {
  const { wb, session } = suiteSession({ name: 'partitions', shotPrefix: 'partitions-', seed: 'weather_course', extension: { kind: 'development' } });
  const weatherFile = (name: string): string => join(session().workspace, 'data', 'weather', name);

  test('Show Partitions on the daily asset opens its matrix, all missing', () => step(wb(), 'open-matrix', async (w) => {
    await w.waitForWorkbench();
    // The day's readings have not arrived: its partition will fail, as in test/slow/partitions.test.ts.
    renameSync(weatherFile(`${week[failing]}.csv`), weatherFile('late.csv'));
    const view = await openLineageTab(w, 12, 10);
    await view.locator(`g.node[data-key="${asset}"]`).click({ button: 'right' });
    await view.locator('#context-menu button[data-action="show-partitions"]').click();
    const matrix = new PartitionMatrix(w, view);
    await matrix.waitForCells();
    assert.equal(await view.locator('.partition-title').textContent(), `Partitions · ${asset}`);
    await matrix.zoomToPartitions();
    assert.equal((await matrix.cell(0, 0)).state, 'missing');
    await w.screenshot('matrix-empty');
  }));

  test('dragging across the week backfills it; the missing day shows failed, in red', () => step(wb(), 'backfill', async (w) => {
    const matrix = new PartitionMatrix(w);
    await matrix.drag(0, 0, week.length - 1);
    const red = await matrix.waitForState(0, failing, 'failed', 3 * stepTimeout);
    assert.deepEqual(red.rgb, await matrix.legend('failed'), 'the failed day has the legend\'s failed colour');
    for (const [i, day] of week.entries()) {
      if (i !== failing) assert.equal((await matrix.waitForState(0, i, 'materialized')).state, 'materialized', day);
    }
    assert.deepEqual((await matrix.cell(0, 0)).rgb, await matrix.legend('materialized'));
    assert.equal((await matrix.cell(0, week.length)).state, 'missing', 'the drag stopped at the seventh day');
    await w.screenshot('backfill-one-failed');
    const log = await w.readOutputChannel('Asset Lens');
    assert.match(log, new RegExp(`backfill failed, 6/7 partitions materialized`), log);
    assert.match(log, new RegExp(`✗ ${week[failing]}`), log);
    assert.match(log, new RegExp(`✓ ${asset} \\[${week[0]}\\]\\s+48 rows`), 'each step line names its partition');
  }));

  test('clicking the red day after its file is back re-runs only that day: the week is green', () => step(wb(), 'rerun', async (w) => {
    renameSync(weatherFile('late.csv'), weatherFile(`${week[failing]}.csv`));
    const matrix = new PartitionMatrix(w);
    await matrix.click(0, failing);
    const green = await matrix.waitForState(0, failing, 'materialized', 2 * stepTimeout);
    assert.deepEqual(green.rgb, await matrix.legend('materialized'));
    for (const i of week.keys()) assert.equal((await matrix.cell(0, i)).state, 'materialized', week[i]);
    await w.screenshot('rerun-green');
    const log = await w.readOutputChannel('Asset Lens');
    assert.match(log, new RegExp(`Materializing ${asset} \\[${week[failing]}\\]`), log);
  }));
});
