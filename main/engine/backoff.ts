// Reconnect delays: 1 s, 2 s, 4 s … capped at 60 s.
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 60_000;
/** Up to this fraction is shaved off each delay so a fleet that failed together doesn't retry in lockstep. */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry after a failure).
 * `random` in [0, 1) gives the jitter; 0 (the default) gives the exact doubling.
 */
export function backoffDelay(attempt: number, random = 0): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 16);
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(delay * (1 - BACKOFF_JITTER * random));
}
