// What the automation read from Dagster code does to one asset, in words, for the hover and
// `asset-lens status`: the schedules, folder sensors and asset sensors that run it, and the asset
// sensors that watch it.
import type { Graph } from './graph';
import type { Asset, AssetKey } from './model';

/** The asset's own policies in words ("freshness policy: max lag 5 min", "auto-materialize: eager"); empty when it declares none. */
export function policiesOf(asset: Asset): string[] {
  const out: string[] = [];
  const f = asset.freshness;
  if (f) out.push(`freshness policy: max lag ${f.maximumLagMinutes} min${f.cronSchedule ? `, by cron ${f.cronSchedule}` : ''}`);
  if (asset.automation) out.push(`auto-materialize: ${asset.automation}`);
  return out;
}

/** One line per schedule or sensor that runs or watches `key`, in the graph's order; empty when none does. */
export function automationsOf(graph: Graph, key: AssetKey): string[] {
  const a = graph.automations;
  if (!a) return [];
  const out: string[] = [];
  for (const s of a.schedules) if (s.selection.includes(key)) out.push(`schedule ${s.name}: ${s.cron}${s.timezone ? ` (${s.timezone})` : ''}`);
  for (const s of a.sensors) {
    if (!s.selection.includes(key)) continue;
    out.push(`sensor ${s.name}: new files in ${s.folder}/${s.suffix ? `*${s.suffix}` : ''}${s.partitionFromFileName ? ' (one partition per file)' : ''}`);
  }
  for (const s of a.assetSensors ?? []) {
    if (s.selection.includes(key)) out.push(`asset sensor ${s.name}: runs when ${s.asset} gets a new materialization`);
    if (s.asset === key) out.push(`asset sensor ${s.name} watches it: a new materialization runs ${s.selection.join(', ')}`);
  }
  return out;
}
