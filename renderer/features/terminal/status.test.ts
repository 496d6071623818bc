import { describe, expect, it } from 'vitest';
import { skippedDescription, skippedWord } from './status';

describe('the skipped mark', () => {
  it('says how much, in decimal units, and nothing when nothing was skipped', () => {
    expect(skippedWord(0)).toBe('');
    expect(skippedWord(840)).toBe('skipped 840 B');
    expect(skippedWord(12_345)).toBe('skipped 12.3 kB');
    expect(skippedWord(12_345_678)).toBe('skipped 12.3 MB');
    expect(skippedWord(123_456_789)).toBe('skipped 123 MB');
    expect(skippedWord(2_500_000_000)).toBe('skipped 2.5 GB');
  });
  it('explains where the flood went and when the mark clears', () => {
    const text = skippedDescription(12_345_678);
    expect(text).toContain('12.3 MB was skipped');
    expect(text).toContain('last lines are in the scrollback');
    expect(text).toContain("clears when you type in the tab a few seconds after");
  });
});
