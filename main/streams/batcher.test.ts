import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { Batcher } from './batcher';

function setup(maxSize = 10) {
  const clock = new FakeClock();
  const out: number[][] = [];
  const batcher = new Batcher<number>((items) => out.push(items), (n) => n, { flushMs: 16, maxSize, clock });
  return { clock, out, batcher };
}

describe('Batcher', () => {
  it('gathers items into one flush after the timer', async () => {
    const { clock, out, batcher } = setup();
    batcher.add(1);
    batcher.add(2);
    expect(out).toEqual([]);
    expect(clock.pending.map((p) => p.ms)).toEqual([16]);
    await clock.advance(16);
    expect(out).toEqual([[1, 2]]);
  });

  it('flushes at once when the batch reaches its size, and cancels the timer', () => {
    const { clock, out, batcher } = setup();
    batcher.add(4);
    batcher.add(6);
    expect(out).toEqual([[4, 6]]);
    expect(clock.pending.length).toBe(0);
  });

  it('sends nothing after dispose', async () => {
    const { clock, out, batcher } = setup();
    batcher.add(1);
    batcher.dispose();
    await clock.advance(100);
    expect(out).toEqual([]);
  });
});
