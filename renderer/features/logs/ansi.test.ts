import { describe, expect, it } from 'vitest';
import { paletteColor, segmentsOf, withHits } from './ansi';
import { compileQuery, plainText } from './logSearch';

const joined = (line: string) => segmentsOf(line).map((s) => s.text).join('');

describe('segmentsOf', () => {
  it('turns SGR codes into classes and keeps no escape in the text', () => {
    const segs = segmentsOf('\x1b[31merror\x1b[0m plain \x1b[1;32mok\x1b[0m');
    expect(segs).toEqual([
      { text: 'error', className: 'ansi-red-fg' },
      { text: ' plain ', className: '' },
      { text: 'ok', className: 'ansi-green-fg ansi-bold' },
    ]);
  });

  it('draws the 256-colour palette and true colour inline, the first 16 as base classes', () => {
    expect(segmentsOf('\x1b[38;5;208mx')[0]).toMatchObject({ text: 'x', color: 'rgb(255, 135, 0)' });
    expect(segmentsOf('\x1b[38;5;9mx')[0]).toMatchObject({ text: 'x', className: 'ansi-bright-red-fg' });
    expect(segmentsOf('\x1b[48;2;10;20;30mx')[0]).toMatchObject({ text: 'x', background: 'rgb(10, 20, 30)' });
    expect(paletteColor(244)).toBe('rgb(128, 128, 128)');
  });

  it.each([
    ['cursor moves and erases', '\x1b[2K\x1b[1Gprogress 50%'],
    ['an OSC title and a hyperlink', '\x1b]0;title\x07see \x1b]8;;https://x.example\x1b\\here\x1b]8;;\x1b\\'],
    ['a bare escape and controls', 'a\x1b\x07b\rc'],
    ['hide and show the cursor', '\x1b[?25lspinner\x1b[?25h'],
  ])('removes %s, and its text is the plain text search sees', (_what, line) => {
    expect(joined(line)).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(joined(line)).toBe(plainText(line));
  });

  it('leaves a line without escapes as one segment', () => {
    expect(segmentsOf('GET /healthz 200')).toEqual([{ text: 'GET /healthz 200', className: '' }]);
  });
});

describe('withHits', () => {
  it('cuts segments at the hits, across a colour change', () => {
    const segs = segmentsOf('\x1b[31mtime\x1b[0mout now');
    const ranges = compileQuery({ text: 'meou', regex: false, caseSensitive: false }).matcher!.ranges('timeout now');
    expect(withHits(segs, ranges)).toEqual([
      { text: 'ti', className: 'ansi-red-fg' },
      { text: 'me', className: 'ansi-red-fg', hit: true },
      { text: 'ou', className: '', hit: true },
      { text: 't now', className: '' },
    ]);
  });
});

describe('compileQuery', () => {
  it('matches a substring literally and case-insensitively unless asked', () => {
    const m = compileQuery({ text: 'a.b', regex: false, caseSensitive: false }).matcher!;
    expect(m.test('xA.By')).toBe(true);
    expect(m.test('aXb')).toBe(false);
    expect(compileQuery({ text: 'A.B', regex: false, caseSensitive: true }).matcher!.test('a.b')).toBe(false);
  });

  it('takes a regex, finds every match, and reports one that does not compile', () => {
    const m = compileQuery({ text: 'err(or)?\\b', regex: true, caseSensitive: false }).matcher!;
    expect(m.ranges('Error: err x')).toEqual([[0, 5], [7, 10]]);
    expect(compileQuery({ text: '(', regex: true, caseSensitive: false })).toMatchObject({ matcher: null, error: expect.stringMatching(/\S/) });
    expect(compileQuery({ text: '', regex: true, caseSensitive: false }).matcher).toBeNull();
  });

  it('skips empty matches without looping', () => {
    expect(compileQuery({ text: 'x*', regex: true, caseSensitive: false }).matcher!.ranges('axxb')).toEqual([[1, 3]]);
  });
});
