// Copy-on-write maps for patched graphs: a layer replaces a few values and shares the rest (keys
// and their order) with the map below it, so an edit costs what it changed, not the graph's size.

/**
 * A map with a few values replaced, sharing the rest with `base` (same keys, same order). Layers
 * do not stack: a layer over a layer merges into one, and many changes are flattened into a Map.
 */
export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  constructor(private readonly base: ReadonlyMap<K, V>, private readonly changes: ReadonlyMap<K, V>) {}
  static over<K, V>(map: ReadonlyMap<K, V>, changes: Iterable<readonly [K, V]>): ReadonlyMap<K, V> {
    const base = map instanceof LayeredMap ? (map.base as ReadonlyMap<K, V>) : map;
    const merged = new Map<K, V>(map instanceof LayeredMap ? (map.changes as ReadonlyMap<K, V>) : []);
    for (const [k, v] of changes) merged.set(k, v);
    // A layer only replaces values; a new key (no caller adds one) gets a plain copy rather than a wrong `has`.
    for (const k of merged.keys()) if (!base.has(k)) return new Map([...map, ...merged]);
    if (merged.size > 256) return new Map(new LayeredMap(base, merged));
    return new LayeredMap(base, merged);
  }
  /** Keys whose values may differ between two layers over one base (their key sets are equal); undefined when they share no base. */
  static changed<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): Set<K> | undefined {
    const baseOf = (m: ReadonlyMap<K, V>) => (m instanceof LayeredMap ? (m.base as ReadonlyMap<K, V>) : m);
    if (!(b instanceof LayeredMap) || baseOf(a) !== b.base) return undefined;
    const out = new Set<K>((b.changes as ReadonlyMap<K, V>).keys());
    if (a instanceof LayeredMap) for (const k of (a.changes as ReadonlyMap<K, V>).keys()) out.add(k);
    return out;
  }
  get size(): number { return this.base.size; }
  has(k: K): boolean { return this.base.has(k); }
  get(k: K): V | undefined { return this.changes.has(k) ? this.changes.get(k) : this.base.get(k); }
  *entries(): MapIterator<[K, V]> { for (const [k, v] of this.base) yield [k, this.changes.has(k) ? this.changes.get(k)! : v]; }
  keys(): MapIterator<K> { return this.base.keys(); }
  *values(): MapIterator<V> { for (const [, v] of this.entries()) yield v; }
  [Symbol.iterator](): MapIterator<[K, V]> { return this.entries(); }
  forEach(f: (v: V, k: K, m: ReadonlyMap<K, V>) => void): void { for (const [k, v] of this.entries()) f(v, k, this); }
}

/**
 * The keys whose assets may differ between a graph and a graph patched from it (same keys), without
 * visiting every key; undefined when the maps share nothing to tell (then compare every key).
 */
export const changedKeys = <K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>): ReadonlySet<K> | undefined => LayeredMap.changed(before, after);

export const layered = <K, V>(map: ReadonlyMap<K, V>, changes: Iterable<readonly [K, V]>): ReadonlyMap<K, V> => LayeredMap.over(map, changes);
