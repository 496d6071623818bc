import { describe, expect, it } from 'vitest';
import { backoffDelay, BACKOFF_MAX_MS } from './backoff';

describe('backoffDelay', () => {
  it('doubles from 1 s', () => {
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt))).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('caps at 60 s, however many attempts', () => {
    expect(backoffDelay(6)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1000)).toBe(60_000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER)).toBe(60_000);
  });

  it('treats nonsense attempts as the first', () => {
    expect(backoffDelay(-3)).toBe(1000);
  });

  it('jitter only shortens, deterministically', () => {
    expect(backoffDelay(2, 0.5)).toBe(3600);
    expect(backoffDelay(2, 0.5)).toBe(backoffDelay(2, 0.5));
    expect(backoffDelay(100, 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(100, 0.999)).toBeGreaterThan(47_000);
  });
});
