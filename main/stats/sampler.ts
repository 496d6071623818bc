// The stats sampler: polls GET /containers/{id}/stats?stream=false&one-shot=true for the running
// containers of online hosts, computes deltas against its own previous sample (one-shot has no
// precpu), keeps a history per container, sums hosts and the fleet, and sends one StatsTick per
// second to its subscribers.
//
// Rates: containers in the focus (visible or pinned) every `fastIntervalMs`, the rest every
// `slowIntervalMs`. A new container is sampled twice `fastIntervalMs` apart (its first value needs
// a baseline), then joins its rate. Requests go through the host's sampling sockets, at most
// `concurrency` in flight per host; user actions and listings use other sockets (or, over SSH,
// go first for channels), so sampling never delays them.
// The periodic loop runs only while someone subscribes to ticks; `sampleNow` serves the CLI.
import type { Container } from '../../shared/model';
import { addLoad, HOST_POINT_MS, STATS_DEFAULTS, zeroLoad, type ContainerStats, type HostStats, type StatsFocus, type StatsHistory, type StatsHostHistory, type StatsTick } from '../../shared/stats';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import type { HostStatus } from '../inventory/hostInventory';
import { readCounters, toContainerStats, type Counters, type EngineStats } from './formulas';
import { downsample, HistoryRing, HOST_COLUMNS } from './history';

/** What the sampler needs of a host connection (main/engine's HostConnection has it). */
export interface StatsHost {
  readonly spec: { readonly name: string };
  readonly status: HostStatus;
  /** A GET on the host's sampling sockets, which never delay other calls. */
  sample<T>(path: string, signal: AbortSignal): Promise<T>;
  /** How many samples the host's transport carries at once. */
  readonly samplingSlots: number;
}

export interface StatsSamplerOptions {
  hosts: readonly StatsHost[];
  /** The host's containers as the inventory knows them (only running ones are sampled). */
  containers: (host: string) => readonly Container[];
  fastIntervalMs?: number;
  slowIntervalMs?: number;
  /** How often a StatsTick goes out (default 1 s). */
  tickMs?: number;
  historySeconds?: number;
  /** Stats requests in flight per host (default: the host's samplingSlots). */
  concurrency?: number;
  /** Deadline of one stats request (default 5 s). */
  requestTimeoutMs?: number;
  /** One stats payload; default: the Engine API over the host's sampling sockets. */
  fetchStats?: (host: StatsHost, id: string, signal: AbortSignal) => Promise<EngineStats>;
  /** Runs the loop and the request deadlines (default: the system clock). */
  clock?: Clock;
  /** In [0, 1): spreads slow-rate containers over the slow interval. */
  random?: () => number;
  log?: (message: string) => void;
}

const REQUEST_TIMEOUT_MS = 5_000;
/** Samples one pump (a tenth of a tick) may start: 2,500 a second, ~40 ms of requests at most. */
export const MAX_STARTS_PER_PUMP = 250;

interface Entry {
  host: string;
  id: string;
  name: string;
  prev?: Counters;
  latest?: ContainerStats;
  history?: HistoryRing;
  nextDue: number;
  busy: boolean;
}

interface HostQueue {
  active: number;
  /** Wakes the next sample waiting for a free slot. */
  waiting: (() => void)[];
}

type Listener = (tick: StatsTick) => void;

const key = (host: string, id: string) => `${host}\u0000${id}`;

/** GET /containers/{id}/stats?stream=false&one-shot=true on the host's sampling sockets. */
export function fetchEngineStats(host: StatsHost, id: string, signal: AbortSignal): Promise<EngineStats> {
  return host.sample<EngineStats>(`/containers/${encodeURIComponent(id)}/stats?stream=false&one-shot=true`, signal);
}

export class StatsSampler {
  private readonly entries = new Map<string, Entry>();
  private readonly hostHistory = new Map<string, HistoryRing<(typeof HOST_COLUMNS)[number]>>();
  private readonly queues = new Map<string, HostQueue>();
  private readonly hostsByName: ReadonlyMap<string, StatsHost>;
  private readonly listeners = new Set<Listener>();
  private focus = new Set<string>();
  private pending: ContainerStats[] = [];
  private timer: Timer | undefined;
  private nextTickAt = 0;
  private closed = false;

  readonly fastIntervalMs: number;
  readonly slowIntervalMs: number;
  readonly tickMs: number;
  /** How often due samples are started: a tenth of a tick. */
  private readonly pumpMs: number;
  readonly historySeconds: number;
  private readonly concurrency: number | undefined;
  private readonly requestTimeoutMs: number;
  private readonly fetchStats: NonNullable<StatsSamplerOptions['fetchStats']>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly options: StatsSamplerOptions) {
    this.fastIntervalMs = options.fastIntervalMs ?? STATS_DEFAULTS.fastIntervalMs;
    this.slowIntervalMs = options.slowIntervalMs ?? STATS_DEFAULTS.slowIntervalMs;
    this.tickMs = options.tickMs ?? 1_000;
    this.pumpMs = this.tickMs / 10;
    this.historySeconds = options.historySeconds ?? STATS_DEFAULTS.historySeconds;
    this.concurrency = options.concurrency;
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.fetchStats = options.fetchStats ?? fetchEngineStats;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    this.hostsByName = new Map(options.hosts.map((h) => [h.spec.name, h]));
  }

  /** Containers on screen or pinned: sampled at the fast rate from the next tick on. */
  setFocus(focus: StatsFocus): void {
    const next = new Set([...focus.visible, ...focus.pinned].map((r) => key(r.host, r.id)));
    const now = this.clock.now();
    for (const k of next) {
      const entry = this.entries.get(k);
      if (entry && !this.focus.has(k)) entry.nextDue = Math.min(entry.nextDue, now);
    }
    this.focus = next;
  }

  /** One message per tick; sampling runs while at least one subscriber is attached. */
  subscribe(listener: Listener): () => void {
    if (this.closed) return () => {};
    this.listeners.add(listener);
    if (this.timer === undefined) {
      this.nextTickAt = 0;
      this.schedule(0);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer !== undefined) {
        this.clock.clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** A container's history, oldest first, downsampled to at most `maxPoints`. */
  history(host: string, id: string, maxPoints: number = STATS_DEFAULTS.maxChartPoints): StatsHistory {
    const ring = this.entries.get(key(host, id))?.history;
    return { host, id, points: ring ? downsample(ring.points(), maxPoints) : [] };
  }

  /** A host's aggregates over the history window, oldest first, downsampled to at most `maxPoints`. */
  hostHistoryOf(host: string, maxPoints: number = STATS_DEFAULTS.maxChartPoints): StatsHostHistory {
    const ring = this.hostHistory.get(host);
    return { host, points: ring ? downsample(ring.points(), maxPoints) : [] };
  }

  /** The latest sample of every container that has one. */
  latest(): ContainerStats[] {
    return [...this.entries.values()].flatMap((e) => (e.latest ? [e.latest] : []));
  }

  /**
   * Samples every running container of every online host now and resolves when all have
   * answered, with the samples that had a baseline (so call it twice, ~1 s apart, for CPU %).
   */
  async sampleNow(): Promise<ContainerStats[]> {
    // A container the loop is sampling right now is left to it: two samples in flight would race for the baseline.
    const targets = this.sync().filter((entry) => !entry.busy);
    const results = await Promise.all(targets.map((entry) => this.sampleQueued(entry)));
    return results.flatMap((s) => (s ? [s] : []));
  }

  /** Aggregates over the latest samples: one per online host, and the fleet. */
  aggregates(at: number = this.clock.now()): Pick<StatsTick, 'hosts' | 'fleet'> {
    const byHost = new Map<string, ContainerStats[]>();
    for (const entry of this.entries.values()) {
      if (!entry.latest) continue;
      const list = byHost.get(entry.host) ?? [];
      list.push(entry.latest);
      byHost.set(entry.host, list);
    }
    const hosts: HostStats[] = this.options.hosts
      .filter((h) => h.status.state === 'online')
      .map((h) => {
        const samples = byHost.get(h.spec.name) ?? [];
        const engine = h.status.engine;
        return { host: h.spec.name, at, ncpu: engine?.ncpu ?? 0, memTotal: engine?.memTotal ?? 0, ...sum(samples) };
      });
    const fleet = { at, ncpu: 0, memTotal: 0, containers: 0, ...zeroLoad() };
    for (const h of hosts) {
      addLoad(fleet, h);
      fleet.ncpu += h.ncpu;
      fleet.memTotal += h.memTotal;
      fleet.containers += h.containers;
    }
    return { hosts, fleet };
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    for (const queue of this.queues.values()) for (const wake of queue.waiting.splice(0)) wake();
  }

  /** One tick: send what was sampled since the last one, then start the samples now due. */
  tick(): void {
    if (this.closed) return;
    const now = this.clock.now();
    const tick: StatsTick = { at: now, containers: this.pending, ...this.aggregates(now) };
    this.pending = [];
    this.recordHosts(tick.hosts);
    for (const listener of this.listeners) {
      try {
        listener(tick);
      } catch {
        // A failing subscriber (e.g. a closed socket) must not stop the others.
      }
    }
    this.startDue(now, this.sync());
  }

  /**
   * Starts the samples due by `now` (with half a pump of slack for a timer firing early). The loop
   * calls this ten times a tick, so a fleet's samples go out spread over the second instead of in
   * one burst: a thousand requests in flight at once stay in memory long enough to be promoted to
   * the old heap, and main's RSS grew by a hundred MB. Between ticks it walks the entries as the
   * last tick left them: syncing with the inventory ten times a second cost more than sampling.
   */
  private startDue(now: number, entries: Iterable<Entry> = this.entries.values()): void {
    const dueBy = now + this.pumpMs / 2;
    let started = 0;
    for (const entry of entries) {
      if (entry.busy || entry.nextDue > dueBy) continue;
      // The rest stay due for the next pump: starting 9,000 requests at once blocked main for 1.6 s.
      if (started++ >= MAX_STARTS_PER_PUMP) break;
      entry.nextDue = now + this.intervalFor(entry);
      void this.sampleQueued(entry);
    }
  }

  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const now = this.clock.now();
      if (now >= this.nextTickAt - this.pumpMs / 2) {
        this.nextTickAt = now + this.tickMs;
        this.tick();
      } else if (!this.closed) this.startDue(now);
      if (!this.closed && this.listeners.size > 0 && this.timer === undefined) this.schedule(this.pumpMs);
    }, ms);
  }

  /**
   * Host charts open with the last 15 minutes. A point every few seconds is what a chart of at
   * most `maxChartPoints` shows anyway, and keeps a thousand hosts' history at a few MB.
   */
  private recordHosts(hosts: readonly HostStats[]): void {
    for (const h of hosts) {
      let ring = this.hostHistory.get(h.host);
      if (!ring) this.hostHistory.set(h.host, (ring = new HistoryRing(STATS_DEFAULTS.maxChartPoints, this.historySeconds * 1000, HOST_COLUMNS)));
      const last = ring.lastAt;
      if (h.containers > 0 && (last === undefined || h.at - last >= HOST_POINT_MS - this.tickMs / 2)) ring.push(h);
    }
  }

  private intervalFor(entry: Entry): number {
    if (!entry.prev) return this.fastIntervalMs; // the baseline: the first value follows soon
    if (this.focus.has(key(entry.host, entry.id))) return this.fastIntervalMs;
    // After its first value, a slow container's schedule starts at a random point of the slow
    // interval, so containers found together do not all come due in the same tick.
    if (!entry.latest) return this.fastIntervalMs + Math.round(this.random() * (this.slowIntervalMs - this.fastIntervalMs));
    return this.slowIntervalMs;
  }

  /** Brings the entries in line with the running containers of online hosts; returns them. */
  private sync(): Entry[] {
    const live = new Set<string>();
    const out: Entry[] = [];
    const now = this.clock.now();
    for (const host of this.options.hosts) {
      if (host.status.state !== 'online') continue;
      const name = host.spec.name;
      for (const c of this.options.containers(name)) {
        if (c.state !== 'running') continue;
        const k = key(name, c.id);
        live.add(k);
        let entry = this.entries.get(k);
        if (!entry) {
          entry = { host: name, id: c.id, name: c.name, nextDue: now, busy: false };
          this.entries.set(k, entry);
        }
        entry.name = c.name;
        out.push(entry);
      }
    }
    // Stopped, removed, or on a host that went away: forget it (a restart starts a new baseline).
    for (const [k] of this.entries) if (!live.has(k)) this.entries.delete(k);
    return out;
  }

  /** Samples one container within its host's concurrency limit. */
  private async sampleQueued(entry: Entry): Promise<ContainerStats | undefined> {
    const queue = this.queueFor(entry.host);
    entry.busy = true;
    try {
      // A finished sample hands its slot straight to the next waiting one, so the limit holds.
      const limit = Math.max(1, this.concurrency ?? this.hostsByName.get(entry.host)?.samplingSlots ?? 1);
      if (queue.active >= limit) await new Promise<void>((resolve) => queue.waiting.push(resolve));
      else queue.active++;
      if (this.closed) return undefined;
      try {
        return await this.sampleOne(entry);
      } finally {
        const next = queue.waiting.shift();
        if (next) next();
        else queue.active--;
      }
    } finally {
      entry.busy = false;
    }
  }

  private queueFor(host: string): HostQueue {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = { active: 0, waiting: [] };
      this.queues.set(host, queue);
    }
    return queue;
  }

  private async sampleOne(entry: Entry): Promise<ContainerStats | undefined> {
    const host = this.hostsByName.get(entry.host);
    if (!host || this.closed) return undefined;
    const abort = new AbortController();
    const timer = this.clock.setTimeout(() => abort.abort(new Error(`stats of ${entry.name} took longer than ${this.requestTimeoutMs} ms`)), this.requestTimeoutMs);
    let payload: EngineStats;
    try {
      payload = await this.fetchStats(host, entry.id, abort.signal);
    } catch (err) {
      // Gone, or the host is failing: its connection reports that; keep the last sample.
      this.log(`${entry.host}: stats of ${entry.name} failed: ${(err as Error).message}`);
      return undefined;
    } finally {
      this.clock.clearTimeout(timer);
    }
    if (this.closed) return undefined;
    const counters = readCounters(payload, this.clock.now());
    const prev = entry.prev;
    entry.prev = counters;
    if (!prev) return undefined;
    const stats = toContainerStats(entry, prev, counters);
    entry.latest = stats;
    (entry.history ??= new HistoryRing(this.historySeconds, this.historySeconds * 1000)).push(stats);
    if (this.entries.get(key(entry.host, entry.id)) === entry) this.pending.push(stats);
    return stats;
  }
}

function sum(samples: readonly ContainerStats[]): Omit<HostStats, 'host' | 'at' | 'ncpu' | 'memTotal'> {
  const out = { ...zeroLoad(), containers: samples.length };
  for (const s of samples) addLoad(out, s);
  return out;
}
