// The terminal bench's view of one session's output: matches awaited text as main reads it from
// the source, and as main sends it (in a 'data' batch, or in a 'snapshot' of a screen that had
// parsed it), then waits for the renderer's ack past it (= xterm has written it). Nothing is kept
// but a short carry, so a flood costs no memory here.

/** The service events this watch needs (main/terminal/terminalService.ts). */
export interface TerminalEventsSource {
  on(event: 'data', listener: (id: string, chunk: string, offsetStart: number) => void): unknown;
  on(event: 'ack', listener: (id: string, ackedChars: number, at: number) => void): unknown;
  off(event: 'data', listener: (id: string, chunk: string, offsetStart: number) => void): unknown;
  off(event: 'ack', listener: (id: string, ackedChars: number, at: number) => void): unknown;
  on(event: 'snapshot', listener: (id: string, data: string, offsetStart: number, length: number) => void): unknown;
  off(event: 'snapshot', listener: (id: string, data: string, offsetStart: number, length: number) => void): unknown;
}

export interface Rendered {
  /** When main read it from the source (undefined without a mirror to look into). */
  readAt: number | undefined;
  /** When main sent the batch or snapshot holding the text. */
  sentAt: number;
  /** When the renderer acked past it. */
  ackedAt: number;
  via: 'data' | 'snapshot';
}

/** Escape sequences a serialized screen is full of (CSI, OSC, charset and single-character ones). */
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()#][0-9A-Za-z]|\x1b[ -/]*[0-~]/g;
/** Long enough to hold any awaited text split across two batches. */
const CARRY = 32;

interface Watcher {
  text: string;
  from: number;
  rawFrom: number;
  /** The raw offset just past the text, once main has read it, and when. */
  rawEnd?: number;
  readAt?: number;
  /** The next snapshot was serialized from a screen that had parsed it. */
  inSnapshot?: boolean;
  resolve: (end: number, via: 'data' | 'snapshot') => void;
}

/**
 * The session's ScreenMirror (main/terminal/screenMirror.ts), private to main: the bench looks
 * into it to see raw bytes as they are read and which of them a snapshot was serialized from.
 * A skipped echo in a `yes` flood has scrolled past a snapshot's scrollback cap within a
 * millisecond, so searching the snapshot's text cannot tell whether it holds the keystroke.
 */
interface MirrorLike {
  readonly pending: number;
  feed(chunk: Uint8Array): void;
  snapshot(scrollback: number): string;
}

function mirrorOf(terminals: unknown, sessionId: string): MirrorLike | undefined {
  const sessions = (terminals as { sessions?: Map<string, { output?: { mirror?: MirrorLike } }> }).sessions;
  return sessions?.get(sessionId)?.output?.mirror;
}

export class TerminalWatch {
  /** Characters main has sent the renderer (data and snapshots, as acks count them). */
  sent = 0;
  acked = 0;
  snapshots = 0;
  /** Raw bytes main has read from the source. */
  private fed = 0;
  private rawCarry = '';
  private carry = '';
  private readonly watchers: Watcher[] = [];
  private readonly ackWaiters: { upTo: number; resolve: (at: number) => void }[] = [];
  private readonly onData = (id: string, chunk: string, offsetStart: number) => {
    if (id === this.sessionId) this.chunk(chunk, offsetStart, 'data');
  };
  private readonly onAck = (id: string, total: number, at: number) => {
    if (id !== this.sessionId) return;
    this.acked = total;
    for (const w of this.ackWaiters.filter((w) => w.upTo <= total)) {
      this.ackWaiters.splice(this.ackWaiters.indexOf(w), 1);
      w.resolve(at);
    }
  };
  private readonly onSnapshot = (id: string, data: string, offsetStart: number, length: number) => {
    if (id !== this.sessionId) return;
    this.snapshots++;
    this.carry = '';
    for (const w of this.watchers.filter((w) => w.inSnapshot)) {
      this.watchers.splice(this.watchers.indexOf(w), 1);
      w.resolve(offsetStart + length, 'snapshot');
    }
    this.chunk(data.replace(ESCAPES, ''), offsetStart, 'snapshot', length);
  };

  constructor(
    private readonly terminals: TerminalEventsSource,
    private readonly sessionId: string,
  ) {
    terminals.on('data', this.onData);
    terminals.on('ack', this.onAck);
    terminals.on('snapshot', this.onSnapshot);
    const mirror = mirrorOf(terminals, sessionId);
    if (!mirror) return;
    const feed = mirror.feed.bind(mirror);
    const snapshot = mirror.snapshot.bind(mirror);
    mirror.feed = (chunk) => {
      this.raw(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1'));
      feed(chunk);
    };
    mirror.snapshot = (scrollback) => {
      // A lower bound: bytes fed after the snapshot was asked for may be parsed but not yet confirmed.
      const parsed = this.fed - mirror.pending;
      for (const w of this.watchers) if (w.rawEnd !== undefined && w.rawEnd <= parsed) w.inSnapshot = true;
      return snapshot(scrollback);
    };
  }

  dispose(): void {
    this.terminals.off('data', this.onData);
    this.terminals.off('ack', this.onAck);
    this.terminals.off('snapshot', this.onSnapshot);
  }

  /** `text`, sent after offset `from`: when main sent it, and when xterm had written it. */
  async rendered(text: string, from: number, timeoutMs = 300_000): Promise<Rendered> {
    let watcher: Watcher | undefined;
    const { end, via, sentAt } = await new Promise<{ end: number; via: 'data' | 'snapshot'; sentAt: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (watcher) this.watchers.splice(this.watchers.indexOf(watcher), 1);
        const read = watcher?.readAt === undefined ? 'not read by main yet' : `read by main ${Date.now() - watcher.readAt} ms ago`;
        reject(new Error(`"${text}" never arrived (${read}; since offset ${from}: sent ${this.sent}, acked ${this.acked}, ${this.snapshots} snapshots)`));
      }, timeoutMs);
      watcher = { text, from, rawFrom: this.fed, resolve: (end, via) => (clearTimeout(timer), resolve({ end, via, sentAt: Date.now() })) };
      this.watchers.push(watcher);
    });
    const readAt = watcher?.readAt;
    if (this.acked >= end) return { readAt, sentAt, ackedAt: Date.now(), via };
    const ackedAt = await new Promise<number>((resolve) => this.ackWaiters.push({ upTo: end, resolve }));
    return { readAt, sentAt, ackedAt, via };
  }

  private raw(text: string): void {
    const window = this.rawCarry + text;
    const windowStart = this.fed - this.rawCarry.length;
    this.fed += text.length;
    for (const w of this.watchers) {
      if (w.rawEnd !== undefined) continue;
      const at = window.indexOf(w.text, Math.max(0, w.rawFrom - windowStart));
      if (at < 0) continue;
      w.rawEnd = windowStart + at + w.text.length;
      w.readAt = Date.now();
    }
    this.rawCarry = window.slice(-CARRY);
  }

  /** `length`: what the renderer acks for it (a snapshot's data before its escapes were stripped). */
  private chunk(text: string, offsetStart: number, via: 'data' | 'snapshot', length = text.length): void {
    this.sent = offsetStart + length;
    const end = this.sent;
    const window = this.carry + text;
    const windowStart = via === 'snapshot' ? offsetStart : offsetStart - this.carry.length;
    for (const w of [...this.watchers]) {
      // Inside a snapshot, positions are not those of the raw stream: any match counts, acked at its end.
      const at = window.indexOf(w.text, via === 'snapshot' ? 0 : Math.max(0, w.from - windowStart));
      if (at < 0) continue;
      this.watchers.splice(this.watchers.indexOf(w), 1);
      w.resolve(via === 'snapshot' ? end : windowStart + at + w.text.length, via);
    }
    this.carry = via === 'snapshot' ? '' : window.slice(-CARRY);
  }
}
