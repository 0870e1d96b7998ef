// Binary search over ascending numbers, shared by the layout's column cuts and the partition matrix.

/** How many of the ascending `xs` are below `v`, or with `orEqual` at most `v`. */
export function countUpTo(xs: ArrayLike<number>, v: number, orEqual = false): number {
  let [lo, hi] = [0, xs.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v || (orEqual && xs[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
