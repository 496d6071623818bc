// Live stats: samples computed in main with the docker CLI's formulas, sent as one batched
// message per tick. Bytes are integers; rates are bytes per second over the last interval.
import { z } from 'zod';
import { call, empty, stream } from './slice';

const bytes = z.number().int().nonnegative();

export const ContainerStats = z.object({
  host: z.string(),
  id: z.string(),
  name: z.string(),
  /** Epoch ms of the sample. */
  at: z.number(),
  /** cpuDelta / systemDelta × online CPUs × 100 (docker stats); 100 = one full core. */
  cpuPercent: z.number(),
  /** Usage minus inactive file cache (cgroup v1 total_inactive_file, v2 inactive_file). */
  memUsage: bytes,
  memLimit: bytes,
  memPercent: z.number(),
  /** Summed over every device of io_service_bytes_recursive; cumulative. */
  blkRead: bytes,
  blkWrite: bytes,
  /** Summed over every interface; cumulative. */
  netRx: bytes,
  netTx: bytes,
  pids: z.number().int().nonnegative(),
  blkReadRate: z.number().nonnegative(),
  blkWriteRate: z.number().nonnegative(),
  netRxRate: z.number().nonnegative(),
  netTxRate: z.number().nonnegative(),
});
export type ContainerStats = z.infer<typeof ContainerStats>;

/** A host's containers summed, beside the host's capacity from /info. */
export const HostStats = z.object({
  host: z.string(),
  at: z.number(),
  cpuPercent: z.number(),
  ncpu: z.number().int(),
  memUsage: bytes,
  memTotal: bytes,
  blkReadRate: z.number().nonnegative(),
  blkWriteRate: z.number().nonnegative(),
  netRxRate: z.number().nonnegative(),
  netTxRate: z.number().nonnegative(),
  containers: z.number().int().nonnegative(),
});
export type HostStats = z.infer<typeof HostStats>;

/** The additive measurements of a container sample, a host's sum or the fleet's. */
export const LOAD_FIELDS = ['cpuPercent', 'memUsage', 'blkReadRate', 'blkWriteRate', 'netRxRate', 'netTxRate'] as const;
export type Load = Record<(typeof LOAD_FIELDS)[number], number>;

export const zeroLoad = (): Load => ({ cpuPercent: 0, memUsage: 0, blkReadRate: 0, blkWriteRate: 0, netRxRate: 0, netTxRate: 0 });

/** Adds `from`'s measurements into `into`, and returns `into`. */
export function addLoad<T extends Load>(into: T, from: Load): T {
  for (const field of LOAD_FIELDS) into[field] += from[field];
  return into;
}

/** One message per tick: every sample taken since the last tick, and the aggregates. */
export const StatsTick = z.object({
  at: z.number(),
  containers: z.array(ContainerStats),
  hosts: z.array(HostStats),
  fleet: HostStats.omit({ host: true }),
});
export type StatsTick = z.infer<typeof StatsTick>;

export const StatsRef = z.object({ host: z.string().min(1), id: z.string().regex(/^[0-9a-f]{12,64}$/) });

/** Containers the user sees (sampled at the fast rate); everything else runs at the slow rate. */
export const StatsFocus = z.object({
  visible: z.array(StatsRef).max(2_000),
  pinned: z.array(StatsRef).max(200),
});
export type StatsFocus = z.infer<typeof StatsFocus>;

/** A container's history for charts: at most `maxPoints` points, downsampled in main. */
export const StatsHistory = z.object({
  host: z.string(),
  id: z.string(),
  points: z.array(ContainerStats.pick({ at: true, cpuPercent: true, memUsage: true, memLimit: true, blkReadRate: true, blkWriteRate: true, netRxRate: true, netTxRate: true })),
});
export type StatsHistory = z.infer<typeof StatsHistory>;

/** A host's aggregates over time, for its charts: at most `maxPoints` points. */
export const StatsHostHistory = z.object({
  host: z.string(),
  points: z.array(HostStats.pick({ at: true, cpuPercent: true, ncpu: true, memUsage: true, memTotal: true })),
});
export type StatsHostHistory = z.infer<typeof StatsHostHistory>;

export const STATS_DEFAULTS = {
  /** Visible or pinned containers. */
  fastIntervalMs: 1_000,
  /** Everything else. */
  slowIntervalMs: 10_000,
  /** 15 minutes at 1 s. */
  historySeconds: 900,
  maxChartPoints: 300,
} as const;

/** Host charts keep a point every 3 s: the history window in at most maxChartPoints points. */
export const HOST_POINT_MS = (STATS_DEFAULTS.historySeconds * 1000) / STATS_DEFAULTS.maxChartPoints;

const maxPoints = z.number().int().min(10).max(2_000).optional();

export const statsSlice = {
  calls: {
    /** Which containers are on screen or pinned: they are sampled at the fast rate. */
    statsFocus: call(StatsFocus.strict(), z.void()),
    statsHistory: call(StatsRef.extend({ maxPoints }).strict(), StatsHistory),
    statsHostHistory: call(z.object({ host: z.string().min(1), maxPoints }).strict(), StatsHostHistory),
  },
  streams: {
    /** One batched message per tick (every second). */
    statsTicks: stream(empty, StatsTick),
  },
};
