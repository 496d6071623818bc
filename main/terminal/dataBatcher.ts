// Batches one session's output into few, larger messages (as Hyper's DataBatcher does): one
// flush a few milliseconds after the first byte, or at once when a batch is full. Bytes are
// decoded here, with one decoder per session, so a UTF-8 character split across two reads
// arrives whole.
import { StringDecoder } from 'node:string_decoder';
import { systemClock, type Clock, type Timer } from '../clock/clock';

/** Long enough to gather a burst into one message, short enough that typing feels immediate. */
export const BATCH_FLUSH_MS = 8;
/** A full batch goes out at once rather than waiting for the timer. */
export const BATCH_MAX_CHARS = 64 * 1024;

export interface DataBatcherOptions {
  flushMs?: number;
  maxChars?: number;
  /** Runs the flush timer (default: the system clock). */
  clock?: Clock;
}

export class DataBatcher {
  private readonly decoder = new StringDecoder('utf8');
  private queue: string[] = [];
  private queuedChars = 0;
  private timer: Timer | undefined;
  private readonly flushMs: number;
  private readonly maxChars: number;
  private readonly clock: Clock;

  constructor(
    private readonly onFlush: (data: string) => void,
    options: DataBatcherOptions = {},
  ) {
    this.flushMs = options.flushMs ?? BATCH_FLUSH_MS;
    this.maxChars = options.maxChars ?? BATCH_MAX_CHARS;
    this.clock = options.clock ?? systemClock;
  }

  write(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    if (text.length === 0) return;
    this.queue.push(text);
    this.queuedChars += text.length;
    if (this.queuedChars >= this.maxChars) this.flush();
    else this.timer ??= this.clock.setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends whatever is queued now. */
  flush(): void {
    this.cancelTimer();
    if (this.queuedChars === 0) return;
    const data = this.queue.join('');
    this.queue = [];
    this.queuedChars = 0;
    this.onFlush(data);
  }

  /** The source ended: sends the rest, including an incomplete character (as U+FFFD). */
  end(): void {
    const rest = this.decoder.end();
    if (rest) {
      this.queue.push(rest);
      this.queuedChars += rest.length;
    }
    this.flush();
  }

  /** Drops anything queued; nothing is sent afterwards. */
  dispose(): void {
    this.cancelTimer();
    this.queue = [];
    this.queuedChars = 0;
  }

  private cancelTimer(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
