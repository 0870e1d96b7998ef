// A selection that reaches a dbt exposure builds everything it depends on and skips the exposure
// itself (nothing builds a dashboard), with no error: in the run and in `asset-lens graph --json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, run, workspace } from './runnerFixture';

const exposureYaml = "version: 2\nexposures:\n  - name: customer_dashboard\n    type: dashboard\n    owner:\n      email: data@jaffle.shop\n    depends_on:\n      - ref('customers')\n";

test('materializing +an exposure builds its upstream and skips the exposure without an error', async () => {
  const root = workspace({ 'models/exposures.yml': exposureYaml });
  const { summary, events } = await run(root, '+customer_dashboard');
  assert.equal(summary.status, 'success', JSON.stringify(summary.steps.map((s) => [s.key, s.status, s.error])));
  const last = events.filter((e) => e.status !== 'running');
  const exposure = last.find((e) => e.key === 'customer_dashboard')!;
  assert.equal(exposure.status, 'skipped');
  assert.match(exposure.note ?? '', /Exposures show where data is used/);
  assert.equal(last.find((e) => e.key === 'customers')!.status, 'success');
  assert.ok(last.filter((e) => e.status === 'failed').length === 0);
  const graph = JSON.parse(cli('graph', root, '--json').stdout) as { assets: { key: string; kind: string; deps: string[]; dbt?: { unique_id: string } }[] };
  assert.deepEqual(graph.assets.find((a) => a.key === 'customer_dashboard'), { key: 'customer_dashboard', kind: 'exposure', file: 'models/exposures.yml', line: 3, deps: ['customers'], dbt: { unique_id: 'exposure.jaffle_shop.customer_dashboard' } });
});
