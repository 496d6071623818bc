// Reconnect delays: windows of 4 s, 8 s, 16 s, 32 s, then 60 s, and a random wait in each.
//
// Why random: a thousand hosts that drop together (the console's own link, a switch, a daemon
// upgrade across the fleet) would otherwise retry in lockstep, a thousand TLS or SSH handshakes
// in the same few milliseconds, again and again at every doubling.
//
// Why this shape:
// - The first retry waits anywhere in [0, 4 s] (full jitter): that one breaks the lockstep. A
//   hundred-millisecond slice then expects 2.5 % of the fleet (25 of 1,000 hosts); a 1 s window
//   would put 10 % in each. Connecting a whole 1,000-host fleet costs main ~2.3 s (bench:stats (b),
//   full fleet view), so its retries spread over 4 s stay below start-up's load.
// - Later retries wait in the upper half of their window, [w/2, w]: the hosts are already apart,
//   and the wait still doubles. Full jitter on every retry lets the attempt count outrun the
//   time down, so a host back after 10 s waited over 15 s more in 13 % of simulated runs
//   (1 % with this shape).
export const BACKOFF_FIRST_WINDOW_MS = 4_000;
export const BACKOFF_MAX_MS = 60_000;

/** The window of retry number `attempt` (0 = the first retry after going offline). */
export function backoffWindow(attempt: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) || 0), 16);
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_WINDOW_MS * 2 ** exponent);
}

/** The wait before retry number `attempt`; `random` in [0, 1) picks where in its window. */
export function backoffDelay(attempt: number, random: number): number {
  const window = backoffWindow(attempt);
  const low = attempt >= 1 ? window / 2 : 0;
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(low + (window - low) * r);
}
