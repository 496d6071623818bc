import { describe, expect, it } from 'vitest';
import { FakeClock } from './fakeClock';

describe('FakeClock', () => {
  it('fires timers in due order, each with the clock at its own time', async () => {
    const clock = new FakeClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['late', clock.now()]), 301);
    await clock.advance(300);
    expect(fired).toEqual([
      ['a', 1_100],
      ['b', 1_200],
      ['c', 1_200],
    ]);
    expect(clock.now()).toBe(1_300);
    expect(clock.pending).toEqual([{ at: 1_301, ms: 301, repeats: false }]);
  });

  it('fires timers set by timers, and lets promise continuations run in between', async () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await wait(100);
        fired.push(clock.now());
      }
    })();
    await clock.advance(1_000);
    expect(fired).toEqual([100, 200, 300]);
  });

  it('intervals repeat until cleared; cleared timeouts never fire', async () => {
    const clock = new FakeClock();
    let ticks = 0;
    let fired = false;
    const interval = clock.setInterval(() => ticks++, 250);
    clock.clearTimeout(clock.setTimeout(() => (fired = true), 10));
    await clock.advance(1_000);
    expect(ticks).toBe(4);
    clock.clearInterval(interval);
    await clock.advance(1_000);
    expect(ticks).toBe(4);
    expect(fired).toBe(false);
    expect(clock.pending).toEqual([]);
  });

  it('next() jumps to the next timer', async () => {
    const clock = new FakeClock();
    clock.setTimeout(() => {}, 5_000).unref();
    expect(await clock.next()).toBe(5_000);
    expect(clock.now()).toBe(5_000);
    expect(await clock.next()).toBeUndefined();
  });
});
