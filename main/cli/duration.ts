// CLI durations (`audit --since`, the rollout commands' --delay and --monitor): a whole number and
// one unit, as in 500ms, 30s, 15m, 2h, 7d.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or undefined where `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|[smhd])$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
