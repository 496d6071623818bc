import { describe, expect, it } from 'vitest';
import { downsample, mergePoints, MAX_POINTS, type StatsPoint } from './series';

const pt = (at: number, v = at): StatsPoint => ({
  at, cpuPercent: v, memUsage: v * 10, memLimit: 1000 + at, blkReadRate: v, blkWriteRate: 2 * v, netRxRate: 3 * v, netTxRate: 4 * v,
});
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => pt(from + i));

describe('downsample', () => {
  it('leaves short series alone (as a copy)', () => {
    const s = range(10);
    const d = downsample(s, 20);
    expect(d).toEqual(s);
    expect(d).not.toBe(s);
  });

  it('returns at most max points, ending exactly on the latest sample', () => {
    const s = range(900);
    const d = downsample(s, 300);
    expect(d.length).toBeLessThanOrEqual(300);
    expect(d.length).toBeGreaterThan(290);
    expect(d[d.length - 1]).toEqual(s[899]);
    for (let i = 1; i < d.length; i++) expect(d[i]!.at).toBeGreaterThan(d[i - 1]!.at);
  });

  it('averages rates within a bucket and keeps the bucket’s last memory limit', () => {
    const d = downsample([pt(0, 0), pt(1, 10), pt(2, 20), pt(3, 30), pt(4, 99)], 3);
    expect(d).toHaveLength(3);
    expect(d[0]).toMatchObject({ at: 1, cpuPercent: 5, memUsage: 50, memLimit: 1001, netTxRate: 20 });
    expect(d[1]).toMatchObject({ at: 3, cpuPercent: 25 });
    expect(d[2]).toEqual(pt(4, 99));
  });

  it('a one-point budget keeps the latest point', () => {
    expect(downsample(range(5), 1)).toEqual([pt(4)]);
  });
});

describe('mergePoints', () => {
  it('appends in-order ticks and drops the oldest beyond the cap', () => {
    const s = range(MAX_POINTS);
    const next = mergePoints(s, [pt(MAX_POINTS), pt(MAX_POINTS + 1)]);
    expect(next).toHaveLength(MAX_POINTS);
    expect(next[0]!.at).toBe(2);
    expect(next[next.length - 1]!.at).toBe(MAX_POINTS + 1);
  });

  it('merges history that arrives after ticks: sorted, one point per timestamp, the newer copy wins', () => {
    const ticks = [pt(10, 100), pt(11, 110)];
    const history = [pt(8), pt(9), pt(10, 1)];
    const merged = mergePoints(history, ticks);
    expect(merged.map((p) => p.at)).toEqual([8, 9, 10, 11]);
    expect(merged[2]!.cpuPercent).toBe(100);
  });

  it('returns the same series when nothing is added', () => {
    const s = range(3);
    expect(mergePoints(s, [])).toBe(s);
  });

  it('caps at a smaller max', () => {
    expect(mergePoints(range(5), [pt(2, 7), pt(9)], 3).map((p) => p.at)).toEqual([3, 4, 9]);
  });
});
