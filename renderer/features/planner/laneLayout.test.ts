import { describe, expect, it } from 'vitest';
import { cardsPerColumn, laneSize, wrappedHeight, type LaneMetrics } from './laneLayout';

const m: LaneMetrics = { cardW: 100, cardH: 50, cardGap: 4, chromeW: 10, chromeH: 20, laneGap: 6 };

describe('laneSize', () => {
  it('stacks up to perColumn cards a column, then adds columns', () => {
    expect(laneSize(1, 6, m)).toEqual({ w: 110, h: 70 });
    expect(laneSize(3, 6, m)).toEqual({ w: 110, h: 20 + 150 + 8 });
    expect(laneSize(7, 3, m)).toEqual({ w: 10 + 300 + 8, h: 20 + 150 + 8 });
  });
  it('gives an empty lane one card of room (it shows where to drop)', () => {
    expect(laneSize(0, 6, m)).toEqual({ w: 110, h: 70 });
  });
});

describe('wrappedHeight', () => {
  it('wraps lanes into rows of the width, each row as tall as its tallest', () => {
    const lanes = [{ w: 100, h: 10 }, { w: 100, h: 30 }, { w: 100, h: 20 }];
    expect(wrappedHeight(lanes, 206, 6)).toBe(30 + 6 + 20);
    expect(wrappedHeight(lanes, 312, 6)).toBe(30);
    expect(wrappedHeight([], 312, 6)).toBe(0);
  });
});

describe('cardsPerColumn', () => {
  it('keeps one column per lane when that fits', () => {
    expect(cardsPerColumn([3, 3], { width: 1000, height: 1000 }, m)).toBe(3);
  });
  it('shortens the columns until the lanes fit', () => {
    // Two lanes of 6: one column each is 20 + 6 × 54 - 4 = 340 high; at 3 a column, 178.
    expect(cardsPerColumn([6, 6], { width: 1000, height: 200 }, m)).toBe(3);
    // Room for one lane a row: at 3 a column the two rows take 178 + 6 + 178.
    expect(cardsPerColumn([6, 6], { width: 220, height: 370 }, m)).toBe(3);
  });
  it('takes the least height when nothing fits', () => {
    // At 2 a column both lanes (318 wide) share a row 124 high; at 1 (630 wide) they wrap: 146.
    expect(cardsPerColumn([6, 6], { width: 1000, height: 10 }, m)).toBe(2);
  });
});
