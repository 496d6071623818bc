// ScreenMirror's snapshot against xterm itself: a fresh headless terminal that writes the snapshot
// ends in the same state (buffer, cursor, modes, alternate screen, title) as one that wrote the
// original bytes; and the parser's backlog as the mirror reports it.
import { SerializeAddon } from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { MIRROR_SCROLLBACK, ScreenMirror } from './screenMirror';

const { Terminal } = xtermHeadless;
type Term = InstanceType<typeof Terminal>;
const SIZE = { cols: 40, rows: 10 };

function fresh(): { term: Term; serialize: (options?: { scrollback: number }) => string; title: () => string } {
  const term = new Terminal({ ...SIZE, scrollback: MIRROR_SCROLLBACK, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer as unknown as Parameters<typeof term.loadAddon>[0]);
  let title = '';
  term.onTitleChange((t) => (title = t));
  return { term, serialize: (options?: { scrollback: number }) => serializer.serialize(options), title: () => title };
}

const write = (term: Term, data: string | Uint8Array) => new Promise<void>((resolve) => term.write(data, resolve));

function state(t: ReturnType<typeof fresh>) {
  const buffer = t.term.buffer.active;
  return { screen: t.serialize(), type: buffer.type, cursor: [buffer.cursorX, buffer.cursorY], modes: { ...t.term.modes }, title: t.title() };
}

function mirrored(): { mirror: ScreenMirror; backlog: boolean[] } {
  const backlog: boolean[] = [];
  const mirror = new ScreenMirror({ size: SIZE, backlogHigh: 1_000, backlogLow: 100, onBacklog: (behind) => backlog.push(behind) });
  return { mirror, backlog };
}

const parsed = (mirror: ScreenMirror) => new Promise<void>((resolve) => mirror.whenParsed(resolve));

/** A scripted session: scrolling lines, colours (16, 256, truecolor), cursor moves, modes, a title. */
const SESSION = [
  ...Array.from({ length: 30 }, (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[0m\r\n`),
  '\x1b[1;4mbold underline\x1b[0m \x1b[38;5;208m256\x1b[0m \x1b[38;2;10;200;30;48;2;1;2;3mtrue\x1b[0m\r\n',
  '\x1b[5;10Hmoved\x1b[2Aup\x1b[K',
  '\x1b]2;fd-title: vim\x07',
  '\x1b[?1h\x1b[?2004h', // application cursor keys, bracketed paste
  'prompt$ €ü ',
];
/** Entering the alternate screen as a full-screen program does, drawing on it. */
const FULLSCREEN = ['\x1b[?1049h\x1b[H\x1b[2J', '\x1b[44m~\x1b[0m\r\n~\r\n', '\x1b[10;1H\x1b[7m-- INSERT --\x1b[0m', '\x1b[3;5H'];

describe('ScreenMirror snapshot', () => {
  it.each([
    ['the normal screen', SESSION],
    ['the alternate screen', [...SESSION, ...FULLSCREEN]],
    ['the normal screen after leaving the alternate one', [...SESSION, ...FULLSCREEN, '\x1b[?1049l', 'back\r\n']],
  ])('reproduces %s: buffer, cursor, modes and title', async (_name, chunks) => {
    const { mirror } = mirrored();
    const original = fresh();
    for (const chunk of chunks) {
      mirror.feed(Buffer.from(chunk));
      await write(original.term, Buffer.from(chunk));
    }
    await parsed(mirror);
    const replayed = fresh();
    await write(replayed.term, mirror.snapshot(1_000));
    expect(state(replayed)).toEqual(state(original));
    expect(state(original).title).toBe('fd-title: vim');
    mirror.dispose();
  });

  it('keeps at most the given scrollback, and resizes after the output fed before the resize', async () => {
    const { mirror } = mirrored();
    const lines = Array.from({ length: 100 }, (_, i) => `l${i}\r\n`).join('');
    mirror.feed(Buffer.from(lines));
    mirror.resize({ cols: 60, rows: 12 });
    expect(mirror.size).toEqual({ cols: 60, rows: 12 });
    const screen = await mirror.screen(5);
    expect(screen).toMatchObject({ cols: 60, rows: 12 });
    const original = fresh();
    await write(original.term, lines);
    original.term.resize(60, 12);
    const text = async (data: string) => {
      const replayed = fresh();
      replayed.term.resize(60, 12);
      await write(replayed.term, data);
      const buffer = replayed.term.buffer.active;
      return Array.from({ length: buffer.length }, (_, y) => buffer.getLine(y)!.translateToString(true)).filter(Boolean);
    };
    const shown = await text(screen.data);
    expect(shown).toEqual(await text(original.serialize({ scrollback: 5 })));
    expect(shown.at(-1)).toBe('l99');
    expect(shown.length).toBeLessThan(5 + 12);
    mirror.dispose();
  });
});

describe('ScreenMirror backlog', () => {
  it('reports the parser behind above backlogHigh, caught up below backlogLow, each once', async () => {
    const { mirror, backlog } = mirrored();
    mirror.feed(Buffer.from('a'.repeat(600)));
    expect(backlog).toEqual([]);
    mirror.feed(Buffer.from('b'.repeat(600))); // xterm parses on a later turn: 1,200 pending
    expect(mirror.pending).toBe(1_200);
    expect(backlog).toEqual([true]);
    await parsed(mirror);
    expect(mirror.pending).toBe(0);
    expect(backlog).toEqual([true, false]);
    mirror.dispose();
  });
});

describe('ScreenMirror under a flood', () => {
  const full = (t: ReturnType<typeof fresh>) => ({ ...state(t), screen: t.serialize({ scrollback: MIRROR_SCROLLBACK }) });
  const mirrorState = async (mirror: ScreenMirror) => {
    const replayed = fresh();
    replayed.term.resize(mirror.size.cols, mirror.size.rows);
    await write(replayed.term, (await mirror.screen(MIRROR_SCROLLBACK)).data);
    return full(replayed);
  };
  /**
   * Feeds `first` (xterm parses it on a later turn, alone), then `chunks` without waiting, as a
   * socket delivers a flood; and the same to a plain xterm.
   */
  async function flood(chunks: Uint8Array[], first = '$ flood\r\n') {
    const { mirror } = mirrored();
    const original = fresh();
    for (const chunk of [Buffer.from(first), ...chunks]) {
      mirror.feed(chunk);
      original.term.write(chunk);
    }
    await write(original.term, '');
    return { mirror, original };
  }
  /** The text's bytes in slices of `size`, cut anywhere (inside characters too), as reads are. */
  const slices = (text: string, size: number) => {
    const bytes = Buffer.from(text);
    return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  };
  const yes = (lines: number) => 'y\r\n'.repeat(lines);
  /** Coloured lines of many lengths, some wrapping, with tabs, wide and combining characters. */
  const logs = (lines: number) =>
    Array.from({ length: lines }, (_, i) => `\x1b[3${i % 8}m${i}\x1b[0m\t${'é漢🙂x'.repeat(i % 23)}${i % 5 === 0 ? '\x1b[1;48;5;17m!' : ''}\r\n`).join('');

  it.each([
    ['a yes flood', slices(yes(400_000), 16_384)],
    ['a coloured log flood with wide characters and wrapping lines', slices(logs(60_000), 16_384)],
    ['a flood in a colour set once, at its start', slices('\x1b[1;44m' + yes(300_000), 16_384)],
    ['a flood from the top of a full screen', slices(('X'.repeat(39) + '\r\n').repeat(9) + 'X'.repeat(39) + '\x1b[H' + yes(300_000), 16_384)],
    ['a flood that ends mid-line, mid-SGR and mid-character', slices(yes(300_000) + 'abc\x1b[3', 10_000).concat([Buffer.from('1mred 漢').subarray(0, 7)])],
  ])('leaves most of %s unparsed and ends on the same screen as xterm', async (_name, chunks) => {
    const { mirror, original } = await flood(chunks);
    const shown = await mirrorState(mirror);
    expect(mirror.elided).toBeGreaterThan(Buffer.concat(chunks).length / 2);
    expect(shown).toEqual(full(original));
    mirror.dispose();
  });

  /** Lines that differ from each other, so that rows written over show which line came last. */
  const numbered = (lines: number) => Array.from({ length: lines }, (_, i) => `${i}${i % 3 === 0 ? ' .....' : ''}\r\n`).join('');

  it.each([
    ['a scroll region that starts below the top, the cursor inside it', '\x1b[5;10r\x1b[7;1H', true],
    ['the cursor below a scroll region', '\x1b[1;5r\x1b[9;1H', false],
    ['the cursor above a scroll region (until the lines take it inside)', '\x1b[4;10r\x1b[1;1H', true],
    ['the alternate screen', '\x1b[?1049h\x1b[H', true],
    ['an SGR split between reads (the parser mid-sequence)', 'x\x1b[4', true],
  ])('ends on the same screen as xterm after %s', async (_name, setup, elides) => {
    // The setup is parsed first, alone: the search for a plain run starts right after it.
    const { mirror, original } = await flood(slices('4m' + numbered(200_000), 16_384), `$ flood\r\n${setup}`);
    expect(await mirrorState(mirror)).toEqual(full(original));
    expect(mirror.elided > 0).toBe(elides);
    mirror.dispose();
  });

  it('ends on the same screen as xterm after bare line feeds, which it leaves parsed', async () => {
    const { mirror, original } = await flood(slices('ab\n'.repeat(200_000), 16_384));
    expect(await mirrorState(mirror)).toEqual(full(original));
    expect(mirror.elided).toBe(0);
    mirror.dispose();
  });

  it('answers a mark set mid-flood with the screen at that point, and a resize in line with the output', async () => {
    const { mirror } = mirrored();
    const original = fresh();
    const first = slices(logs(30_000), 16_384);
    for (const chunk of first) mirror.feed(chunk);
    const atMark = mirror.screen(MIRROR_SCROLLBACK);
    mirror.resize({ cols: 60, rows: 12 });
    for (const chunk of slices(yes(100_000), 16_384)) mirror.feed(chunk);
    await write(original.term, Buffer.concat(first));
    const replayed = fresh();
    await write(replayed.term, (await atMark).data);
    expect(full(replayed)).toEqual(full(original));
    await write(original.term, '');
    original.term.resize(60, 12);
    await write(original.term, yes(100_000));
    expect(await mirrorState(mirror)).toEqual(full(original));
    expect(mirror.elided).toBeGreaterThan(0);
    mirror.dispose();
  });
});
