import { describe, expect, it } from 'vitest';
import { backoffDelay, backoffWindow, BACKOFF_MAX_MS } from './backoff';

describe('backoff', () => {
  it('windows double from 4 s and stop at 60 s, however many attempts', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(backoffWindow)).toEqual([4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(backoffWindow(Number.MAX_SAFE_INTEGER)).toBe(BACKOFF_MAX_MS);
  });

  it('treats nonsense attempts as the first', () => {
    expect(backoffWindow(-3)).toBe(4_000);
    expect(backoffWindow(Number.NaN)).toBe(4_000);
    expect(backoffDelay(Number.NaN, 0.5)).toBe(2_000);
  });

  it('the first retry falls anywhere in its window, later ones in its upper half', () => {
    expect([backoffDelay(0, 0), backoffDelay(0, 0.5), backoffDelay(0, 0.999_999)]).toEqual([0, 2_000, 4_000]);
    expect([backoffDelay(1, 0), backoffDelay(1, 0.999_999)]).toEqual([4_000, 8_000]);
    expect([backoffDelay(2, 0), backoffDelay(2, 0.5)]).toEqual([8_000, 12_000]);
    expect([backoffDelay(100, 0), backoffDelay(100, 0.999_999)]).toEqual([30_000, 60_000]);
  });
});
