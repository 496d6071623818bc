// One terminal session's true screen in main (issue 15): a headless xterm fed every byte of the
// session's output as it arrives, sized as the session, tracking its title. It serializes the
// screen (scrollback up to a cap, modes, the alternate screen, cursor, colours, then the title)
// for skip-ahead's snapshots and for terminalScreen, and reports when its parser falls behind.
// Output waits in the mirror's own queue and goes to xterm a slice at a time, resizes in line
// with it; once ELIDE_ABOVE is queued, the plain text that more lines would scroll away anyway
// is left unparsed (plainRun.ts), so a `yes` flood costs the parser a fraction of its bytes.
import { SerializeAddon } from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import type { TerminalSize } from '../../shared/terminal';
import { findFlood } from './plainRun';

// @xterm/headless is CommonJS with no named exports Node can see.
const { Terminal } = xtermHeadless;

/**
 * Bounded: a flood scrolls lines out of here, never into main's memory. A snapshot and Redraw
 * carry at most SKIP_AHEAD.snapshotScrollback (1,000) lines, so more would be parsed for nothing,
 * and would make elision keep more lines (scrollback + 2 × rows) for xterm to parse.
 */
export const MIRROR_SCROLLBACK = 1_000;

/**
 * Queued bytes from which the queue is searched for plain text to leave unparsed (also whenever
 * something waits for the parser): ~30 ms of a `yes` flood (2.2 M chars/s through the lab's TLS,
 * read by an instant reader), of which elision leaves ~4 KB (1,091 lines) to parse. xterm parses
 * such a flood at 12 MB/s alone but ~3 MB/s beside dockerd on the lab's 2 cores (profiled), which
 * is slower than the flood. A search reads the queue once, at ~0.5 GB/s.
 */
export const ELIDE_ABOVE = 64 * 1024;
/**
 * Bytes handed to xterm at once. It parses a write whole, and a snapshot asked for meanwhile waits
 * for it: 16 KiB of a `yes` flood is ~1–5 ms (12 MB/s alone, ~3 MB/s beside dockerd).
 */
const SLICE = 16 * 1024;

export interface ScreenMirrorOptions {
  size: TerminalSize;
  /** Bytes fed but not yet parsed (or left unparsed) above which `onBacklog(true)` is called... */
  backlogHigh: number;
  /** ... and below which `onBacklog(false)`. */
  backlogLow: number;
  onBacklog(behind: boolean): void;
}

/**
 * Output bytes, or a replay written in place of elided ones (standing for none of the output),
 * or a resize, or a mark: a function to run once everything queued before it is parsed.
 */
type Queued = { bytes: Uint8Array; replay?: true } | { size: TerminalSize } | { mark: () => void };

/** xterm's internals that tell whether the text ahead can show what it would leave behind. */
interface XtermCore {
  buffer: { scrollTop: number; y: number; scrollBottom: number };
  _inputHandler: { _parser: { currentState: number } };
}

export class ScreenMirror {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  private titleText = '';
  private sizeNow: TerminalSize;
  private behind = false;
  /** Output bytes fed, and those parsed or left unparsed (offsets into the session's output). */
  private fed = 0;
  private done = 0;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private marksQueued = 0;
  /** xterm is parsing a slice. */
  private writing = false;
  /** Elision is searched for again once this much output is parsed, or this much fed. */
  private retry = { done: 0, fed: 0 };
  /** Where a plain run found ahead starts: slices stop there, so that it can be elided. */
  private stopAt = Infinity;
  private elidedBytes = 0;
  private disposed = false;

  constructor(private readonly options: ScreenMirrorOptions) {
    this.sizeNow = options.size;
    this.term = new Terminal({ cols: options.size.cols, rows: options.size.rows, scrollback: MIRROR_SCROLLBACK, allowProposedApi: true });
    // The addon is typed against @xterm/xterm's Terminal; the headless one has the same API it uses.
    this.term.loadAddon(this.serializer as unknown as Parameters<typeof this.term.loadAddon>[0]);
    this.term.onTitleChange((title) => (this.titleText = title));
  }

  get title(): string {
    return this.titleText;
  }

  /** Bytes fed that the parser has not got through yet. */
  get pending(): number {
    return this.fed - this.done;
  }

  /** Bytes left unparsed so far, because the lines after them scrolled them away. */
  get elided(): number {
    return this.elidedBytes;
  }

  get size(): TerminalSize {
    return this.sizeNow;
  }

  feed(chunk: Uint8Array): void {
    if (this.disposed || chunk.length === 0) return;
    this.fed += chunk.length;
    this.queue.push({ bytes: chunk });
    this.queuedBytes += chunk.length;
    if (!this.behind && this.pending > this.options.backlogHigh) this.setBehind(true);
    this.pump();
  }

  /** Resizes once the output fed before it is parsed, as the session's pty did. */
  resize(size: TerminalSize): void {
    if (this.disposed) return;
    this.sizeNow = size;
    this.queue.push({ size });
    this.pump();
  }

  /** Runs `fn` once every byte fed so far is parsed (at once if it is): the screen is theirs then, exactly. */
  whenParsed(fn: () => void): void {
    if (this.disposed) return;
    if (!this.writing && this.queue.length === 0) return fn();
    this.queue.push({ mark: fn });
    this.marksQueued++;
    // What is ahead of the mark may be elided now, however little is queued.
    this.retry = { done: 0, fed: 0 };
    this.pump();
  }

  /** The screen now, serialized with at most `scrollback` lines of scrollback, then the title. */
  snapshot(scrollback: number): string {
    const screen = this.serializer.serialize({ scrollback });
    return this.titleText ? `${screen}\x1b]2;${this.titleText}\x07` : screen;
  }

  /** The screen once every byte fed so far is parsed. */
  screen(scrollback: number): Promise<{ data: string; cols: number; rows: number }> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve({ data: '', cols: 0, rows: 0 });
      this.whenParsed(() => resolve({ data: this.snapshot(scrollback), ...this.size }));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue = [];
    this.term.dispose();
  }

  /** Hands xterm the next slice (up to the next mark or resize), once it has parsed the last one. */
  private pump(): void {
    while (!this.disposed && !this.writing && this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('size' in head || 'mark' in head) {
        this.queue.shift();
        // A mark runs inside xterm's write loop, right after the slice before it.
        if ('size' in head) this.term.resize(head.size.cols, head.size.rows);
        else {
          this.marksQueued--;
          head.mark();
        }
        continue;
      }
      const atStop = this.done >= this.stopAt;
      if (atStop) this.stopAt = Infinity;
      const due = (this.queuedBytes >= ELIDE_ABOVE || this.marksQueued > 0) && (this.done >= this.retry.done || this.fed >= this.retry.fed);
      if (!head.replay && (atStop || due)) this.elide();
      const slice = this.take(Math.min(SLICE, this.stopAt - this.done));
      this.writing = true;
      this.term.write(slice.bytes, () => this.parsed(slice.stands));
    }
  }

  private parsed(stands: number): void {
    if (this.disposed) return;
    this.done += stands;
    this.writing = false;
    this.caughtUp();
    this.pump();
  }

  private caughtUp(): void {
    if (this.behind && this.pending < this.options.backlogLow) this.setBehind(false);
  }

  /**
   * Bytes from the queue's head, up to `max` of the output's (replays ride along) and never past
   * a mark or a resize, and how many of the output's they stand for.
   */
  private take(max: number): { bytes: Uint8Array; stands: number } {
    const parts: Uint8Array[] = [];
    let stands = 0;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (!('bytes' in head)) break;
      if (head.replay) {
        parts.push(head.bytes);
        this.queue.shift();
        continue;
      }
      const room = max - stands;
      if (room <= 0) break;
      if (head.bytes.length <= room) {
        this.queue.shift();
        parts.push(head.bytes);
        stands += head.bytes.length;
      } else {
        parts.push(head.bytes.subarray(0, room));
        head.bytes = head.bytes.subarray(room);
        stands += room;
      }
    }
    this.queuedBytes -= stands;
    return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), stands };
  }

  /**
   * Leaves the plain text at the queue's head unparsed where the lines after it (before the next
   * mark or resize) scroll it away, and queues its replay in its place; or, when such text starts
   * further on, stops the slices there to try again. xterm is idle, and the head is output.
   */
  private elide(): void {
    if (!this.atRest()) {
      this.retry = { done: this.done + 1, fed: Infinity };
      return;
    }
    const { bytes } = this.take(Infinity);
    const flood = findFlood(bytes, MIRROR_SCROLLBACK + 2 * this.term.rows + 1);
    const rest = flood?.start === 0 ? bytes.subarray(flood.cut) : bytes;
    this.queue.unshift({ bytes: rest });
    this.queuedBytes += rest.length;
    if (!flood) {
      this.retry = { done: Infinity, fed: this.fed + ELIDE_ABOVE };
    } else if (flood.start > 0) {
      this.stopAt = this.done + flood.start;
      this.retry = { done: Infinity, fed: Infinity };
    } else {
      this.queue.unshift({ bytes: flood.replay, replay: true });
      this.elidedBytes += flood.cut;
      this.done += flood.cut;
      this.retry = { done: this.done, fed: this.fed };
      this.caughtUp();
    }
  }

  /**
   * The parser is in its ground state, and the cursor inside the scroll region (text above or
   * below it would overwrite rows that never scroll). Read from xterm's internals: if they change
   * shape, nothing is elided.
   */
  private atRest(): boolean {
    const core = (this.term as unknown as { _core?: Partial<XtermCore> })._core;
    const buffer = core?.buffer;
    const parser = core?._inputHandler?._parser;
    if (!buffer || !parser) return false;
    return parser.currentState === 0 && buffer.y >= buffer.scrollTop && buffer.y <= buffer.scrollBottom;
  }

  private setBehind(behind: boolean): void {
    this.behind = behind;
    this.options.onBacklog(behind);
  }
}
