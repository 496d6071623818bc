// One terminal session's true screen in main (issue 15): a headless xterm fed every byte of the
// session's output as it arrives, sized as the session, tracking its title. It serializes the
// screen (scrollback up to a cap, modes, the alternate screen, cursor, colours, then the title)
// for skip-ahead's snapshots and for terminalScreen, and reports when its parser falls behind.
import { SerializeAddon } from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import type { TerminalSize } from '../../shared/terminal';

// @xterm/headless is CommonJS with no named exports Node can see.
const { Terminal } = xtermHeadless;

/** Bounded: a flood scrolls lines out of here, never into main's memory. */
export const MIRROR_SCROLLBACK = 10_000;

export interface ScreenMirrorOptions {
  size: TerminalSize;
  /** Bytes written but not yet parsed above which `onBacklog(true)` is called... */
  backlogHigh: number;
  /** ... and below which `onBacklog(false)`. */
  backlogLow: number;
  onBacklog(behind: boolean): void;
}

interface Mark {
  /** Runs once the write numbered `seq`, and all before it, are parsed. */
  seq: number;
  run(): void;
}

export class ScreenMirror {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  private titleText = '';
  private pendingBytes = 0;
  private behind = false;
  private written = 0;
  private parsed = 0;
  private marks: Mark[] = [];
  private disposed = false;

  constructor(private readonly options: ScreenMirrorOptions) {
    this.term = new Terminal({ cols: options.size.cols, rows: options.size.rows, scrollback: MIRROR_SCROLLBACK, allowProposedApi: true });
    // The addon is typed against @xterm/xterm's Terminal; the headless one has the same API it uses.
    this.term.loadAddon(this.serializer as unknown as Parameters<typeof this.term.loadAddon>[0]);
    this.term.onTitleChange((title) => (this.titleText = title));
  }

  get title(): string {
    return this.titleText;
  }

  /** Bytes written that the parser has not confirmed yet. */
  get pending(): number {
    return this.pendingBytes;
  }

  get size(): TerminalSize {
    return { cols: this.term.cols, rows: this.term.rows };
  }

  feed(chunk: Uint8Array): void {
    if (this.disposed || chunk.length === 0) return;
    const seq = ++this.written;
    this.pendingBytes += chunk.length;
    this.term.write(chunk, () => this.parsedWrite(seq, chunk.length));
    if (!this.behind && this.pendingBytes > this.options.backlogHigh) this.setBehind(true);
  }

  resize(size: TerminalSize): void {
    if (!this.disposed) this.term.resize(size.cols, size.rows);
  }

  /** Runs `fn` once every byte fed so far is parsed (at once if it is): the screen is theirs then, exactly. */
  whenParsed(fn: () => void): void {
    if (this.disposed) return;
    if (this.parsed === this.written) fn();
    else this.marks.push({ seq: this.written, run: fn });
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
    this.marks = [];
    this.term.dispose();
  }

  private parsedWrite(seq: number, bytes: number): void {
    if (this.disposed) return;
    this.parsed = seq;
    this.pendingBytes -= bytes;
    // Callbacks run inside xterm's write loop, right after their chunk and before the next one.
    while (this.marks.length > 0 && this.marks[0]!.seq <= seq) this.marks.shift()!.run();
    if (this.behind && this.pendingBytes < this.options.backlogLow) this.setBehind(false);
  }

  private setBehind(behind: boolean): void {
    this.behind = behind;
    this.options.onBacklog(behind);
  }
}
