// Display formatting. Views call these; stores never do.

const nf = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => nf.format(n);

/** Compact elapsed time: "45s", "12m 05s", "5h 12m", "3d 04h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${String(h % 24).padStart(2, '0')}h`;
}

/** Bytes as GiB: "31.3 GiB", and whole numbers from 100 up ("252 GiB"). */
export function formatGiB(bytes: number): string {
  const gib = bytes / 2 ** 30;
  return `${gib >= 100 ? Math.round(gib) : gib.toFixed(1)} GiB`;
}

/** Seconds until a moment, rounded up, never negative: "8 s". */
export const formatIn = (at: number, now: number): string => `${Math.max(0, Math.ceil((at - now) / 1000))} s`;

export const shortId = (id: string): string => id.slice(0, 12);

export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
