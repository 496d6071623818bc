// ScreenMirror's snapshot against xterm itself: a fresh headless terminal that writes the snapshot
// ends in the same state (buffer, cursor, modes, alternate screen, title) as one that wrote the
// original bytes; and the parser's backlog as the mirror reports it.
import { SerializeAddon } from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { ScreenMirror } from './screenMirror';

const { Terminal } = xtermHeadless;
type Term = InstanceType<typeof Terminal>;
const SIZE = { cols: 40, rows: 10 };

function fresh(): { term: Term; serialize: () => string; title: () => string } {
  const term = new Terminal({ ...SIZE, scrollback: 10_000, allowProposedApi: true });
  const serializer = new SerializeAddon();
  term.loadAddon(serializer as unknown as Parameters<typeof term.loadAddon>[0]);
  let title = '';
  term.onTitleChange((t) => (title = t));
  return { term, serialize: () => serializer.serialize(), title: () => title };
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

  it('keeps at most the given scrollback, and follows a resize', async () => {
    const { mirror } = mirrored();
    mirror.feed(Buffer.from(Array.from({ length: 100 }, (_, i) => `l${i}\r\n`).join('')));
    mirror.resize({ cols: 60, rows: 12 });
    expect(mirror.size).toEqual({ cols: 60, rows: 12 });
    const screen = await mirror.screen(5);
    expect(screen).toMatchObject({ cols: 60, rows: 12 });
    const replayed = fresh();
    replayed.term.resize(60, 12);
    await write(replayed.term, screen.data);
    const buffer = replayed.term.buffer.active;
    const text = Array.from({ length: buffer.length }, (_, y) => buffer.getLine(y)!.translateToString(true)).filter(Boolean);
    expect(text).toEqual(Array.from({ length: 5 + 11 }, (_, i) => `l${100 - 16 + i}`)); // 5 of scrollback, 11 on the screen, then the cursor's empty row
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
