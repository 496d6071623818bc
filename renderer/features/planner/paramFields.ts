// The planner's parameter fields as text → value, each with why it is refused: seconds (delay,
// monitor), a percentage (max failure ratio) and a count (parallelism, containers per batch).
// Bounds are the contract's (shared/rollout.ts RolloutParams), so a value taken here is one the
// engine takes.
export type FieldCheck = { ok: true; value: number } | { ok: false; message: string };

/** shared/rollout.ts: delayMs and monitorMs at most a day. */
const MAX_SECONDS = 86_400;
/** shared/rollout.ts MAX_CONTAINERS. */
export const MAX_COUNT = 5_000;

const number = (text: string): number | undefined => {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
};

/** Seconds as typed → milliseconds. */
export function parseSeconds(text: string): FieldCheck {
  const s = number(text);
  if (s === undefined) return { ok: false, message: 'a number of seconds' };
  if (s < 0) return { ok: false, message: '0 or more seconds' };
  if (s > MAX_SECONDS) return { ok: false, message: 'at most a day (86400 s)' };
  return { ok: true, value: Math.round(s * 1000) };
}

/** A percentage as typed → a ratio 0..1. */
export function parsePercent(text: string): FieldCheck {
  const p = number(text.replace(/%\s*$/, ''));
  if (p === undefined) return { ok: false, message: 'a percentage, 0 to 100' };
  if (p < 0 || p > 100) return { ok: false, message: 'between 0 and 100 %' };
  return { ok: true, value: p / 100 };
}

/** A whole count from `min` to MAX_COUNT. */
export function parseCount(text: string, min = 1): FieldCheck {
  const n = number(text);
  if (n === undefined || !Number.isInteger(n)) return { ok: false, message: 'a whole number' };
  if (n < min) return { ok: false, message: `${min} or more` };
  if (n > MAX_COUNT) return { ok: false, message: `at most ${MAX_COUNT}` };
  return { ok: true, value: n };
}

/** How a value shows in its field: ms as seconds, a ratio as a percentage, without float noise. */
export const secondsText = (ms: number): string => String(Math.round(ms) / 1000);
export const percentText = (ratio: number): string => String(Math.round(ratio * 10_000) / 100);
