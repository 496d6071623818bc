import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { TtlCache } from './ttlCache';

describe('TtlCache', () => {
  it('shares a load in flight, keeps its value for the TTL, then loads again', async () => {
    const clock = new FakeClock();
    const cache = new TtlCache<number>(clock, 1_000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    await clock.advance(999);
    expect(await cache.get('k', load)).toBe(1);
    await clock.advance(1);
    expect(await cache.get('k', load)).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(new FakeClock(), 1_000);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('retain drops the keys it is told to', async () => {
    const cache = new TtlCache<number>(new FakeClock(), Infinity);
    await Promise.all(['a', 'b', 'c'].map((k) => cache.get(k, async () => 1)));
    cache.retain((k) => k !== 'b');
    expect(cache.size).toBe(2);
    let loaded = false;
    await cache.get('b', async () => ((loaded = true), 2));
    expect(loaded).toBe(true);
  });
});
