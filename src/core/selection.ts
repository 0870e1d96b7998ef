// Selections as data (dbt/Dagster syntax): parse → tree → resolve(graph) → keys; format(parse(s)) == s.
//   `customers`, `+customers`, `customers+`, `2+customers`, `+customers+1`, `tag:x`, `group:x`,
//   `key:target/main/*`, `path:models/staging`, `kind:seed`; union by space, intersection by comma.
import type { Asset, AssetKey } from './model';
import { ancestors, descendants, type Graph } from './graph';
import { closest } from './text';

export type Method = 'name' | 'tag' | 'group' | 'key' | 'path' | 'kind';

export interface Atom {
  readonly method: Method;
  readonly value: string;
  /** Upstream depth: undefined none, Infinity for a bare `+`. */
  readonly up?: number;
  readonly down?: number;
}

/** A union of intersections of atoms. */
export interface Selection {
  readonly union: readonly (readonly Atom[])[];
  readonly exclude: readonly (readonly Atom[])[];
}

export class SelectionError extends Error {}

const methods = new Set<Method>(['name', 'tag', 'group', 'key', 'path', 'kind']);

export function parseSelection(text: string, exclude = ''): Selection {
  const parseUnion = (s: string) => s.trim().split(/\s+/).filter(Boolean).map((term) => term.split(',').map(parseAtom));
  const union = parseUnion(text);
  if (!union.length) throw new SelectionError('The selection is empty');
  return { union, exclude: parseUnion(exclude) };
}

function parseAtom(s: string): Atom {
  const m = /^(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/.exec(s);
  if (!m) throw new SelectionError(`Cannot read selection '${s}'`);
  const [, upN, body, downN] = m;
  const up = s.match(/^\d*\+/) ? (upN ? Number(upN) : Infinity) : undefined;
  const down = /\+\d*$/.test(s) ? (downN ? Number(downN) : Infinity) : undefined;
  const colon = body!.indexOf(':');
  let method: Method = 'name', value = body!;
  if (colon > 0) {
    const name = body!.slice(0, colon) as Method;
    if (!methods.has(name)) throw new SelectionError(`Unknown selection method '${name}:' (use ${[...methods].join(', ')})`);
    method = name; value = body!.slice(colon + 1);
  }
  return { method, value, ...(up !== undefined ? { up } : {}), ...(down !== undefined ? { down } : {}) };
}

export function formatSelection(sel: Selection): string {
  const atom = (a: Atom) => `${a.up === undefined ? '' : a.up === Infinity ? '+' : `${a.up}+`}${a.method === 'name' ? '' : `${a.method}:`}${a.value}${a.down === undefined ? '' : a.down === Infinity ? '+' : `+${a.down}`}`;
  return sel.union.map((t) => t.map(atom).join(',')).join(' ');
}

/** The selected keys in topological order. Throws SelectionError with a suggestion when a name matches nothing. */
export function resolveSelection(g: Graph, sel: Selection): AssetKey[] {
  const evalTerms = (terms: readonly (readonly Atom[])[]) => {
    const out = new Set<AssetKey>();
    for (const term of terms) {
      const sets = term.map((a) => resolveAtom(g, a));
      for (const k of sets[0]!) if (sets.every((s) => s.has(k))) out.add(k);
    }
    return out;
  };
  const chosen = evalTerms(sel.union);
  for (const k of evalTerms(sel.exclude)) chosen.delete(k);
  return g.order.filter((k) => chosen.has(k));
}

function resolveAtom(g: Graph, a: Atom): Set<AssetKey> {
  const base = new Set<AssetKey>();
  for (const asset of g.assets.values()) if (matches(asset, a)) base.add(asset.key);
  if (!base.size && (a.method === 'name' || a.method === 'key') && !a.value.includes('*')) {
    const names = [...g.assets.values()].flatMap((x) => [x.key as string, x.key.split('/').pop()!]);
    const guess = closest(a.value, names);
    throw new SelectionError(`No asset matches '${a.value}'${guess ? `. Did you mean '${guess}'?` : ''}`);
  }
  const out = new Set(base);
  for (const k of base) {
    if (a.up !== undefined) for (const u of ancestors(g, k, a.up)) out.add(u);
    if (a.down !== undefined) for (const d of descendants(g, k, a.down)) out.add(d);
  }
  return out;
}

function matches(asset: Asset, a: Atom): boolean {
  switch (a.method) {
    case 'name': {
      if (!a.value.includes('*')) return asset.key === a.value || asset.key.split('/').pop() === a.value || asset.dbt?.name === a.value;
      const g = a.value === '*' ? /^/ : glob(a.value);
      return g.test(asset.key) || g.test(asset.key.split('/').pop()!);
    }
    case 'key': return glob(a.value).test(asset.key);
    case 'tag': return asset.tags.includes(a.value);
    case 'group': return asset.group === a.value;
    case 'kind': return asset.kind === a.value;
    case 'path': { const p = a.value.replace(/\/$/, ''); return asset.file === p || asset.file.startsWith(p + '/') || asset.file.endsWith('/' + p) || asset.file.includes('/' + p + '/'); }
  }
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}
