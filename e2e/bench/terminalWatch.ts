// The terminal bench's view of one session's output: matches awaited text as main sends it (in a
// 'data' batch or inside a 'snapshot'), then waits for the renderer's ack past it (= xterm has
// written it). Nothing is kept but a short carry, so a flood costs no memory here.
import type { EventEmitter } from 'node:events';

/** The service events this watch needs (main/terminal/terminalService.ts). */
export interface TerminalEventsSource {
  on(event: 'data', listener: (id: string, chunk: string, offsetStart: number) => void): unknown;
  on(event: 'ack', listener: (id: string, ackedChars: number, at: number) => void): unknown;
  off(event: 'data', listener: (id: string, chunk: string, offsetStart: number) => void): unknown;
  off(event: 'ack', listener: (id: string, ackedChars: number, at: number) => void): unknown;
}

export interface Rendered {
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
  resolve: (end: number, via: 'data' | 'snapshot') => void;
}

export class TerminalWatch {
  /** Characters main has sent the renderer (data and snapshots, as acks count them). */
  sent = 0;
  acked = 0;
  snapshots = 0;
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
  /**
   * The 'snapshot' service event (T1, issue 15). Read loosely: its data when given, its offset and
   * length as the first two numbers, so the bench works whichever of them the event carries.
   */
  private readonly onSnapshot = (id: string, ...rest: unknown[]) => {
    if (id !== this.sessionId) return;
    const data = rest.find((x): x is string => typeof x === 'string');
    const numbers = rest.filter((x): x is number => typeof x === 'number');
    const offsetStart = numbers[0] ?? this.sent;
    const length = data?.length ?? numbers[1] ?? 0;
    this.snapshots++;
    this.carry = '';
    // A snapshot is the true screen: without its data, assume it shows what is awaited.
    this.chunk(data === undefined ? null : data.replace(ESCAPES, ''), offsetStart, 'snapshot', length);
  };

  constructor(
    private readonly terminals: TerminalEventsSource,
    private readonly sessionId: string,
  ) {
    terminals.on('data', this.onData);
    terminals.on('ack', this.onAck);
    (terminals as unknown as EventEmitter).on('snapshot', this.onSnapshot);
  }

  dispose(): void {
    this.terminals.off('data', this.onData);
    this.terminals.off('ack', this.onAck);
    (this.terminals as unknown as EventEmitter).off('snapshot', this.onSnapshot);
  }

  /** `text`, sent after offset `from`: when main sent it, and when xterm had written it. */
  async rendered(text: string, from: number, timeoutMs = 300_000): Promise<Rendered> {
    const { end, via, sentAt } = await new Promise<{ end: number; via: 'data' | 'snapshot'; sentAt: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`"${text}" never arrived`)), timeoutMs);
      this.watchers.push({ text, from, resolve: (end, via) => (clearTimeout(timer), resolve({ end, via, sentAt: Date.now() })) });
    });
    if (this.acked >= end) return { sentAt, ackedAt: Date.now(), via };
    const ackedAt = await new Promise<number>((resolve) => this.ackWaiters.push({ upTo: end, resolve }));
    return { sentAt, ackedAt, via };
  }

  /** `text` null: a snapshot without its data, taken to hold every awaited text. */
  private chunk(text: string | null, offsetStart: number, via: 'data' | 'snapshot', length = text?.length ?? 0): void {
    this.sent = offsetStart + length;
    const end = this.sent;
    if (text === null) {
      for (const w of this.watchers.splice(0)) w.resolve(end, via);
      return;
    }
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
