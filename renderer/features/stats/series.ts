// Chart series for one container: history from main, then points appended from ticks.
// Pure: no React, no store.
import type { ContainerStats, StatsHistory } from '../../../shared/stats';
import { addLoad, STATS_DEFAULTS, zeroLoad } from '../../../shared/stats';

export type StatsPoint = StatsHistory['points'][number];

export const MAX_POINTS = STATS_DEFAULTS.maxChartPoints;

export const toPoint = (s: ContainerStats): StatsPoint => ({
  at: s.at, cpuPercent: s.cpuPercent, memUsage: s.memUsage, memLimit: s.memLimit,
  blkReadRate: s.blkReadRate, blkWriteRate: s.blkWriteRate, netRxRate: s.netRxRate, netTxRate: s.netTxRate,
});

/**
 * Downsample to at most `max` points by averaging equal-count buckets (the last point is kept
 * exact, so the chart ends on the latest sample). Memory limit takes the bucket's last value.
 */
export function downsample(points: readonly StatsPoint[], max: number = MAX_POINTS): StatsPoint[] {
  if (points.length <= max) return points.slice();
  if (max <= 1) return points.slice(-1);
  const out: StatsPoint[] = [];
  const buckets = max - 1;
  const body = points.length - 1;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * body) / buckets);
    const to = Math.floor(((b + 1) * body) / buckets);
    if (to <= from) continue;
    const n = to - from;
    const acc = zeroLoad();
    for (let i = from; i < to; i++) addLoad(acc, points[i]!);
    const last = points[to - 1]!;
    out.push({
      at: last.at,
      cpuPercent: acc.cpuPercent / n,
      memUsage: Math.round(acc.memUsage / n),
      memLimit: last.memLimit,
      blkReadRate: acc.blkReadRate / n,
      blkWriteRate: acc.blkWriteRate / n,
      netRxRate: acc.netRxRate / n,
      netTxRate: acc.netTxRate / n,
    });
  }
  out.push(points[points.length - 1]!);
  return out;
}

/**
 * Merge new points into a series: sorted by time, one point per timestamp (the newer copy
 * wins), at most `max` points — the oldest fall off.
 */
export function mergePoints<P extends { at: number }>(series: readonly P[], added: readonly P[], max: number = MAX_POINTS): P[] {
  if (added.length === 0) return series.length > max ? series.slice(-max) : (series as P[]);
  const last = series[series.length - 1];
  // Fast path: ticks arrive in order.
  if (!last || added.every((p, i) => p.at > (i === 0 ? last.at : added[i - 1]!.at))) {
    const next = series.concat(added);
    return next.length > max ? next.slice(-max) : next;
  }
  const byAt = new Map<number, P>();
  for (const p of series) byAt.set(p.at, p);
  for (const p of added) byAt.set(p.at, p);
  const next = [...byAt.values()].sort((a, b) => a.at - b.at);
  return next.length > max ? next.slice(-max) : next;
}
