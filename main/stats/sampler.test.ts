import { describe, expect, it } from 'vitest';
import type { Container } from '../../shared/model';
import type { StatsTick } from '../../shared/stats';
import { FakeClock, settle } from '../clock/fakeClock';
import type { EngineStats } from './formulas';
import { downsample, HistoryRing } from './history';
import { MAX_STARTS_PER_PUMP, StatsSampler, type StatsHost, type StatsSamplerOptions } from './sampler';

function host(name: string, state: 'online' | 'offline' = 'online'): StatsHost & { status: { state: string } } {
  return {
    spec: { name },
    sample: () => Promise.reject(new Error('the tests pass fetchStats')),
    samplingSlots: 4,
    status: { name, address: name, transport: 'tls', labels: {}, state, since: 0, engine: { version: '27', apiVersion: '1.47', os: 'linux', kernel: '6', hostname: name, ncpu: 2, memTotal: 8 << 30 } },
  };
}

const container = (hostName: string, n: number, state: Container['state'] = 'running') =>
  ({ host: hostName, id: `${hostName.padEnd(4, '0')}${String(n).padStart(8, '0')}`.replace(/[^0-9a-f]/g, 'a'), name: `c${n}`, state }) as Container;

/** A fake daemon: each container's counters advance per sample; CPU share 50% of one of 2 CPUs. */
function fakeDaemon() {
  const counts = new Map<string, number>();
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let hold: Promise<void> | undefined;
  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    holdUntil(p: Promise<void> | undefined) {
      hold = p;
    },
    fetch: async (h: StatsHost, id: string): Promise<EngineStats> => {
      calls.push(`${h.spec.name}/${id}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (hold) await hold;
      inFlight--;
      const k = (counts.get(id) ?? 0) + 1;
      counts.set(id, k);
      return {
        cpu_stats: { cpu_usage: { total_usage: k * 0.5e9 }, system_cpu_usage: k * 2e9, online_cpus: 2 },
        memory_stats: { usage: 10_000_000, limit: 100_000_000, stats: { total_inactive_file: 4_000_000 } },
        networks: { eth0: { rx_bytes: k * 1000, tx_bytes: k * 10 } },
        pids_stats: { current: 3 },
      };
    },
  };
}

function setup(containers: Record<string, Container[]>, hosts = Object.keys(containers).map((n) => host(n)), options: Partial<StatsSamplerOptions> = {}) {
  const clock = new FakeClock();
  const daemon = fakeDaemon();
  const sampler = new StatsSampler({ hosts, containers: (h) => containers[h] ?? [], fetchStats: daemon.fetch, clock, random: () => 0.5, ...options });
  const ticks: StatsTick[] = [];
  return {
    sampler,
    daemon,
    clock,
    ticks,
    hosts,
    /** Runs one tick by hand at `at` and lets the samples it started finish. */
    async tickAt(at: number) {
      await clock.advance(at - clock.now());
      sampler.tick();
      await settle();
      await settle();
    },
  };
}

describe('StatsSampler scheduling', () => {
  it('samples focused containers every tick, the others at the slow rate, new ones twice first', async () => {
    const t = setup({ h1: [container('h1', 1), container('h1', 2), container('h1', 3, 'exited')] });
    const [fast, slow] = [container('h1', 1), container('h1', 2)];
    t.sampler.setFocus({ visible: [{ host: 'h1', id: fast.id }], pinned: [] });
    for (let s = 0; s <= 20; s++) await t.tickAt(s * 1000);
    const count = (id: string) => t.daemon.calls.filter((c) => c.endsWith(id)).length;
    expect(count(fast.id)).toBe(21);
    // Baseline at 0, first value at 1 s, then (random 0.5) due at 6.5 s, sampled at the 7 s tick, then 10 s later: 17 s.
    expect(count(slow.id)).toBe(4);
    expect(count(container('h1', 3).id)).toBe(0); // not running
  });

  it('the loop spreads slow-rate samples over the second instead of starting them at each tick', async () => {
    const startedAt: number[] = [];
    let r = 0;
    const daemon = fakeDaemon();
    const t = setup({ h1: Array.from({ length: 100 }, (_, i) => container('h1', i)) }, undefined, {
      fetchStats: (h, id) => (startedAt.push(t.clock.now()), daemon.fetch(h, id)),
      random: () => (r++ % 100) / 100,
      concurrency: 100,
    });
    t.sampler.subscribe(() => {});
    await t.clock.advance(30_000); // the sampler's own loop
    // Steady state (after the baseline and first values): 100 containers every 10 s.
    const steady = startedAt.filter((at) => at >= 12_000 && at < 22_000);
    expect(steady).toHaveLength(100);
    const perPump = new Map<number, number>();
    for (const at of steady) perPump.set(at, (perPump.get(at) ?? 0) + 1);
    expect(Math.max(...perPump.values())).toBeLessThanOrEqual(2);
    expect(perPump.size).toBeGreaterThanOrEqual(50);
  });

  it('one pump starts at most MAX_STARTS_PER_PUMP samples; the rest follow in the next pumps', async () => {
    const many = Array.from({ length: MAX_STARTS_PER_PUMP * 2 + 10 }, (_, i) => container('h1', i));
    const t = setup({ h1: many }, undefined, { concurrency: many.length });
    await t.tickAt(0);
    expect(t.daemon.calls).toHaveLength(MAX_STARTS_PER_PUMP);
    await t.tickAt(100);
    await t.tickAt(200);
    expect(t.daemon.calls).toHaveLength(many.length);
    expect(new Set(t.daemon.calls).size).toBe(many.length);
  });

  it('a container entering the focus is sampled at the next tick', async () => {
    const t = setup({ h1: [container('h1', 1)] });
    const id = container('h1', 1).id;
    await t.tickAt(0);
    await t.tickAt(1000); // first value; next slow sample due at 6.5 s
    await t.tickAt(2000);
    expect(t.daemon.calls).toHaveLength(2);
    t.sampler.setFocus({ visible: [], pinned: [{ host: 'h1', id }] });
    await t.tickAt(3000);
    expect(t.daemon.calls).toHaveLength(3);
  });

  it('the first value needs a baseline; values use the docker formulas', async () => {
    const t = setup({ h1: [container('h1', 1)] });
    t.sampler.subscribe((tick) => t.ticks.push(tick));
    await t.clock.advance(1000); // the loop's ticks at 0 and 1 s
    expect(t.ticks.map((k) => k.containers.length)).toEqual([0, 0]);
    await t.clock.advance(1000);
    const [s] = t.ticks[2]!.containers;
    expect(s).toMatchObject({ host: 'h1', name: 'c1', cpuPercent: 50, memUsage: 6_000_000, memPercent: 6, netRxRate: 1000, netTxRate: 10, pids: 3 });
  });

  it('at most `concurrency` stats requests in flight per host', async () => {
    const many = Array.from({ length: 10 }, (_, i) => container('h1', i));
    const t = setup({ h1: many, h2: many.slice(0, 6).map((c) => ({ ...c, host: 'h2' })) });
    let release!: () => void;
    t.daemon.holdUntil(new Promise<void>((r) => (release = r)));
    const done = t.sampler.sampleNow();
    await settle();
    expect(t.daemon.maxInFlight).toBe(8); // 4 on h1 + 4 on h2
    t.daemon.holdUntil(undefined);
    release();
    await done;
    expect(t.daemon.calls).toHaveLength(16);
    expect(t.daemon.maxInFlight).toBe(8);
  });

  it('sampleNow twice gives every running container a value; offline hosts are skipped', async () => {
    const hosts = [host('h1'), host('h2', 'offline')];
    const t = setup({ h1: [container('h1', 1), container('h1', 2)], h2: [container('h2', 1)] }, hosts);
    expect(await t.sampler.sampleNow()).toEqual([]);
    await t.clock.advance(1000);
    const second = await t.sampler.sampleNow();
    expect(second.map((s) => s.name).sort()).toEqual(['c1', 'c2']);
    expect(t.daemon.calls.every((c) => c.startsWith('h1/'))).toBe(true);
  });

  it('one tick per second with host and fleet aggregates beside engine capacity', async () => {
    const t = setup({ h1: [container('h1', 1), container('h1', 2)], h2: [container('h2', 1)] });
    t.sampler.setFocus({ visible: ['h1', 'h2'].flatMap((h) => [1, 2].map((n) => ({ host: h, id: container(h, n).id }))), pinned: [] });
    t.sampler.subscribe((tick) => t.ticks.push(tick));
    await t.clock.advance(3000); // the loop's ticks at 0, 1, 2 and 3 s
    expect(t.ticks).toHaveLength(4);
    const last = t.ticks.at(-1)!;
    expect(last.containers).toHaveLength(3); // sampled during the previous tick, sent in this one
    const h1 = last.hosts.find((h) => h.host === 'h1')!;
    expect(h1).toMatchObject({ containers: 2, cpuPercent: 100, memUsage: 12_000_000, ncpu: 2, memTotal: 8 << 30, netRxRate: 2000 });
    expect(last.fleet).toMatchObject({ containers: 3, cpuPercent: 150, ncpu: 4, memTotal: 16 << 30, memUsage: 18_000_000 });
  });

  it('a failed request is logged and skipped; a stopped container is forgotten (a restart starts a new baseline)', async () => {
    const list = [container('h1', 1)];
    const logs: string[] = [];
    let fail = false;
    const daemon = fakeDaemon();
    const t = setup({ h1: list }, undefined, {
      containers: () => list,
      fetchStats: (h, id) => (fail ? Promise.reject(new Error('no such container')) : daemon.fetch(h, id)),
      log: (m) => logs.push(m),
    });
    const id = list[0]!.id;
    t.sampler.setFocus({ visible: [{ host: 'h1', id }], pinned: [] });
    await t.tickAt(0);
    await t.tickAt(1000);
    expect(t.sampler.latest()).toHaveLength(1);
    fail = true;
    await t.tickAt(2000);
    expect(logs.some((l) => /stats of c1 failed: no such container/.test(l))).toBe(true);
    expect(t.sampler.latest()).toHaveLength(1); // the last good sample stays
    list[0] = { ...list[0]!, state: 'exited' };
    await t.tickAt(3000);
    expect(t.sampler.latest()).toEqual([]);
    expect(t.sampler.history('h1', id).points).toEqual([]);
  });

  it('subscribing starts the loop, the last unsubscribe and close() stop it', () => {
    const t = setup({ h1: [] });
    expect(t.clock.pending).toEqual([]);
    const off = t.sampler.subscribe(() => {});
    expect(t.clock.pending).toHaveLength(1);
    off();
    expect(t.clock.pending).toEqual([]);
    t.sampler.subscribe(() => {});
    t.sampler.close();
    expect(t.clock.pending).toEqual([]);
  });

  it('history: a bounded ring per container, downsampled for charts', async () => {
    const t = setup({ h1: [container('h1', 1)] });
    const id = container('h1', 1).id;
    t.sampler.setFocus({ visible: [{ host: 'h1', id }], pinned: [] });
    for (let s = 0; s <= 20; s++) await t.tickAt(s * 1000);
    expect(t.sampler.history('h1', id).points).toHaveLength(20);
    expect(t.sampler.history('h1', id, 10).points).toHaveLength(10);
    expect(t.sampler.history('h1', 'ffffffffffff').points).toEqual([]);
  });
});

describe('StatsSampler host history', () => {
  it('keeps a point every 3 s per host (300 per 15 minutes), with capacity, from ticks with samples', async () => {
    const t = setup({ h1: [container('h1', 1)] });
    t.sampler.setFocus({ visible: [{ host: 'h1', id: container('h1', 1).id }], pinned: [] });
    for (let s = 0; s <= 30; s++) await t.tickAt(s * 1000);
    const { points } = t.sampler.hostHistoryOf('h1');
    expect(points.length).toBe(10); // the first tick with a sample is at 2 s: 2, 5, 8 … 29
    expect(points[0]).toMatchObject({ at: 2000, cpuPercent: 50, ncpu: 2, memTotal: 8 << 30, memUsage: 6_000_000 });
    expect(points.slice(1).every((p, i) => p.at - points[i]!.at === 3000)).toBe(true);
    expect(t.sampler.hostHistoryOf('h1', 10).points.length).toBeLessThanOrEqual(10);
    expect(t.sampler.hostHistoryOf('nowhere').points).toEqual([]);
  });
});

describe('HistoryRing and downsample', () => {
  const point = (at: number, cpu: number) => ({ at, cpuPercent: cpu, memUsage: 1, memLimit: 2, blkReadRate: 0, blkWriteRate: 0, netRxRate: 0, netTxRate: 0 });

  it('keeps at most `capacity` points and none older than the window', () => {
    const ring = new HistoryRing(900, 900_000);
    for (let s = 0; s < 1000; s++) ring.push(point(s * 1000, s));
    const points = ring.points();
    expect(points).toHaveLength(900);
    expect(points[0]!.at).toBe(100_000);
    expect(points.at(-1)!.at).toBe(999_000);
    ring.push(point(2_000_000, 0)); // long after: everything else fell out of the window
    expect(ring.points()).toHaveLength(1);
  });

  it('downsample keeps the maximum of each bucket', () => {
    const points = Array.from({ length: 900 }, (_, s) => ({ ...point(s, s % 3 === 1 ? 90 : 10) }));
    const out = downsample(points, 300);
    expect(out).toHaveLength(300);
    expect(out.every((p) => p.cpuPercent === 90)).toBe(true);
    expect(out.at(-1)!.at).toBe(899);
  });
});
