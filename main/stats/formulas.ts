// The docker CLI's stats formulas (docker/cli cli/command/container/stats_helpers.go), applied to
// the Engine API's GET /containers/{id}/stats payload. Pure: no I/O, no clock.
//
// With one-shot sampling the payload has no usable precpu_stats, so the CPU delta is taken
// against our own previous sample of the same container, as `docker stats` does against its
// previous stream message.
import type { ContainerStats } from '../../shared/stats';

/** The parts of the Engine API's stats payload we read; every field may be missing. */
export interface EngineStats {
  read?: string;
  pids_stats?: { current?: number } | null;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null } | null;
    system_cpu_usage?: number;
    online_cpus?: number;
  } | null;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null } | null;
  blkio_stats?: { io_service_bytes_recursive?: { major?: number; minor?: number; op?: string; value?: number }[] | null } | null;
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
}

/** One sample's counters and point values, before deltas. */
export interface Counters {
  /** Local epoch ms when the sample was taken. */
  at: number;
  /** The daemon's `read` time in epoch ms, or NaN. Rates use it when both samples have it. */
  readAt: number;
  cpuTotal: number;
  systemCpu: number;
  onlineCpus: number;
  memUsage: number;
  memLimit: number;
  blkRead: number;
  blkWrite: number;
  netRx: number;
  netTx: number;
  pids: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const bytes = (v: number): number => Math.max(0, Math.round(v));

/**
 * Usage minus the inactive file cache: `total_inactive_file` on cgroup v1, `inactive_file` on v2.
 * As in the CLI, the cache is subtracted only when it is smaller than usage (never negative).
 */
export function memoryUsage(mem: EngineStats['memory_stats']): number {
  const usage = num(mem?.usage);
  const stats = mem?.stats ?? {};
  if ('total_inactive_file' in stats) {
    const v = num(stats.total_inactive_file);
    if (v < usage) return usage - v;
  }
  const v = num(stats.inactive_file);
  return v < usage ? usage - v : usage;
}

/** Percent of the limit; 0 without a limit (the container is not running). */
export function memoryPercent(usage: number, limit: number): number {
  return limit > 0 ? (usage / limit) * 100 : 0;
}

/** Read and write bytes summed over every device; ops matched by first letter, either case. */
export function blockIo(blkio: EngineStats['blkio_stats']): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const entry of blkio?.io_service_bytes_recursive ?? []) {
    const op = entry.op?.[0];
    if (op === 'r' || op === 'R') read += num(entry.value);
    else if (op === 'w' || op === 'W') write += num(entry.value);
  }
  return { read, write };
}

/** Received and sent bytes summed over every interface. */
export function networkIo(networks: EngineStats['networks']): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const nic of Object.values(networks ?? {})) {
    rx += num(nic?.rx_bytes);
    tx += num(nic?.tx_bytes);
  }
  return { rx, tx };
}

/** cpuDelta / systemDelta × online CPUs × 100; 0 unless both deltas are positive. */
export function cpuPercent(prev: Pick<Counters, 'cpuTotal' | 'systemCpu'>, cur: Pick<Counters, 'cpuTotal' | 'systemCpu' | 'onlineCpus'>): number {
  const cpuDelta = cur.cpuTotal - prev.cpuTotal;
  const systemDelta = cur.systemCpu - prev.systemCpu;
  if (!(systemDelta > 0 && cpuDelta > 0)) return 0;
  return (cpuDelta / systemDelta) * cur.onlineCpus * 100;
}

export function readCounters(payload: EngineStats, at: number): Counters {
  const cpu = payload.cpu_stats;
  const onlineCpus = num(cpu?.online_cpus) || (cpu?.cpu_usage?.percpu_usage?.length ?? 0);
  const blk = blockIo(payload.blkio_stats);
  const net = networkIo(payload.networks);
  const readAt = payload.read ? Date.parse(payload.read) : NaN;
  return {
    at,
    // The zero time ("0001-01-01T00:00:00Z") parses to a negative number: not a real reading.
    readAt: readAt > 0 ? readAt : NaN,
    cpuTotal: num(cpu?.cpu_usage?.total_usage),
    systemCpu: num(cpu?.system_cpu_usage),
    onlineCpus,
    memUsage: memoryUsage(payload.memory_stats),
    memLimit: num(payload.memory_stats?.limit),
    blkRead: blk.read,
    blkWrite: blk.write,
    netRx: net.rx,
    netTx: net.tx,
    pids: num(payload.pids_stats?.current),
  };
}

/** Seconds between two samples: the daemon's read times when both have one, else ours. */
export function intervalSeconds(prev: Counters, cur: Counters): number {
  const daemon = cur.readAt - prev.readAt;
  if (Number.isFinite(daemon) && daemon > 0) return daemon / 1000;
  return Math.max(0, cur.at - prev.at) / 1000;
}

/** A counter's rate per second; 0 if it went backwards (a restart resets it) or no time passed. */
function rate(prev: number, cur: number, seconds: number): number {
  return seconds > 0 && cur > prev ? (cur - prev) / seconds : 0;
}

export interface ContainerIdentity {
  host: string;
  id: string;
  name: string;
}

/** A full sample from this and the previous sample of the same container. */
export function toContainerStats(who: ContainerIdentity, prev: Counters, cur: Counters): ContainerStats {
  const seconds = intervalSeconds(prev, cur);
  return {
    host: who.host,
    id: who.id,
    name: who.name,
    at: cur.at,
    cpuPercent: cpuPercent(prev, cur),
    memUsage: bytes(cur.memUsage),
    memLimit: bytes(cur.memLimit),
    memPercent: memoryPercent(cur.memUsage, cur.memLimit),
    blkRead: bytes(cur.blkRead),
    blkWrite: bytes(cur.blkWrite),
    netRx: bytes(cur.netRx),
    netTx: bytes(cur.netTx),
    pids: bytes(cur.pids),
    blkReadRate: rate(prev.blkRead, cur.blkRead, seconds),
    blkWriteRate: rate(prev.blkWrite, cur.blkWrite, seconds),
    netRxRate: rate(prev.netRx, cur.netRx, seconds),
    netTxRate: rate(prev.netTx, cur.netTx, seconds),
  };
}
