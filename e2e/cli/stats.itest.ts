// fleetdeck stats --once --json against `docker stats --no-stream` on throwaway lab containers:
// one holding ~30 MB of page cache under --memory 64m (so the inactive_file formula matters), one
// running `yes` under --cpus 0.5.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeck } from '../support/cli';
import { dockerCli, lab, labHost, ROOT } from '../support/lab';

const exec = promisify(execFile);
const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const MIB = 2 ** 20;
const tag = `${process.pid}-${Date.now().toString(36)}`;
const CACHE = `fd-itest-stats-cache-${tag}`;
const BUSY = `fd-itest-stats-busy-${tag}`;

interface Row {
  host: string;
  name: string;
  id: string;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  memPercent: number;
  blkRead: number;
  blkWrite: number;
  netRx: number;
  netTx: number;
  pids: number;
}

/** "1.3MiB", "64MiB", "512KiB", "0B", "1.2GiB" → bytes. */
function parseSize(text: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)$/.exec(text.trim());
  if (!m) throw new Error(`unexpected size "${text}"`);
  const unit = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2]!];
  if (!unit) throw new Error(`unexpected unit in "${text}"`);
  return Number(m[1]) * unit;
}

/** The raw Engine API stats payload, straight from the host's socket. */
function rawStats(host: string, id: string): Promise<{ memory_stats: { usage: number; stats: Record<string, number> } }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: labHost(host).socket, path: `/v1.41/containers/${id}/stats?stream=false&one-shot=true` }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
  });
}

const withinTolerance = (ours: number, theirs: number) => Math.abs(ours - theirs) <= Math.max(0.1 * theirs, MIB);

describe('fleetdeck stats on the lab', () => {
  beforeAll(async () => {
    await dockerCli('h1', 'run', '-d', '--name', CACHE, '--network', 'br0', '--memory', '64m', IMAGE, 'sh', '-c', 'dd if=/dev/zero of=/tmp/fill bs=1M count=30; sleep 3600');
    await dockerCli('h1', 'run', '-d', '--name', BUSY, '--network', 'br0', '--cpus', '0.5', IMAGE, 'sh', '-c', 'yes > /dev/null');
    // dd reports on stderr when its 30 MB are written.
    for (let i = 0; i < 100; i++) {
      const logs = await exec('bash', [`${ROOT}/e2e/lab/lab.sh`, 'docker', 'h1', 'logs', CACHE]).then((r) => r.stdout + r.stderr);
      if (/records out/.test(logs)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await dockerCli('h1', 'rm', '-f', CACHE, BUSY).catch(() => undefined);
  });

  it('agrees with docker stats --no-stream on memory (page cache excluded) and CPU under --cpus 0.5', async () => {
    // Both read at about the same time, and docker once more right after ours: the kernel moves
    // a few MiB between the file LRU lists even in an idle container, so ours is compared with
    // the closer of the two docker readings. A reading where memory moved by more than the
    // tolerance is taken again, up to 3 times.
    let rows: Row[] = [];
    let theirs: { Name: string; CPUPerc: string; MemUsage: string }[] = [];
    const dockerStats = async () =>
      (await dockerCli('h1', 'stats', '--no-stream', '--format', '{{json .}}', CACHE, BUSY))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { Name: string; CPUPerc: string; MemUsage: string });
    const cacheUsage = (readings: typeof theirs) => parseSize(readings.find((t) => t.Name === CACHE)!.MemUsage.split('/')[0]!);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [ours, during] = await Promise.all([fleetdeck('--fleet', lab().fleetFile, 'stats', '--once', '--json'), dockerStats()]);
      const after = await dockerStats();
      expect(ours.code).toBe(0);
      rows = JSON.parse(ours.stdout) as Row[];
      const mine = rows.find((r) => r.name === CACHE)?.memUsage ?? NaN;
      theirs = Math.abs(cacheUsage(during) - mine) <= Math.abs(cacheUsage(after) - mine) ? during : after;
      if (withinTolerance(mine, cacheUsage(theirs))) break;
      console.warn(`attempt ${attempt}: memory moved between the readings: ours ${mine}, docker ${cacheUsage(during)} then ${cacheUsage(after)}`);
    }

    // Only running containers; bytes are integers.
    const ps = (await dockerCli('h1', 'ps', '--format', '{{.Names}}')).trim().split('\n');
    expect(rows.filter((r) => r.host === 'h1').map((r) => r.name).sort()).toEqual(ps.sort());
    for (const r of rows) {
      for (const k of ['memUsage', 'memLimit', 'blkRead', 'blkWrite', 'netRx', 'netTx', 'pids'] as const) expect(Number.isInteger(r[k])).toBe(true);
    }

    const cache = rows.find((r) => r.name === CACHE)!;
    const cacheTheirs = theirs.find((t) => t.Name === CACHE)!;
    const [usedText, limitText] = cacheTheirs.MemUsage.split('/');
    const dockerUsage = parseSize(usedText!);
    expect(cache.memLimit).toBe(64 * MIB);
    expect(parseSize(limitText!)).toBe(64 * MIB);
    expect(withinTolerance(cache.memUsage, dockerUsage), `ours ${cache.memUsage} vs docker ${cacheTheirs.MemUsage}`).toBe(true);
    // The naive number (usage with the page cache) would not agree: the formula is exercised.
    const raw = await rawStats('h1', cache.id);
    expect(raw.memory_stats.stats.total_inactive_file ?? raw.memory_stats.stats.inactive_file).toBeGreaterThan(20 * MIB);
    expect(withinTolerance(raw.memory_stats.usage, dockerUsage), `raw ${raw.memory_stats.usage} vs docker ${cacheTheirs.MemUsage}`).toBe(false);

    const busy = rows.find((r) => r.name === BUSY)!;
    const busyTheirs = parseFloat(theirs.find((t) => t.Name === BUSY)!.CPUPerc);
    expect(busy.cpuPercent).toBeGreaterThan(40);
    expect(busy.cpuPercent).toBeLessThan(60);
    expect(busyTheirs).toBeGreaterThan(40);
    expect(busyTheirs).toBeLessThan(60);
  });

  it('refuses bad input with a non-zero exit', async () => {
    const noOnce = await fleetdeck('--fleet', lab().fleetFile, 'stats');
    expect(noOnce.code).toBe(2);
    expect(noOnce.stderr).toMatch(/stats needs --once/);
    const unknown = await fleetdeck('--fleet', lab().fleetFile, 'stats', '--once', '--bogus');
    expect(unknown.code).toBe(2);
    const missing = await fleetdeck('--fleet', '/nonexistent/fleet.yaml', 'stats', '--once', '--json');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
  });
});
