import { describe, expect, it } from 'vitest';
import type { ContainerStats } from '../../../shared/stats';
import { isMemHot, memShare, nextTopSort, sortTop } from './top';

const s = (name: string, p: Partial<ContainerStats> = {}): ContainerStats => ({
  host: 'h1', id: name.padEnd(12, '0'), name, at: 0, cpuPercent: 0, memUsage: 0, memLimit: 100, memPercent: 0,
  blkRead: 0, blkWrite: 0, netRx: 0, netTx: 0, pids: 1, blkReadRate: 0, blkWriteRate: 0, netRxRate: 0, netTxRate: 0, ...p,
});

describe('sortTop', () => {
  const list = [
    s('idle'),
    s('busy', { cpuPercent: 50 }),
    s('fat', { cpuPercent: 1, memUsage: 95 }),
    s('disk', { cpuPercent: 2, blkReadRate: 10, blkWriteRate: 5_000 }),
    s('net', { cpuPercent: 3, netRxRate: 9_000, netTxRate: 1 }),
  ];
  const names = (xs: ContainerStats[]) => xs.map((x) => x.name);

  it('puts the hottest CPU first by default', () => {
    expect(names(sortTop(list))[0]).toBe('busy');
    expect(names(sortTop(list))).toEqual(['busy', 'net', 'disk', 'fat', 'idle']);
  });

  it('sorts by memory % of limit, block I/O (read + write) and network (rx + tx)', () => {
    expect(names(sortTop(list, { column: 'mem', dir: 'desc' }))[0]).toBe('fat');
    expect(names(sortTop(list, { column: 'blkio', dir: 'desc' }))[0]).toBe('disk');
    expect(names(sortTop(list, { column: 'net', dir: 'desc' }))[0]).toBe('net');
  });

  it('ascending puts the coolest first; ties break by CPU, then host and name', () => {
    expect(names(sortTop(list, { column: 'cpu', dir: 'asc' }))[0]).toBe('idle');
    const tied = [s('b'), s('a'), s('c', { host: 'h0' })];
    expect(names(sortTop(tied, { column: 'net', dir: 'desc' }))).toEqual(['c', 'a', 'b']);
  });

  it('does not mutate its input', () => {
    const copy = list.slice();
    sortTop(list, { column: 'mem', dir: 'asc' });
    expect(list).toEqual(copy);
  });
});

describe('header clicks and memory pressure', () => {
  it('the same header flips; a new one starts hottest first', () => {
    expect(nextTopSort({ column: 'cpu', dir: 'desc' }, 'cpu')).toEqual({ column: 'cpu', dir: 'asc' });
    expect(nextTopSort({ column: 'cpu', dir: 'asc' }, 'mem')).toEqual({ column: 'mem', dir: 'desc' });
  });

  it('memory stands out from 90 % of its limit, never without a limit', () => {
    expect(isMemHot(s('a', { memUsage: 89 }))).toBe(false);
    expect(isMemHot(s('a', { memUsage: 90 }))).toBe(true);
    // Reads "90 %" on screen, so it is marked.
    expect(isMemHot(s('a', { memUsage: 89.6 }))).toBe(true);
    expect(isMemHot(s('a', { memUsage: 90, memLimit: 0 }))).toBe(false);
    expect(memShare(s('a', { memUsage: 50, memLimit: 0 }))).toBe(0);
  });
});
