import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockIo, cpuPercent, memoryUsage, networkIo, readCounters, toContainerStats, type EngineStats } from './formulas';

// v1-*.json: recorded from the lab's h1 (dockerd, cgroup v1, API 1.41) one second apart.
//   v1-a/b: a 64m container that wrote and re-read 20 MB, then ran `yes` (page cache active).
//   v1-cache-a/b: a 64m container holding 30 MB of freshly written page cache (inactive_file).
// v2-*.json: written from the Engine API's cgroup v2 shape (inactive_file, lowercase ops,
//   two block devices, two interfaces), two seconds apart.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as EngineStats;
const who = { host: 'h1', id: 'abcdef012345', name: 'web-1' };

describe('recorded cgroup v1 payloads', () => {
  it('CPU %: total_usage delta over system delta × online CPUs × 100', () => {
    const a = readCounters(fixture('v1-a'), 1_000);
    const b = readCounters(fixture('v1-b'), 2_000);
    const s = toContainerStats(who, a, b);
    expect(b.onlineCpus).toBe(2);
    expect(s.cpuPercent).toBeCloseTo(((2684008755 - 2066321307) / (11746450000000 - 11744380000000)) * 2 * 100, 6);
    expect(s.memUsage).toBe(21876736); // total_inactive_file is 0: usage as is
    expect(s.memLimit).toBe(67108864);
    expect(s.memPercent).toBeCloseTo((21876736 / 67108864) * 100, 6);
    expect(s.pids).toBe(1);
    expect([s.netRx, s.netTx, s.netRxRate, s.netTxRate]).toEqual([516, 0, 0, 0]);
    expect([s.blkRead, s.blkWrite]).toEqual([0, 0]); // no block device under the lab's storage
  });

  it('memory subtracts total_inactive_file: 30 MB of page cache does not count', () => {
    const a = readCounters(fixture('v1-cache-a'), 1_000);
    const b = readCounters(fixture('v1-cache-b'), 2_000);
    const s = toContainerStats(who, a, b);
    expect(s.memUsage).toBe(32698368 - 31457280);
    expect(s.memUsage).toBeLessThan(2 * 2 ** 20);
    expect(s.memPercent).toBeCloseTo(((32698368 - 31457280) / 67108864) * 100, 6);
    expect(s.cpuPercent).toBe(0); // no CPU used between the samples
  });
});

describe('cgroup v2 payloads', () => {
  const a = readCounters(fixture('v2-a'), 0);
  const b = readCounters(fixture('v2-b'), 5_000); // our clock says 5 s; the daemon's read times say 2 s
  const s = toContainerStats(who, a, b);

  it('memory subtracts inactive_file', () => {
    expect(s.memUsage).toBe(41_000_000 - 30_000_000);
    expect(s.memPercent).toBeCloseTo((11_000_000 / 134217728) * 100, 6);
  });

  it('CPU % with online_cpus', () => {
    expect(s.cpuPercent).toBeCloseTo(40, 9);
  });

  it('block I/O summed over both devices, lowercase ops; rates over the daemon interval', () => {
    expect(s.blkRead).toBe(1_400_000 + 700_000);
    expect(s.blkWrite).toBe(2_000_000 + 4_096);
    expect(s.blkReadRate).toBe(300_000);
    expect(s.blkWriteRate).toBe(2_048);
  });

  it('network summed over both interfaces', () => {
    expect([s.netRx, s.netTx]).toEqual([33_000, 10_500]);
    expect([s.netRxRate, s.netTxRate]).toEqual([11_000, 2_500]);
    expect(s.pids).toBe(13);
  });
});

describe('formula edge cases', () => {
  it('block I/O: every entry, ops in any case, other ops ignored', () => {
    const io = blockIo({
      io_service_bytes_recursive: [
        { major: 8, minor: 0, op: 'Read', value: 100 },
        { major: 8, minor: 0, op: 'Write', value: 10 },
        { major: 8, minor: 0, op: 'Sync', value: 999 },
        { major: 8, minor: 0, op: 'Async', value: 999 },
        { major: 8, minor: 0, op: 'Total', value: 999 },
        { major: 8, minor: 16, op: 'read', value: 200 },
        { major: 8, minor: 16, op: 'write', value: 20 },
        { major: 253, minor: 0, op: 'READ', value: 300 },
        { major: 253, minor: 0, op: '', value: 999 },
        { major: 253, minor: 0, value: 999 },
      ],
    });
    expect(io).toEqual({ read: 600, write: 30 });
    expect(blockIo(null)).toEqual({ read: 0, write: 0 });
    expect(blockIo({ io_service_bytes_recursive: null })).toEqual({ read: 0, write: 0 });
    expect(blockIo(undefined)).toEqual({ read: 0, write: 0 });
  });

  it('network: all interfaces; none at all (--network none)', () => {
    expect(networkIo({ eth0: { rx_bytes: 1, tx_bytes: 2 }, eth1: { rx_bytes: 10, tx_bytes: 20 }, eth2: { rx_bytes: 100 } })).toEqual({ rx: 111, tx: 22 });
    expect(networkIo(undefined)).toEqual({ rx: 0, tx: 0 });
  });

  it('memory: cache never makes usage negative; v1 key wins over v2 key', () => {
    expect(memoryUsage({ usage: 100, stats: { total_inactive_file: 150 } })).toBe(100);
    expect(memoryUsage({ usage: 100, stats: { inactive_file: 100 } })).toBe(100);
    expect(memoryUsage({ usage: 100, stats: { total_inactive_file: 30, inactive_file: 60 } })).toBe(70);
    expect(memoryUsage({ usage: 100, stats: null })).toBe(100);
    expect(memoryUsage(undefined)).toBe(0);
  });

  it('CPU: 0 unless both deltas are positive; online_cpus falls back to percpu_usage length', () => {
    expect(cpuPercent({ cpuTotal: 10, systemCpu: 100 }, { cpuTotal: 10, systemCpu: 200, onlineCpus: 2 })).toBe(0);
    expect(cpuPercent({ cpuTotal: 10, systemCpu: 100 }, { cpuTotal: 20, systemCpu: 100, onlineCpus: 2 })).toBe(0);
    expect(cpuPercent({ cpuTotal: 20, systemCpu: 100 }, { cpuTotal: 10, systemCpu: 200, onlineCpus: 2 })).toBe(0);
    const c = readCounters({ cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2, 2] }, system_cpu_usage: 9 } }, 0);
    expect(c.onlineCpus).toBe(3);
  });

  it('a payload with nothing in it reads as zeros, and a counter reset gives rate 0', () => {
    const empty = readCounters({}, 0);
    const s = toContainerStats(who, readCounters({ networks: { eth0: { rx_bytes: 1000, tx_bytes: 1000 } } }, 0), readCounters({}, 1_000));
    expect(empty).toMatchObject({ cpuTotal: 0, memUsage: 0, memLimit: 0, blkRead: 0, netRx: 0, pids: 0, onlineCpus: 0 });
    expect(Number.isNaN(empty.readAt)).toBe(true);
    expect(s).toMatchObject({ cpuPercent: 0, memPercent: 0, netRxRate: 0, netTxRate: 0, memUsage: 0 });
  });
});
