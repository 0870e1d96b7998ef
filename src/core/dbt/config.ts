// dbt's config precedence: the dbt_project.yml tree (outer to inner folders), then the property
// YAML `config:`, then `{{ config(...) }}` in the file. Tags add up and meta merges; the rest
// replaces.

/** Config names dbt accepts in the project tree without a `+` prefix. */
const knownConfigs = new Set([
  'materialized', 'schema', 'alias', 'database', 'tags', 'enabled', 'meta', 'unique_key', 'incremental_strategy',
  'on_schema_change', 'docs', 'persist_docs', 'full_refresh', 'column_types', 'quote_columns', 'delimiter',
  'pre-hook', 'post-hook', 'dagster_freshness_policy', 'dagster_auto_materialize_policy', 'group', 'contract', 'grants', 'strategy', 'updated_at',
  'check_cols', 'target_schema', 'target_database', 'sql_header', 'partition_by', 'cluster_by', 'severity',
]);

export type Config = Record<string, unknown>;

/** Merges `over` onto `base` with dbt's rules for tags and meta. */
export function mergeConfig(base: Config, over: Readonly<Config>): Config {
  const out: Config = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === 'tags') out.tags = [...new Set([...asList(out.tags), ...asList(v)])];
    else if (k === 'meta' && isObj(v)) out.meta = { ...(isObj(out.meta) ? out.meta : {}), ...v };
    else out[k] = v;
  }
  return out;
}

/**
 * The config the project tree gives a node: `tree` is `models:`/`seeds:` from dbt_project.yml,
 * `packageName` the node's package and `segments` its path below the resource path (folders, then
 * the file name without extension).
 */
export function treeConfig(tree: Readonly<Config>, packageName: string, segments: readonly string[]): Config {
  let config: Config = {};
  // Top-level `+config` keys apply to every package.
  config = mergeConfig(config, configsAt(tree));
  let level = tree[packageName];
  for (let i = 0; isObj(level); i++) {
    config = mergeConfig(config, configsAt(level));
    const seg = segments[i];
    if (seg === undefined) break;
    level = level[seg];
  }
  return config;
}

function configsAt(level: Readonly<Config>): Config {
  const out: Config = {};
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('+')) out[k.slice(1)] = v;
    else if (knownConfigs.has(k) && !(isObj(v) && k !== 'meta' && k !== 'docs' && k !== 'persist_docs' && k !== 'column_types' && k !== 'grants' && k !== 'dagster_freshness_policy' && k !== 'dagster_auto_materialize_policy')) out[k] = v;
  }
  return out;
}

export const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
export const tagList = asList;

/** `meta: {dagster: {asset_key: [...]}}` overrides the key, as dagster-dbt's translator does. */
export function dagsterKey(meta: unknown): string[] | undefined {
  if (!isObj(meta) || !isObj(meta.dagster)) return undefined;
  const k = meta.dagster.asset_key;
  return Array.isArray(k) && k.every((s) => typeof s === 'string') ? (k as string[]) : typeof k === 'string' ? k.split('/') : undefined;
}
