// Batches one terminal session's output over the stream-session Batcher (main/streams): bytes are
// decoded here, with one decoder per session, so a UTF-8 character split across two reads
// arrives whole, and each batch goes out as one string.
import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../clock/clock';
import { Batcher } from '../streams/batcher';

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
  private readonly batcher: Batcher<string>;

  constructor(onFlush: (data: string) => void, options: DataBatcherOptions = {}) {
    this.batcher = new Batcher((texts) => onFlush(texts.join('')), (text) => text.length, {
      flushMs: options.flushMs ?? BATCH_FLUSH_MS,
      maxSize: options.maxChars ?? BATCH_MAX_CHARS,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  write(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    if (text.length > 0) this.batcher.add(text);
  }

  /** Sends whatever is queued now. */
  flush(): void {
    this.batcher.flush();
  }

  /** The source ended: sends the rest, including an incomplete character (as U+FFFD). */
  end(): void {
    const rest = this.decoder.end();
    if (rest) this.batcher.add(rest);
    this.batcher.flush();
  }

  /** Drops anything queued; nothing is sent afterwards. */
  dispose(): void {
    this.batcher.dispose();
  }
}
