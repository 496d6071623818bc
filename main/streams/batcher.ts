// Batches a stream's items into few, larger messages (as Hyper's DataBatcher does): one flush a
// few milliseconds after the first item, or at once when a batch is full. Terminals batch text
// (main/terminal/dataBatcher.ts), log views batch lines.
import { systemClock, type Clock, type Timer } from '../clock/clock';

export interface BatcherOptions {
  /** How long the first item of a batch waits for others. */
  flushMs: number;
  /** A batch this large (by `size`) goes out at once rather than waiting for the timer. */
  maxSize: number;
  /** Runs the flush timer (default: the system clock). */
  clock?: Clock;
}

export class Batcher<T> {
  private queue: T[] = [];
  private queuedSize = 0;
  private timer: Timer | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly onFlush: (items: T[]) => void,
    private readonly size: (item: T) => number,
    private readonly options: BatcherOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  get pending(): number {
    return this.queue.length;
  }

  add(item: T): void {
    this.queue.push(item);
    this.queuedSize += this.size(item);
    if (this.queuedSize >= this.options.maxSize) this.flush();
    else this.timer ??= this.clock.setTimeout(() => this.flush(), this.options.flushMs);
  }

  /** Sends whatever is queued now. */
  flush(): void {
    this.cancelTimer();
    if (this.queue.length === 0) return;
    const items = this.queue;
    this.queue = [];
    this.queuedSize = 0;
    this.onFlush(items);
  }

  /** Drops anything queued; nothing is sent afterwards. */
  dispose(): void {
    this.cancelTimer();
    this.queue = [];
    this.queuedSize = 0;
  }

  private cancelTimer(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
