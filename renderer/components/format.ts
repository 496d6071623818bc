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

/** Binary sizes for memory: "512 KiB", "87.4 MiB", "1.25 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'] as const;
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

/** Decimal rates for I/O, like docker stats: "0 B/s", "850 B/s", "12.4 KB/s", "3.1 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '0 B/s';
  return formatDecimal(bytesPerSecond, ['B/s', 'KB/s', 'MB/s', 'GB/s']);
}

/**
 * A count in decimal steps of 1,000: `units[0]` below 1,000 (whole), then one decimal below 100
 * of the next unit: "850 B", "12.3 MB", "312 MB".
 */
export function formatDecimal(n: number, units: readonly [string, ...string[]]): string {
  if (n < 1000) return `${Math.round(n)} ${units[0]}`;
  let v = n / 1000;
  let i = 1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** "0.4 %", "37 %", "312 %" (CPU % is per core: 100 = one full core). */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '—';
  const a = Math.max(0, p);
  return `${a < 10 ? a.toFixed(1) : Math.round(a)} %`;
}

/** Compact binary sizes for narrow cells: "512K", "87M", "1.3G", "124G". */
export function formatBytesShort(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'K', 'M', 'G', 'T'] as const;
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

/** "Up 3 hours (healthy)" → "3 hours": the daemon's own words, shown until the exact start time is known. */
export function uptimeFromStatus(status: string): string | undefined {
  return /^Up (.+?)(?: \(.*\))?$/.exec(status)?.[1];
}
