import { describe, expect, it } from 'vitest';
import type { LogEvent, LogLine } from '../../shared/logs';
import { LogRing } from './logRing';

const line = (n: number, text = `line-${n}`): LogLine => ({ src: 0, stream: 'stdout', time: `2026-12-02T01:02:${String(n % 60).padStart(2, '0')}Z`, line: text });
const lines = (from: number, count: number): LogEvent => ({ t: 'lines', lines: Array.from({ length: count }, (_, i) => line(from + i)) });

describe('LogRing', () => {
  it('holds events in order up to the line bound, then drops the oldest lines and counts them', () => {
    const forgiven: number[] = [];
    const ring = new LogRing((chars) => forgiven.push(chars), { maxLines: 5, maxChars: 1_000 });
    ring.push(lines(0, 3));
    ring.push({ t: 'source', src: 0, state: 'following' });
    ring.push(lines(3, 4));
    expect(ring.heldLines).toBe(5);
    expect(ring.dropped).toBe(2);
    expect(ring.full).toBe(true);
    expect(forgiven).toEqual([2 * 'line-0\n'.length]);
    const drained = ring.drain();
    expect(drained[0]).toEqual({ t: 'dropped', total: 2 });
    expect(drained.flatMap((e) => (e.t === 'lines' ? e.lines.map((l) => l.line) : [e.t]))).toEqual(['dropped', 'line-2', 'source', 'line-3', 'line-4', 'line-5', 'line-6']);
    expect(ring.heldLines).toBe(0);
    expect(ring.chars).toBe(0);
  });

  it('bounds characters too, dropping whole old lines until it fits', () => {
    const ring = new LogRing(() => {}, { maxLines: 100, maxChars: 25 });
    ring.push({ t: 'lines', lines: [line(0, 'a'.repeat(9)), line(1, 'b'.repeat(9))] });
    ring.push({ t: 'lines', lines: [line(2, 'c'.repeat(9))] });
    expect(ring.dropped).toBe(1);
    expect(ring.chars).toBe(20);
    expect(ring.drain().flatMap((e) => (e.t === 'lines' ? e.lines.map((l) => l.line[0]) : []))).toEqual(['b', 'c']);
  });

  it('says the dropped total once per drain, and again only when it grew', () => {
    const ring = new LogRing(() => {}, { maxLines: 1, maxChars: 1_000 });
    ring.push(lines(0, 2));
    expect(ring.drain()[0]).toEqual({ t: 'dropped', total: 1 });
    ring.push(lines(2, 1));
    expect(ring.drain().map((e) => e.t)).toEqual(['lines']);
    ring.push(lines(3, 3));
    expect(ring.drain()[0]).toEqual({ t: 'dropped', total: 3 });
  });

  it('is not full below its bounds', () => {
    const ring = new LogRing(() => {}, { maxLines: 10, maxChars: 1_000 });
    ring.push(lines(0, 9));
    expect(ring.full).toBe(false);
    expect(ring.dropped).toBe(0);
  });
});
