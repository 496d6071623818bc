import { describe, expect, it, vi } from 'vitest';
import type { ContainerStats, StatsFocus, StatsTick } from '../../shared/stats';
import { toPoint } from '../features/stats/series';
import { createStatsStore, FOCUS_DEBOUNCE_MS, mergeTick, STALE_MS, type StatsApi } from './stats';

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

describe('stats store against a fake Api', () => {
  function setup() {
    const focus: StatsFocus[] = [];
    const ticks = new Set<(t: StatsTick) => void>();
    const api: StatsApi = {
      statsFocus: async (f) => { focus.push(f); },
      statsHistory: async ({ host, id }) => ({ host, id, points: [toPoint(s('a', 1_000, 3))] }),
      statsHostHistory: async ({ host }) => ({ host, points: [] }),
      statsTicks: (_p, onEvent) => {
        ticks.add(onEvent);
        return () => ticks.delete(onEvent);
      },
    };
    let link: ((up: boolean) => void) | undefined;
    const store = createStatsStore(api, (l) => { link = l; return () => { link = undefined; }; });
    const tick = (t: StatsTick) => ticks.forEach((l) => l(t));
    return { store, focus, ticks, tick, link: (up: boolean) => link?.(up) };
  }
  const fleetTotals: StatsTick['fleet'] = { at: 2_000, cpuPercent: 9, ncpu: 8, memUsage: 1, memTotal: 2, blkReadRate: 0, blkWriteRate: 0, netRxRate: 0, netTxRate: 0, containers: 1 };

  it('tells main once what every view has on screen, debounced and without repeats, and again after the link comes back', () => {
    vi.useFakeTimers();
    try {
      const { store, focus, link } = setup();
      store.getState().connect();
      store.getState().setVisible('grid', [{ host: 'h1', id: 'a' }, { host: 'h1', id: 'b' }]);
      store.getState().setVisible('top', [{ host: 'h1', id: 'b' }, { host: 'h1', id: 'c' }]);
      expect(focus).toEqual([]);
      vi.advanceTimersByTime(FOCUS_DEBOUNCE_MS);
      expect(focus).toEqual([{ visible: [{ host: 'h1', id: 'a' }, { host: 'h1', id: 'b' }, { host: 'h1', id: 'c' }], pinned: [] }]);
      store.getState().setVisible('top', [{ host: 'h1', id: 'c' }, { host: 'h1', id: 'b' }]);
      vi.advanceTimersByTime(FOCUS_DEBOUNCE_MS);
      expect(focus).toHaveLength(1); // the same set of containers
      link(false);
      link(true);
      vi.advanceTimersByTime(FOCUS_DEBOUNCE_MS);
      expect(focus).toHaveLength(2);
      store.getState().disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('pins the container whose detail opens at once, with its history under the ticks that follow', async () => {
    const { store, focus, tick } = setup();
    store.getState().connect();
    store.getState().openDetail({ host: 'h1', id: 'a' });
    expect(focus.at(-1)).toEqual({ visible: [], pinned: [{ host: 'h1', id: 'a' }] });
    expect(store.getState().historyState.get('h1/a')).toBe('loading');
    await Promise.resolve();
    await Promise.resolve();
    expect(store.getState().historyState.get('h1/a')).toBe('ready');
    tick({ at: 2_000, containers: [s('a', 2_000, 5)], hosts: [], fleet: fleetTotals });
    expect(store.getState().series.get('h1/a')?.map((p) => p.cpuPercent)).toEqual([3, 5]);
    expect(store.getState().containers.get('h1/a')?.cpuPercent).toBe(5);
    store.getState().closeDetail();
    expect(store.getState().series.size).toBe(0);
  });
});
