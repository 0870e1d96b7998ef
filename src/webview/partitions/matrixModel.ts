// The partition matrix as numbers: one state code per partition and asset, prefix counts so that
// any range of partitions is summarised in constant time, and calendar buckets (week, month, year)
// for when the matrix is zoomed out. 100,000 partitions stay cheap because a frame only ever looks
// at the cells in view, each in O(1).
import type { PartitionStatusMessage, PartitionState } from '../../shared/webviewProtocol';
import { PARTITION_STATE_CODES } from '../../shared/webviewProtocol';

export const STATES: readonly PartitionState[] = ['missing', 'materialized', 'failed', 'stale', 'running'];
/** Most urgent first: a bucket shows the most urgent state any of its partitions has. */
const URGENCY: readonly PartitionState[] = ['failed', 'running', 'stale', 'missing', 'materialized'];
const CODE_TO_STATE = new Map<string, number>(STATES.map((s, i) => [PARTITION_STATE_CODES[s], i]));

export type Unit = 'partition' | 'week' | 'month' | 'year' | 'span';

export interface MatrixRow {
  readonly key: string;
  /** counts[s][i]: partitions before index i in state s. */
  readonly counts: readonly Int32Array[];
}

export class MatrixModel {
  readonly partitionKeys: readonly string[];
  readonly rows: readonly MatrixRow[];
  /** True when every partition key starts with an ISO date, so calendar buckets apply. */
  readonly dated: boolean;
  private readonly buckets = new Map<Unit, Int32Array>();

  constructor(msg: Pick<PartitionStatusMessage, 'partitionKeys' | 'rows'>) {
    this.partitionKeys = msg.partitionKeys;
    const n = msg.partitionKeys.length;
    this.rows = msg.rows.map((r) => ({ key: r.key, counts: prefixCounts(r.states, n) }));
    this.dated = n > 0 && msg.partitionKeys.every((k) => /^\d{4}-\d{2}-\d{2}/.test(k));
  }

  get size(): number { return this.partitionKeys.length; }

  /** Start index of each bucket of `unit`; calendar units need dated keys. */
  starts(unit: Unit): Int32Array {
    const known = this.buckets.get(unit);
    if (known) return known;
    const out: number[] = [];
    let last = '';
    this.partitionKeys.forEach((k, i) => {
      const id = unit === 'partition' ? String(i) : bucketId(k, unit);
      if (id !== last) { out.push(i); last = id; }
    });
    const starts = Int32Array.from(out);
    this.buckets.set(unit, starts);
    return starts;
  }

  /** How many partitions of row `r` in [from, to) are in each state. */
  tally(r: number, from: number, to: number): number[] {
    const c = this.rows[r]!.counts;
    return STATES.map((_, s) => c[s]![to]! - c[s]![from]!);
  }

  /** The state a range of row `r` is drawn in, and whether all its partitions share it. */
  summary(r: number, from: number, to: number): { readonly state: PartitionState; readonly uniform: boolean } {
    const t = this.tally(r, from, to);
    const state = URGENCY.find((s) => t[STATES.indexOf(s)]! > 0) ?? 'missing';
    return { state, uniform: t[STATES.indexOf(state)] === to - from };
  }

  /** Each state's share of all of an asset's partitions, for the node's health bar. */
  health(key: string): { state: PartitionState; share: number }[] | undefined {
    const r = this.rows.findIndex((row) => row.key === key);
    if (r < 0 || !this.size) return undefined;
    return this.tally(r, 0, this.size).map((n, s) => ({ state: STATES[s]!, share: n / this.size }));
  }
}

function prefixCounts(states: string, n: number): Int32Array[] {
  const counts = STATES.map(() => new Int32Array(n + 1));
  for (let i = 0; i < n; i++) {
    // A row shorter than the keys, or an unknown code, reads as missing.
    const s = CODE_TO_STATE.get(states[i] ?? '.') ?? 0;
    for (let k = 0; k < counts.length; k++) counts[k]![i + 1] = counts[k]![i]! + (k === s ? 1 : 0);
  }
  return counts;
}

/** The calendar bucket of an ISO date key: its Monday, its month or its year. */
function bucketId(key: string, unit: Unit): string {
  if (unit === 'month') return key.slice(0, 7);
  if (unit === 'year') return key.slice(0, 4);
  const day = new Date(`${key.slice(0, 10)}T00:00:00Z`);
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}
