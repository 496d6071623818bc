// plainRun: which bytes a flood's plain-text run is made of, where it may be cut, and what is
// replayed in place of the text before the cut.
import { describe, expect, it } from 'vitest';
import { findElision, plainRun } from './plainRun';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const latin1 = (data: Uint8Array) => Buffer.from(data).toString('latin1');

describe('plainRun', () => {
  it('takes printable UTF-8, CR, LF, TAB, BS, BEL and SGR sequences', () => {
    const text = 'a\tb\bc\x07 € 漢 🙂\r\n\x1b[1;38;5;208m\x1b[38:2::1:2:3m\x1b[mz\r\n';
    expect(plainRun(bytes(text)).end).toBe(bytes(text).length);
  });

  it.each([
    ['a cursor move', 'ab\x1b[2Acd', 2],
    ['a private mode', 'ab\x1b[?1049h', 2],
    ['an OSC title', 'ab\x1b]2;t\x07', 2],
    ['a C1 control in UTF-8 (U+009B, CSI)', 'ab\u009b2J', 2],
    ['a vertical tab', 'ab\x0bc', 2],
    ['DEL', 'ab\x7f', 2],
    ['an SGR cut off at the end', 'ab\x1b[31', 2],
  ])('ends before %s', (_name, text, end) => {
    expect(plainRun(bytes(text)).end).toBe(end);
  });

  it('ends before malformed UTF-8 and a character cut off at the end', () => {
    expect(plainRun(Uint8Array.of(0x61, 0xc3, 0x28)).end).toBe(1);
    expect(plainRun(Uint8Array.of(0x61, 0x80)).end).toBe(1);
    expect(plainRun(Uint8Array.of(0x61, 0xe2, 0x82)).end).toBe(1);
  });
});

describe('findElision', () => {
  const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}\r\n`).join('');

  it('cuts after a CR LF that keepLines line feeds follow', () => {
    const text = lines(10) + 'tail';
    const elision = findElision(bytes(text), 4)!;
    expect(text.slice(elision.cut)).toBe(lines(4, 6) + 'tail');
    expect(latin1(elision.replay)).toBe('\r');
  });

  it('keeps nothing back when the run holds no more than keepLines line feeds, or ends early', () => {
    expect(findElision(bytes(lines(4)), 4)).toBeUndefined();
    expect(findElision(bytes(lines(2) + '\x1b[H' + lines(10)), 4)).toBeUndefined();
  });

  it('cuts only after CR LF, never after a bare LF', () => {
    const text = 'a\r\nb\nc\nd\ne\n';
    expect(findElision(bytes(text), 3)!.cut).toBe(3);
    expect(findElision(bytes('a\nb\nc\nd\ne\n'), 3)).toBeUndefined();
  });

  it('replays the SGR sequences before the cut from the last reset, each repeat once', () => {
    const text = '\x1b[1mA\r\n\x1b[0;31mB\r\n\x1b[4mC\r\n\x1b[4mD\r\n\x1b[42mE\r\n' + lines(3);
    const elision = findElision(bytes(text), 3)!;
    expect(text.slice(elision.cut)).toBe(lines(3));
    expect(latin1(elision.replay)).toBe('\x1b[0;31m\x1b[4m\x1b[42m\r');
  });
});
