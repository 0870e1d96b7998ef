// The search box's selection syntax, a client-side subset of dbt's and Dagster's: words separated by
// spaces are a union, commas inside a word an intersection. Atoms: `name` (substring of the name, or
// of the key when it has a `/`), `+name` / `name+` / `2+name+1` (the asset named exactly so, or the
// substring matches when none is, with its upstream / downstream, optionally to a depth),
// `tag:x`, `group:x`, `kind:x`, `key:a/*`.
import type { AssetDto } from '../shared/dto';
import type { AssetIndex } from './graphModel';
import { reach } from './graphModel';
import { kindLook } from './kinds';

/** The keys the query selects; undefined when the query is empty (nothing is filtered). */
export function selectKeys(index: AssetIndex, query: string): ReadonlySet<string> | undefined {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return undefined;
  const out = new Set<string>();
  for (const word of words) {
    const parts = word.split(',').filter(Boolean).map((atom) => selectAtom(index, atom));
    const [first, ...rest] = parts;
    for (const k of first ?? []) if (rest.every((p) => p.has(k))) out.add(k);
  }
  return out;
}

function selectAtom(index: AssetIndex, atom: string): Set<string> {
  const colon = atom.indexOf(':');
  const method = colon > 0 ? atom.slice(0, colon) : '';
  const value = colon > 0 ? atom.slice(colon + 1) : atom;
  switch (method) {
    case 'tag': return filter(index, (a) => (a.tags ?? []).some((t) => t.toLowerCase() === value));
    case 'group': return filter(index, (a) => (index.clusters.get(a.key) ?? '').toLowerCase() === value);
    case 'kind': return filter(index, (a) => a.kind === value || kindLook(a.kind).label === value);
    case 'key': {
      const re = globRegExp(value);
      return filter(index, (a) => re.test(a.key.toLowerCase()));
    }
    default: return graphAtom(index, atom);
  }
}

/** `[n]+name+[n]`: the seeds with their upstream and downstream to the given depths. */
function graphAtom(index: AssetIndex, atom: string): Set<string> {
  const m = /^(\d*)(\+?)(.*?)(\+?)(\d*)$/.exec(atom);
  const name = m?.[3] ?? atom;
  const up = m?.[2] === '+';
  const down = m?.[4] === '+';
  if (!up && !down) return substring(index, atom);
  const exact = filter(index, (a) => a.key.toLowerCase() === name || lastSegment(a.key) === name);
  const seeds = exact.size ? exact : substring(index, name);
  const depth = (digits: string | undefined): number => (digits ? Number(digits) : Infinity);
  const out = new Set(seeds);
  if (up) for (const k of reach(index, seeds, depth(m?.[1]), true, false)) out.add(k);
  if (down) for (const k of reach(index, seeds, depth(m?.[5]), false, true)) out.add(k);
  return out;
}

function substring(index: AssetIndex, text: string): Set<string> {
  const byKey = text.includes('/');
  return filter(index, (a) => (byKey ? a.key.toLowerCase() : lastSegment(a.key)).includes(text));
}

function filter(index: AssetIndex, keep: (a: AssetDto) => boolean): Set<string> {
  const out = new Set<string>();
  for (const a of index.assets.values()) if (keep(a)) out.add(a.key);
  return out;
}

function lastSegment(key: string): string {
  return (key.split('/').pop() || key).toLowerCase();
}

function globRegExp(glob: string): RegExp {
  const body = glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}
