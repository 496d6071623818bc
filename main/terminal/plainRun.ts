// Which output a terminal's mirror may leave unparsed under a flood without changing the screen
// it ends with (issue 15). A run of plain text (printable UTF-8, CR, LF, TAB, BS, BEL and SGR
// colour sequences) only prints, moves the cursor within lines, scrolls and sets attributes. Once
// `keepLines` more line feeds follow in the same run, every row the text before them touched has
// scrolled out of the screen and the scrollback, so that text can go unparsed: only its SGR
// sequences (attributes carry over) and a CR (the column the kept text starts at) are still
// written. The caller checks what the text cannot show: that the parser is at rest, with the
// cursor inside a scroll region that starts at the top.

const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;

export interface Elision {
  /** Bytes [0, cut) need not be parsed; they end with CR LF. */
  cut: number;
  /** What is written in their place: their SGR sequences (from the last reset on), then CR. */
  replay: Uint8Array;
}

export interface Flood extends Elision {
  /** Where the run starts: the parser must be at rest there, after the bytes before it. */
  start: number;
}

/** Where the plain-text run at the start of `bytes` may be cut, if it holds more than `keepLines` line feeds. */
export function findElision(bytes: Uint8Array, keepLines: number): Elision | undefined {
  const { end, sgr } = plainRun(bytes);
  const cut = cutBefore(bytes, end, keepLines);
  if (cut === undefined) return undefined;
  return { cut, replay: replayOf(bytes, sgr, cut) };
}

/** The first run in `bytes` that may be cut, past whatever escapes and controls come before it. */
export function findFlood(bytes: Uint8Array, keepLines: number): Flood | undefined {
  let start = 0;
  while (start < bytes.length) {
    const run = bytes.subarray(start);
    const elision = findElision(run, keepLines);
    if (elision) return { ...elision, cut: start + elision.cut, start };
    const next = skipOther(bytes, start + plainRun(run).end);
    if (next === undefined) return undefined;
    start = next;
  }
  return undefined;
}

/**
 * Past the escape sequence or control at `at`, as far as plain text can tell (the caller checks
 * xterm's parser once it has parsed up to there); undefined if it runs past the end.
 */
function skipOther(bytes: Uint8Array, at: number): number | undefined {
  if (at >= bytes.length) return undefined;
  if (bytes[at] !== ESC) return at + 1;
  const kind = bytes[at + 1];
  if (kind === undefined) return undefined;
  if (kind === 0x5b) {
    // CSI: parameters and intermediates, then a final byte.
    for (let i = at + 2; i < bytes.length; i++) if (bytes[i]! >= 0x40 && bytes[i]! <= 0x7e) return i + 1;
    return undefined;
  }
  if (kind === 0x5d || kind === 0x50 || kind === 0x5f || kind === 0x5e || kind === 0x58) {
    // OSC, DCS, APC, PM, SOS: a string, ended by BEL or ST (ESC \).
    for (let i = at + 2; i < bytes.length; i++) {
      if (bytes[i] === 0x07) return i + 1;
      if (bytes[i] === ESC && bytes[i + 1] === 0x5c) return i + 2;
    }
    return undefined;
  }
  let i = at + 1;
  while (i < bytes.length && bytes[i]! >= 0x20 && bytes[i]! <= 0x2f) i++;
  return i < bytes.length ? i + 1 : undefined;
}

/** The end of the plain run from 0, and the [start, end) of each SGR sequence in it. */
export function plainRun(bytes: Uint8Array): { end: number; sgr: number[] } {
  const sgr: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) i++;
    else if (b === LF || b === CR || b === 0x09 || b === 0x08 || b === 0x07) i++;
    else if (b === ESC) {
      const end = sgrEnd(bytes, i);
      if (end === undefined) break;
      sgr.push(i, end);
      i = end;
    } else if (b >= 0x80) {
      const end = utf8End(bytes, i);
      if (end === undefined) break;
      i = end;
    } else break;
  }
  return { end: i, sgr };
}

/** `ESC [ params m` with only digits, ';' and ':': its end, or undefined for any other escape. */
function sgrEnd(bytes: Uint8Array, at: number): number | undefined {
  if (bytes[at + 1] !== 0x5b) return undefined;
  for (let i = at + 2; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x6d) return i + 1;
    if (!((b >= 0x30 && b <= 0x39) || b === 0x3b || b === 0x3a)) return undefined;
  }
  return undefined;
}

/** A well-formed UTF-8 character that is not a C1 control (U+0080–U+009F): its end. */
function utf8End(bytes: Uint8Array, at: number): number | undefined {
  const lead = bytes[at]!;
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return undefined;
  for (let i = at + 1; i < at + length; i++) if ((bytes[i]! & 0xc0) !== 0x80) return undefined;
  if (lead === 0xc2 && bytes[at + 1]! < 0xa0) return undefined;
  return at + length;
}

/** Just after the latest CR LF in [0, end) that `keepLines` line feeds still follow. */
function cutBefore(bytes: Uint8Array, end: number, keepLines: number): number | undefined {
  let feeds = 0;
  for (let i = end - 1; i > 0; i--) {
    if (bytes[i] !== LF) continue;
    if (feeds >= keepLines && bytes[i - 1] === CR) return i + 1;
    feeds++;
  }
  return undefined;
}

/** The SGR sequences before `cut`, from the last one that starts with a reset, then CR. */
function replayOf(bytes: Uint8Array, sgr: number[], cut: number): Uint8Array {
  let from = 0;
  let count = 0;
  while (count < sgr.length && sgr[count + 1]! <= cut) {
    if (startsWithReset(bytes, sgr[count]!)) from = count;
    count += 2;
  }
  const parts: Uint8Array[] = [];
  let previous: Uint8Array | undefined;
  for (let k = from; k < count; k += 2) {
    const sequence = bytes.subarray(sgr[k]!, sgr[k + 1]!);
    // An SGR sets attributes, it toggles none: the same one twice in a row is the same as once.
    if (previous && Buffer.compare(previous, sequence) === 0) continue;
    parts.push(sequence);
    previous = sequence;
  }
  parts.push(Uint8Array.of(CR));
  return Buffer.concat(parts);
}

/** `ESC[m`, `ESC[0…m` or `ESC[;…m`: the first parameter is 0, which resets every attribute. */
function startsWithReset(bytes: Uint8Array, at: number): boolean {
  const b = bytes[at + 2];
  if (b === 0x6d || b === 0x3b) return true;
  if (b !== 0x30) return false;
  let i = at + 3;
  while (bytes[i] === 0x30) i++;
  return bytes[i] === 0x6d || bytes[i] === 0x3b;
}
