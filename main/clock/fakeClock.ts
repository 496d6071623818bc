// A Clock for unit tests: time stands still until the test advances it, and timers fire in due
// order, each at its own time, with promises settling in between (so a timer that resolves
// a promise sees its continuation run before the next timer fires).
import type { Clock, Timer } from './clock';

export interface PendingTimer {
  /** When it fires next. */
  readonly at: number;
  readonly ms: number;
  readonly repeats: boolean;
}

interface Entry extends PendingTimer {
  at: number;
  /** Order among timers due at the same time: the one set first fires first, as in Node. */
  seq: number;
  readonly fn: () => void;
}

class FakeTimer implements Timer {
  unref(): Timer {
    return this;
  }
}

/** Lets every promise continuation queued so far (and those they queue) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<Timer, Entry>();

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, false);
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer) this.timers.delete(timer);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, true);
  }

  clearInterval(timer: Timer | undefined): void {
    this.clearTimeout(timer);
  }

  /** Timers not fired (or, for intervals, not cleared) yet, soonest first. */
  get pending(): PendingTimer[] {
    return this.ordered().map(([, { at, ms, repeats }]) => ({ at, ms, repeats }));
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way (including those
   * set by the timers it fires), each with the clock at its due time.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      await settle();
      const [timer, entry] = this.ordered()[0] ?? [];
      if (!timer || !entry || entry.at > target) break;
      this.fire(timer, entry);
    }
    this.current = target;
    await settle();
  }

  /** Jumps to the next timer and fires it; returns its time, or undefined when none is pending. */
  async next(): Promise<number | undefined> {
    await settle();
    const [timer, entry] = this.ordered()[0] ?? [];
    if (!timer || !entry) return undefined;
    this.fire(timer, entry);
    await settle();
    return entry.at;
  }

  private add(fn: () => void, ms: number, repeats: boolean): Timer {
    const timer = new FakeTimer();
    const delay = Math.max(0, Number.isFinite(ms) ? ms : 0);
    this.timers.set(timer, { at: this.current + delay, ms: delay, repeats, seq: this.seq++, fn });
    return timer;
  }

  private fire(timer: Timer, entry: Entry): void {
    this.current = Math.max(this.current, entry.at);
    if (entry.repeats) {
      // Node runs an interval of 0 every millisecond; do the same so a loop cannot spin forever.
      entry.at = this.current + Math.max(1, entry.ms);
      entry.seq = this.seq++;
    } else this.timers.delete(timer);
    entry.fn();
  }

  private ordered(): [Timer, Entry][] {
    return [...this.timers].sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq);
  }
}
