import { describe, expect, it } from 'vitest';
import { seededRandom } from './seededRandom';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, and another seed gives another', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('stays in [0, 1) and fills it evenly', () => {
    const random = seededRandom(1);
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const r = random();
      expect(r >= 0 && r < 1).toBe(true);
      tenths[Math.floor(r * 10)]!++;
    }
    for (const n of tenths) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});
