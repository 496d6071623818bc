import { describe, expect, it } from 'vitest';
import type { ContainerStats } from '../../shared/stats';
import { mergeTick, STALE_MS } from './stats';

const s = (id: string, at: number, cpu = 1): ContainerStats => ({
  host: 'h1', id, name: `c-${id}`, at, cpuPercent: cpu, memUsage: 1, memLimit: 2, memPercent: 50,
  blkRead: 0, blkWrite: 0, netRx: 0, netTx: 0, pids: 1, blkReadRate: 0, blkWriteRate: 0, netRxRate: 0, netTxRate: 0,
});

describe('mergeTick', () => {
  it('keeps the latest sample per container, and containers the tick did not sample', () => {
    let m = mergeTick(new Map(), { at: 1_000, containers: [s('a', 1_000), s('b', 1_000)] });
    m = mergeTick(m, { at: 2_000, containers: [s('a', 2_000, 9)] });
    expect(m.size).toBe(2);
    expect(m.get('h1/a')?.cpuPercent).toBe(9);
    expect(m.get('h1/b')?.at).toBe(1_000);
  });

  it('never lets an older sample replace a newer one', () => {
    const m = mergeTick(new Map([['h1/a', s('a', 5_000, 7)]]), { at: 5_000, containers: [s('a', 4_000, 1)] });
    expect(m.get('h1/a')?.cpuPercent).toBe(7);
  });

  it('drops containers not sampled for STALE_MS (removed, stopped, host down)', () => {
    const m = mergeTick(new Map([['h1/gone', s('gone', 0)]]), { at: STALE_MS + 1, containers: [s('a', STALE_MS + 1)] });
    expect([...m.keys()]).toEqual(['h1/a']);
  });
});
