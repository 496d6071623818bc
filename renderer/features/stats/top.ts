// The fleet "Top" view's ordering: who is hot now, across every host. Pure.
import type { ContainerStats } from '../../../shared/stats';

export type TopColumn = 'cpu' | 'mem' | 'blkio' | 'net';
export type TopSort = { column: TopColumn; dir: 'asc' | 'desc' };

export const DEFAULT_TOP_SORT: TopSort = { column: 'cpu', dir: 'desc' };

/** Memory as a share of its limit; 0 when there is no limit to speak of. */
export const memShare = (s: ContainerStats): number => (s.memLimit > 0 ? (s.memUsage / s.memLimit) * 100 : 0);

export function topKey(s: ContainerStats, column: TopColumn): number {
  switch (column) {
    case 'cpu': return s.cpuPercent;
    case 'mem': return memShare(s);
    case 'blkio': return s.blkReadRate + s.blkWriteRate;
    case 'net': return s.netRxRate + s.netTxRate;
  }
}

/** Sorted copy; ties broken by CPU (hottest first), then host and name, so rows do not shuffle. */
export function sortTop(list: Iterable<ContainerStats>, sort: TopSort = DEFAULT_TOP_SORT): ContainerStats[] {
  const dir = sort.dir === 'desc' ? -1 : 1;
  const decorated = [...list].map((s) => ({ s, k: topKey(s, sort.column) }));
  decorated.sort(
    (a, b) =>
      dir * (a.k - b.k) ||
      b.s.cpuPercent - a.s.cpuPercent ||
      (a.s.host < b.s.host ? -1 : a.s.host > b.s.host ? 1 : 0) ||
      (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0),
  );
  return decorated.map((d) => d.s);
}

/** Clicking a header: the same column flips direction; a new one starts hottest first. */
export const nextTopSort = (sort: TopSort, column: TopColumn): TopSort =>
  sort.column === column ? { column, dir: sort.dir === 'desc' ? 'asc' : 'desc' } : { column, dir: 'desc' };

/** Memory at or above this share of its limit stands out. */
export const MEM_HOT_PERCENT = 90;
// Compared as displayed (whole percent), so a cell that reads "90 %" is always marked.
export const isMemHot = (s: ContainerStats): boolean => s.memLimit > 0 && Math.round(memShare(s)) >= MEM_HOT_PERCENT;
