// Small text helpers shared by the index, the selection and the runner: edit distance, "did you
// mean", and an error's message.

/** Levenshtein distance, for suggesting close names. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest of `candidates` to `name` when it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const n = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined, bestD = Infinity;
  for (const c of candidates) {
    // Only names within `limit` edits can be suggested, and a length difference is that many edits at least.
    const lc = c.toLowerCase();
    if (Math.abs(lc.length - n.length) > limit) continue;
    const d = editDistance(n, lc);
    if (d > limit) continue;
    if (d < bestD || (d === bestD && best !== undefined && c < best)) { best = c; bestD = d; }
  }
  return best;
}

/** An error's message (anything thrown, as text). */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The first line of a message, trimmed: what fits in a note or a summary. */
export const firstLine = (s: string | undefined): string => (s ?? '').split('\n')[0]!.trim();
