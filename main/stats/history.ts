// A container's recent samples: a ring of typed arrays that grows on demand up to `capacity`
// points and forgets samples older than `windowMs`, so a container sampled every 10 s holds
// ~90 points, not 900, and 10,000 containers stay small.
import type { ContainerStats, StatsHistory } from '../../shared/stats';

export type HistoryPoint = StatsHistory['points'][number];

const FIELDS = ['at', 'cpuPercent', 'memUsage', 'memLimit', 'blkReadRate', 'blkWriteRate', 'netRxRate', 'netTxRate'] as const satisfies readonly (keyof HistoryPoint)[];
const INITIAL = 16;

export class HistoryRing {
  private columns: Float64Array[];
  private head = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
  ) {
    this.columns = FIELDS.map(() => new Float64Array(Math.min(INITIAL, capacity)));
  }

  get length(): number {
    return this.size;
  }

  push(sample: ContainerStats): void {
    this.evictOlderThan(sample.at - this.windowMs);
    const allocated = this.columns[0]!.length;
    if (this.size === allocated && allocated < this.capacity) this.grow(Math.min(this.capacity, allocated * 2));
    const cap = this.columns[0]!.length;
    const slot = (this.head + this.size) % cap;
    FIELDS.forEach((f, i) => (this.columns[i]![slot] = sample[f]));
    if (this.size < cap) this.size++;
    else this.head = (this.head + 1) % cap; // full: the oldest is overwritten
  }

  /** Oldest first. */
  points(): HistoryPoint[] {
    const cap = this.columns[0]!.length;
    const out: HistoryPoint[] = [];
    for (let k = 0; k < this.size; k++) out.push(this.read((this.head + k) % cap));
    return out;
  }

  private read(slot: number): HistoryPoint {
    const c = this.columns;
    return {
      at: c[0]![slot]!,
      cpuPercent: c[1]![slot]!,
      memUsage: Math.round(c[2]![slot]!),
      memLimit: Math.round(c[3]![slot]!),
      blkReadRate: c[4]![slot]!,
      blkWriteRate: c[5]![slot]!,
      netRxRate: c[6]![slot]!,
      netTxRate: c[7]![slot]!,
    };
  }

  private evictOlderThan(cutoff: number): void {
    const at = this.columns[0]!;
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

/**
 * At most `maxPoints` points: consecutive samples grouped into equal buckets; each bucket keeps
 * the MAXIMUM of every value (so a one-second spike survives), the last memory limit, and the
 * time of its last sample.
 */
export function downsample(points: HistoryPoint[], maxPoints: number): HistoryPoint[] {
  if (points.length <= maxPoints) return points;
  const size = Math.ceil(points.length / maxPoints);
  const out: HistoryPoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    const bucket = points.slice(start, start + size);
    const last = bucket[bucket.length - 1]!;
    const max = (f: keyof HistoryPoint) => Math.max(...bucket.map((p) => p[f]));
    out.push({
      at: last.at,
      cpuPercent: max('cpuPercent'),
      memUsage: max('memUsage'),
      memLimit: last.memLimit,
      blkReadRate: max('blkReadRate'),
      blkWriteRate: max('blkWriteRate'),
      netRxRate: max('netRxRate'),
      netTxRate: max('netTxRate'),
    });
  }
  return out;
}
