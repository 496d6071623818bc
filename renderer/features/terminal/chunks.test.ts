import { describe, expect, it } from 'vitest';
import { chunks } from './chunks';

describe('chunks', () => {
  it('leaves small input whole', () => {
    expect(chunks('ls -l\r', 16)).toEqual(['ls -l\r']);
    expect(chunks('', 16)).toEqual(['']);
  });
  it('splits large input in order, each piece within the limit', () => {
    const text = 'x'.repeat(40_000);
    const parts = chunks(text, 16_384);
    expect(parts.map((p) => p.length)).toEqual([16_384, 16_384, 7_232]);
    expect(parts.join('')).toBe(text);
  });
  it('never cuts a surrogate pair', () => {
    const text = 'ab😀cd😀';
    const parts = chunks(text, 3);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(3);
      expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
    }
  });
});
