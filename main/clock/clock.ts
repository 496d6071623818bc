// The one clock: wall time, timeouts and intervals. Every service that waits (host connections,
// the inventory's debounce, the stats sampler, terminal sessions) takes one, so unit tests run
// them on a FakeClock and production on the system clock.

/** A pending timeout or interval. `unref()` lets the process exit while it is still pending. */
export interface Timer {
  unref(): Timer;
}

export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  /** Accepts undefined (nothing pending) and timers that already fired. */
  clearTimeout(timer: Timer | undefined): void;
  setInterval(fn: () => void, ms: number): Timer;
  clearInterval(timer: Timer | undefined): void;
}

// Node's Timeout has unref() returning itself, so the global timers satisfy Timer as they are.
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (timer) => clearInterval(timer as NodeJS.Timeout | undefined),
};
