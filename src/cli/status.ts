// `asset-lens status`: the last materialization of each asset, what makes it stale, how many of its
// partitions are materialized, whether it is late for its freshness policy, and the schedules and
// sensors that run or watch it. Sources are
// observed first, so an edited CSV shows as newer data upstream.
import { join } from 'node:path';
import type { MaterializationDto } from '../shared/dto';
import type { Graph } from '../core/graph';
import type { AssetKey } from '../core/model';
import type { AssetStaleness } from '../core/staleness';
import { relativeTime } from '../core/present';
import { automationsOf } from '../core/automationTargets';
import { metadataFile } from '../core/warehouse';
import { assetState } from '../adapters/assetState';
import { MetadataStore } from '../adapters/metadataStore';
import { out } from './common';

export interface PartitionCounts { readonly materialized: number; readonly failed: number; readonly missing: number; readonly total: number }

/** Counts of a partitioned asset's partitions; stale partitions count as materialized (they hold data). */
export function partitionCounts(s: AssetStaleness): PartitionCounts | undefined {
  const p = s.partitions;
  if (!p) return undefined;
  const c = p.counts();
  return { materialized: c.materialized + c.stale + c.running, failed: c.failed, missing: c.missing, total: p.size };
}

/** `  models/stg_orders.sql:7  Binder Error: …`: where a failure points and its first line; empty for anything else. */
function failure(m: MaterializationDto | null, file: string | undefined): string {
  if (m?.status !== 'failed' || !m.error) return '';
  const message = m.error.split('\n')[0]!.trim();
  if (!file) return `  ${message}`;
  const where = m.errorLine ? `${file}:${m.errorLine}` : file;
  return `  ${where}  ${message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message}`;
}

export async function printStatus(root: string, graph: Graph, json: boolean): Promise<number> {
  const path = join(root, metadataFile);
  const state = await assetState(root, graph, path, Date.now(), true);
  const store = await MetadataStore.open(path);
  let last: Map<string, MaterializationDto>;
  try { last = new Map((await store.lastMaterializations()).map((m) => [m.key, m])); } finally { store.close(); }
  const assets = [...graph.assets.values()].map((a) => {
    const s = state.report.assets.get(a.key);
    const partitions = s && partitionCounts(s);
    const automations = automationsOf(graph, a.key);
    return {
      key: a.key as string, kind: a.kind, lastMaterialization: last.get(a.key) ?? null,
      state: s?.status ?? 'fresh', stale: { reasons: (s?.reasons ?? []).map((r) => r.message) },
      ...(partitions ? { partitions } : {}), ...(s?.freshness ? { freshness: { state: s.freshness.state, message: s.freshness.message } } : {}),
      ...(automations.length ? { automations } : {}),
    };
  });
  if (json) { out(JSON.stringify({ assets }, null, 2)); return 0; }
  const now = new Date();
  for (const a of assets) {
    const m = a.lastMaterialization;
    const base = m ? `${m.status}  ${relativeTime(new Date(m.startedAt), now)}${m.rows !== undefined ? `  ${m.rows.toLocaleString('en-US')} rows` : ''}${m.checks?.length ? `  ${m.checks.filter((c) => c.status === 'pass').length}/${m.checks.length} checks` : ''}` : 'never materialized';
    const parts = a.partitions ? `  partitions ${a.partitions.materialized}/${a.partitions.total}${a.partitions.failed ? ` (${a.partitions.failed} failed)` : ''}` : '';
    const stale = a.stale.reasons.length && m ? `  stale: ${a.stale.reasons.join('; ')}` : '';
    const fresh = a.freshness && a.freshness.state !== 'fresh' ? `  ${a.freshness.message}` : '';
    const autos = a.automations ? `  automation: ${a.automations.join('; ')}` : '';
    out(`${a.key}  ${base}${failure(m, graph.assets.get(a.key as AssetKey)?.file)}${parts}${stale}${fresh}${autos}`);
  }
  return 0;
}
