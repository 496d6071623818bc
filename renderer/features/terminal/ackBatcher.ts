// Flow control, renderer side: count what xterm has written (its write callback) and tell
// main in batches. Main pauses the source above FLOW_CONTROL.highWatermark unacked and resumes
// below lowWatermark, so an ack must go out at least every `ackEvery` characters, and a small
// tail must not sit here: it is flushed after `flushMs` even when below `ackEvery`.
import { FLOW_CONTROL } from '../../../shared/terminal';

export type Timers = {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
};

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class AckBatcher {
  private pending = 0;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly send: (chars: number) => void,
    private readonly ackEvery: number = FLOW_CONTROL.ackEvery,
    private readonly flushMs = 10,
    private readonly timers: Timers = realTimers,
  ) {}

  /** xterm has written (parsed) `chars` more characters of output. */
  written(chars: number): void {
    if (this.disposed || chars <= 0) return;
    this.pending += chars;
    if (this.pending >= this.ackEvery) this.flush();
    else if (this.timer === undefined) this.timer = this.timers.set(() => { this.timer = undefined; this.flush(); }, this.flushMs);
  }

  /** Ack whatever is pending now. */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clear(this.timer);
      this.timer = undefined;
    }
    if (this.disposed || this.pending === 0) return;
    const chars = this.pending;
    this.pending = 0;
    this.send(chars);
  }

  /** Characters written but not yet acked. */
  get unacked(): number {
    return this.pending;
  }

  /** Drops the pending count: the session is gone, nobody is waiting for it. */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.pending = 0;
    this.disposed = true;
  }
}
