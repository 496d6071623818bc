// Recent samples of a container or a host: a ring of typed arrays, one per column, that grows on
// demand up to `capacity` points and forgets samples older than `windowMs`, so a container
// sampled every 10 s holds ~90 points, not 900, and 10,000 containers stay small.
import type { StatsHistory, StatsHostHistory } from '../../shared/stats';

export type HistoryPoint = StatsHistory['points'][number];
export type HostHistoryPoint = StatsHostHistory['points'][number];

export const CONTAINER_COLUMNS = ['at', 'cpuPercent', 'memUsage', 'memLimit', 'blkReadRate', 'blkWriteRate', 'netRxRate', 'netTxRate'] as const satisfies readonly (keyof HistoryPoint)[];
export const HOST_COLUMNS = ['at', 'cpuPercent', 'ncpu', 'memUsage', 'memTotal'] as const satisfies readonly (keyof HostHistoryPoint)[];
const INITIAL = 16;

export class HistoryRing<C extends string = (typeof CONTAINER_COLUMNS)[number]> {
  private columns: Float64Array[];
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly names: readonly C[] = CONTAINER_COLUMNS as unknown as readonly C[],
  ) {
    this.columns = names.map(() => new Float64Array(Math.min(INITIAL, capacity)));
  }

  get length(): number {
    return this.size;
  }

  /** The time of the newest point, or undefined when empty. */
  get lastAt(): number | undefined {
    if (this.size === 0) return undefined;
    const at = this.columns[this.names.indexOf('at' as C)]!;
    return at[(this.head + this.size - 1) % at.length];
  }

  push(sample: Readonly<Record<C, number>>): void {
    this.evictOlderThan(sample['at' as C] - this.windowMs);
    const allocated = this.columns[0]!.length;
    if (this.size === allocated && allocated < this.capacity) this.grow(Math.min(this.capacity, allocated * 2));
    const cap = this.columns[0]!.length;
    const slot = (this.head + this.size) % cap;
    this.names.forEach((name, i) => (this.columns[i]![slot] = sample[name]));
    if (this.size < cap) this.size++;
    else this.head = (this.head + 1) % cap; // full: the oldest is overwritten
  }

  /** Oldest first. */
  points(): Record<C, number>[] {
    const cap = this.columns[0]!.length;
    const out: Record<C, number>[] = [];
    for (let k = 0; k < this.size; k++) {
      const slot = (this.head + k) % cap;
      const point = {} as Record<C, number>;
      this.names.forEach((name, i) => (point[name] = this.columns[i]![slot]!));
      out.push(point);
    }
    return out;
  }

  private evictOlderThan(cutoff: number): void {
    const at = this.columns[this.names.indexOf('at' as C)]!;
    while (this.size > 0 && at[this.head]! < cutoff) {
      this.head = (this.head + 1) % at.length;
      this.size--;
    }
  }

  private grow(to: number): void {
    const cap = this.columns[0]!.length;
    this.columns = this.columns.map((old) => {
      const next = new Float64Array(to);
      for (let k = 0; k < this.size; k++) next[k] = old[(this.head + k) % cap]!;
      return next;
    });
    this.head = 0;
  }
}

/** Columns that are levels or capacities, not measurements: a bucket keeps its last value. */
const LAST_VALUE = new Set(['at', 'memLimit', 'memTotal', 'ncpu']);

/**
 * At most `maxPoints` points: consecutive samples grouped into equal buckets; each bucket keeps
 * the MAXIMUM of every measurement (so a one-second spike survives), and the last time, memory
 * limit, memory total and CPU count.
 */
export function downsample<P extends Record<string, number>>(points: P[], maxPoints: number): P[] {
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / maxPoints);
  const out: P[] = [];
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const last = bucket[bucket.length - 1]!;
    const point: Record<string, number> = {};
    for (const key of Object.keys(last)) point[key] = LAST_VALUE.has(key) ? last[key]! : Math.max(...bucket.map((p) => p[key]!));
    out.push(point as P);
  }
  return out;
}
