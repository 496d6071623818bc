import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/logs';
import { LogBuffer, LogSubset, type LogEntry } from './logBuffer';

/** A line of source `src` at second `s` (fraction `frac`, as the daemon trims it). */
const at = (src: number, s: number, text: string, frac = ''): LogLine => ({
  src, stream: 'stdout', time: `2026-12-02T01:00:${String(s).padStart(2, '0')}${frac ? `.${frac}` : ''}Z`, line: text,
});
const texts = (it: Iterable<LogEntry>) => [...it].map((e) => e.line);

/** Every ord increasing along the buffer: what the subsets rely on. */
function ordsIncrease(b: LogBuffer): boolean {
  const ords = [...b.entries()].map((e) => e.ord);
  return ords.every((o, i) => i === 0 || o > ords[i - 1]!);
}

describe('LogBuffer', () => {
  it('appends a newer batch, and merges an older one by time, an equal time after the earlier arrival', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 1e6 });
    b.insert([at(0, 1, 'a1'), at(0, 3, 'a3'), at(0, 5, 'a5')]);
    b.insert([at(1, 2, 'b2'), at(1, 3, 'b3'), at(1, 6, 'b6')]);
    expect(texts(b.entries())).toEqual(['a1', 'b2', 'a3', 'b3', 'a5', 'b6']);
    b.insert([at(2, 0, 'c0')]);
    expect(texts(b.entries())).toEqual(['c0', 'a1', 'b2', 'a3', 'b3', 'a5', 'b6']);
    expect(ordsIncrease(b)).toBe(true);
  });

  it('compares fractions as times, not as strings: .5 is after .25 and equal to .500000000', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 1e6 });
    b.insert([at(0, 1, 'half', '5')]);
    b.insert([at(1, 1, 'quarter', '25'), at(1, 1, 'half-too', '500000000')]);
    expect(texts(b.entries())).toEqual(['quarter', 'half', 'half-too']);
  });

  it('sorts a batch that comes out of order, keeping arrival order within a time', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 1e6 });
    b.insert([at(0, 4, 'x4'), at(0, 2, 'x2a'), at(0, 2, 'x2b')]);
    expect(texts(b.entries())).toEqual(['x2a', 'x2b', 'x4']);
  });

  it('holds at most maxLines: the oldest go and are counted', () => {
    const b = new LogBuffer({ maxLines: 5, maxChars: 1e6 });
    const change = b.insert(Array.from({ length: 8 }, (_, i) => at(0, i, `l${i}`)));
    expect(change.dropped).toBe(3);
    expect(b.length).toBe(5);
    expect(b.dropped).toBe(3);
    expect(texts(b.entries())).toEqual(['l3', 'l4', 'l5', 'l6', 'l7']);
    b.insert([at(0, 9, 'l9')]);
    expect(b.dropped).toBe(4);
    expect(b.at(0)!.line).toBe('l4');
  });

  it('holds at most maxChars of text', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 10 });
    b.insert([at(0, 1, 'aaaa'), at(0, 2, 'bbbb'), at(0, 3, 'cccc')]);
    expect(texts(b.entries())).toEqual(['bbbb', 'cccc']);
    expect(b.dropped).toBe(1);
  });

  it('stays bounded and ordered through a long flood (compaction included)', () => {
    const b = new LogBuffer({ maxLines: 1000, maxChars: 1e9 });
    for (let batch = 0; batch < 50; batch++) {
      b.insert(Array.from({ length: 200 }, (_, i) => ({ src: 0, stream: 'stdout' as const, time: `2026-12-02T01:00:00.${String(batch * 200 + i).padStart(9, '0')}Z`, line: `n${batch * 200 + i}` })));
    }
    expect(b.length).toBe(1000);
    expect(b.dropped).toBe(9000);
    expect(b.at(0)!.line).toBe('n9000');
    expect(b.at(999)!.line).toBe('n9999');
    expect(ordsIncrease(b)).toBe(true);
  });
});

describe('LogSubset', () => {
  const evenSecond = (e: LogEntry) => Number(e.time.slice(17, 19)) % 2 === 0;

  /** A subset checked against the same predicate applied from scratch after every insert. */
  function checked(b: LogBuffer, predicate: (e: LogEntry) => boolean) {
    const s = new LogSubset(b, predicate);
    return {
      s,
      insert(lines: LogLine[]) {
        s.update(b.insert(lines));
        expect(texts(s.entries())).toEqual(texts([...b.entries()].filter(predicate)));
      },
    };
  }

  it('follows appends, merges into the middle, and drops at the head', () => {
    const b = new LogBuffer({ maxLines: 6, maxChars: 1e6 });
    const { s, insert } = checked(b, evenSecond);
    insert([at(0, 0, 'a0'), at(0, 1, 'a1'), at(0, 2, 'a2')]);
    insert([at(1, 1, 'b1'), at(1, 2, 'b2'), at(1, 4, 'b4')]);
    insert([at(0, 3, 'a3'), at(0, 6, 'a6')]);
    insert([at(2, 0, 'c0')]); // older than the head after the bound: dropped at once
    insert(Array.from({ length: 7 }, (_, i) => at(3, 10 + i, `d${10 + i}`))); // more than the bound in one batch
    expect(s.length).toBe(3);
  });

  it('finds an entry by its ord', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 1e6 });
    b.insert([at(0, 0, 'a0'), at(0, 1, 'a1'), at(0, 2, 'a2'), at(0, 4, 'a4')]);
    const s = new LogSubset(b, evenSecond);
    expect(s.indexOf(b.at(3)!)).toBe(2);
    expect(s.indexOf(b.at(1)!)).toBe(-1);
  });

  it('holds nothing without a predicate, and everything the new one passes after rebuild', () => {
    const b = new LogBuffer({ maxLines: 100, maxChars: 1e6 });
    const s = new LogSubset(b, null);
    s.update(b.insert([at(0, 0, 'a0'), at(0, 1, 'a1')]));
    expect(s.length).toBe(0);
    s.rebuild(() => true);
    expect(texts(s.entries())).toEqual(['a0', 'a1']);
  });
});
