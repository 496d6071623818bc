import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS, splitTimestamp, type TimedLine } from './lineSplitter';

function split(chunks: (string | Buffer)[], end = true): TimedLine[] {
  const lines: TimedLine[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  if (end) splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits timed lines and keeps a partial line until its newline', () => {
    const lines: TimedLine[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push(Buffer.from('2026-12-02T01:02:03.5Z first\n2026-12-02T01:02:04.123456789Z sec'));
    expect(lines).toEqual([{ time: '2026-12-02T01:02:03.5Z', line: 'first' }]);
    splitter.push(Buffer.from('ond\n'));
    expect(lines.at(-1)).toEqual({ time: '2026-12-02T01:02:04.123456789Z', line: 'second' });
    expect(lines.length).toBe(2);
  });

  it('gives a last line without its newline at the end, and nothing for a trailing newline', () => {
    expect(split(['2026-12-02T01:02:03Z a\n2026-12-02T01:02:04Z b'])).toEqual([
      { time: '2026-12-02T01:02:03Z', line: 'a' },
      { time: '2026-12-02T01:02:04Z', line: 'b' },
    ]);
    expect(split(['2026-12-02T01:02:03Z a\n'])).toEqual([{ time: '2026-12-02T01:02:03Z', line: 'a' }]);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('2026-12-02T01:02:03Z é€😀\n');
    const lines = split([...bytes].map((b) => Buffer.from([b])));
    expect(lines).toEqual([{ time: '2026-12-02T01:02:03Z', line: 'é€😀' }]);
  });

  it('keeps empty lines, carriage returns and ANSI escapes as they are', () => {
    expect(split(['2026-12-02T01:02:03Z \n2026-12-02T01:02:04Z \x1b[31mred\x1b[0m\r\n']).map((l) => l.line)).toEqual(['', '\x1b[31mred\x1b[0m\r']);
  });

  it('passes a line that never ends on once it reaches MAX_LINE_CHARS, rather than holding it', () => {
    const lines = split(['x'.repeat(MAX_LINE_CHARS + 10)], false);
    expect(lines.map((l) => l.line.length)).toEqual([MAX_LINE_CHARS + 10]);
  });
});

describe('splitTimestamp', () => {
  it('takes the time only where the line starts with one', () => {
    expect(splitTimestamp('2026-12-02T01:02:03.000000001Z hello world')).toEqual({ time: '2026-12-02T01:02:03.000000001Z', line: 'hello world' });
    expect(splitTimestamp('2026-12-02T01:02:03Z')).toEqual({ time: '2026-12-02T01:02:03Z', line: '' });
    expect(splitTimestamp('no time here')).toEqual({ time: '', line: 'no time here' });
  });
});
