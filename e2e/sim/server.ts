// Fleet simulator for benchmarks (kwok is the model): one process, many loopback ports, each port a
// simulated Docker Engine (plain HTTP, API 1.41 shapes) with synthetic containers whose stats follow
// a stable personality (idle, busy, leaky). Not a test double for behaviour: just enough of the
// Engine API for fleetdeck to list, inspect, watch events and sample stats.
//
//   npx tsx e2e/sim/server.ts --hosts 1000 --containers 10 --base-port 23000 [--stats-cycle-ms 1000] [--fleet-out FILE]
//
// Like dockerd (20.10 in the lab), a stats request is answered at the stats collector's next
// cycle (default 1 s), one-shot or not; --stats-cycle-ms 0 answers at once.
//
// Prints "fleet FILE" and "ready N" on stdout once every port listens.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

type Personality = 'idle' | 'busy' | 'leaky';

interface SimContainer {
  id: string;
  name: string;
  image: string;
  state: 'running' | 'exited';
  health?: 'healthy' | 'unhealthy';
  labels: Record<string, string>;
  ip: string;
  mac: string;
  created: number;
  startedAt: number;
  personality: Personality;
  /** Cores busy on average. */
  cpu: number;
  memBase: number;
  memLimit: number;
}

interface SimHost {
  index: number;
  name: string;
  port: number;
  ncpu: number;
  memTotal: number;
  containers: SimContainer[];
  byId: Map<string, SimContainer>;
}

const SERVICES = ['api', 'web', 'worker', 'cache', 'db', 'queue', 'auth', 'search', 'billing', 'mailer'];
const TEAMS = ['payments', 'platform', 'growth', 'data'];
const IMAGES = ['lab/app:1.0', 'nginx:1.27', 'redis:7', 'postgres:16', 'lab/worker:2.3'];
const START = Date.now();

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Deterministic 32-bit hash (xorshift-multiply) for stable synthetic values. */
function hash(a: number, b: number): number {
  let x = (a * 0x9e3779b1 + b * 0x85ebca6b + 0x27d4eb2f) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d) >>> 0;
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39) >>> 0;
  x ^= x >>> 15;
  return x >>> 0;
}

export function makeHost(index: number, port: number, containers: number): SimHost {
  const list: SimContainer[] = [];
  for (let c = 0; c < containers; c++) {
    const h = hash(index, c);
    const id = Array.from({ length: 8 }, (_, k) => hex(hash(h, k), 8)).join('');
    const service = SERVICES[c % SERVICES.length]!;
    const exited = h % 13 === 0;
    const personality: Personality = h % 7 === 0 ? 'busy' : h % 11 === 0 ? 'leaky' : 'idle';
    // br0 addresses unique fleet-wide: 10.{h>>8}.{h&255}.{c+2}
    const ip = `10.${(index >> 8) & 255}.${index & 255}.${(c % 250) + 2}`;
    const mac = `02:42:0a:${hex((index >> 8) & 255, 2)}:${hex(index & 255, 2)}:${hex((c % 250) + 2, 2)}`;
    const created = Math.floor(START / 1000) - 86_400 - (h % 86_400);
    const container: SimContainer = {
      id,
      name: `${service}-${index}-${c}`,
      image: IMAGES[h % IMAGES.length]!,
      state: exited ? 'exited' : 'running',
      labels: { 'com.example.service': service, 'com.example.team': TEAMS[(index + c) % TEAMS.length]! },
      ip,
      mac,
      created,
      startedAt: created * 1000 + 5_000,
      personality,
      cpu: personality === 'busy' ? 0.3 + (h % 50) / 100 : personality === 'leaky' ? 0.05 : 0.002 + (h % 10) / 1000,
      memBase: (20 + (h % 200)) << 20,
      memLimit: (personality === 'leaky' ? 512 : 1024) << 20,
    };
    if (!exited && h % 17 === 0) container.health = 'unhealthy';
    else if (!exited && h % 3 === 0) container.health = 'healthy';
    list.push(container);
  }
  return {
    index,
    name: `sim${String(index).padStart(4, '0')}`,
    port,
    ncpu: 4 + (index % 3) * 4,
    memTotal: (16 + (index % 4) * 16) * 2 ** 30,
    containers: list,
    byId: new Map(list.map((c) => [c.id, c])),
  };
}

function status(c: SimContainer, now: number): string {
  if (c.state === 'exited') return 'Exited (0) 2 hours ago';
  const hours = Math.max(1, Math.round((now - c.startedAt) / 3_600_000));
  return `Up ${hours} hours${c.health ? ` (${c.health})` : ''}`;
}

function listItem(c: SimContainer, now: number): object {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: `sha256:${c.id}`,
    Command: '/entrypoint.sh',
    Created: c.created,
    Ports: [],
    Labels: c.labels,
    State: c.state,
    Status: status(c, now),
    HostConfig: { NetworkMode: 'br0' },
    NetworkSettings: { Networks: c.state === 'running' ? { br0: { IPAddress: c.ip, MacAddress: c.mac, IPPrefixLen: 16, Gateway: '10.0.0.1' } } : { br0: { IPAddress: '', MacAddress: '' } } },
    Mounts: [],
  };
}

function inspect(c: SimContainer, now: number): object {
  const running = c.state === 'running';
  return {
    Id: c.id,
    Created: new Date(c.created * 1000).toISOString(),
    Name: `/${c.name}`,
    Image: `sha256:${c.id}`,
    State: {
      Status: c.state,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? 1000 + (hash(c.created, 1) % 30000) : 0,
      ExitCode: 0,
      Error: '',
      StartedAt: new Date(c.startedAt).toISOString(),
      FinishedAt: running ? '0001-01-01T00:00:00Z' : new Date(now - 7_200_000).toISOString(),
      ...(c.health ? { Health: { Status: c.health, FailingStreak: c.health === 'unhealthy' ? 3 : 0, Log: [] } } : {}),
    },
    Config: { Image: c.image, Labels: c.labels, Hostname: c.id.slice(0, 12) },
    HostConfig: { NetworkMode: 'br0', Memory: c.memLimit },
    NetworkSettings: { Networks: { br0: { IPAddress: running ? c.ip : '', MacAddress: running ? c.mac : '' } } },
  };
}

function stats(host: SimHost, c: SimContainer, now: number): object {
  const running = c.state === 'running';
  const elapsedNs = (now - START) * 1e6 + 3.6e12;
  // A little jitter, monotonic: the counter is rate × time plus a bounded wobble that only grows.
  const wobble = 1 + 0.1 * Math.sin(now / 7_000 + (c.created % 97));
  const total = running ? Math.floor(c.cpu * elapsedNs * (c.personality === 'busy' ? 1 : 1) + c.cpu * 1e9 * wobble) : 0;
  const system = Math.floor(elapsedNs * host.ncpu + 1e15);
  const upS = (now - START) / 1000;
  const usage = running ? Math.min(c.memLimit - (4 << 20), c.memBase + (c.personality === 'leaky' ? Math.floor(upS * 64 * 1024) : 0)) : 0;
  const blk = Math.floor(upS * (c.personality === 'busy' ? 200_000 : 2_000)) + (c.memBase >> 4);
  const net = Math.floor(upS * (c.personality === 'busy' ? 500_000 : 1_500)) + (c.memBase >> 6);
  return {
    read: running ? new Date(now).toISOString() : '0001-01-01T00:00:00Z',
    preread: '0001-01-01T00:00:00Z',
    pids_stats: running ? { current: c.personality === 'busy' ? 24 : 3, limit: 4096 } : {},
    blkio_stats: {
      io_service_bytes_recursive: running
        ? [
            { major: 8, minor: 0, op: 'Read', value: blk },
            { major: 8, minor: 0, op: 'Write', value: blk >> 1 },
            { major: 8, minor: 16, op: 'Read', value: blk >> 3 },
            { major: 8, minor: 16, op: 'Write', value: blk >> 2 },
          ]
        : null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: {
      cpu_usage: { total_usage: total, percpu_usage: [total], usage_in_kernelmode: Math.floor(total / 5), usage_in_usermode: Math.floor((total * 4) / 5) },
      system_cpu_usage: system,
      online_cpus: host.ncpu,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    },
    precpu_stats: { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: running ? { usage: usage + (8 << 20), max_usage: usage + (16 << 20), limit: c.memLimit, stats: { total_inactive_file: 8 << 20, cache: 12 << 20, rss: usage } } : {},
    name: `/${c.name}`,
    id: c.id,
    networks: running ? { eth0: { rx_bytes: net, rx_packets: net >> 9, rx_errors: 0, rx_dropped: 0, tx_bytes: net >> 1, tx_packets: net >> 10, tx_errors: 0, tx_dropped: 0 } } : undefined,
  };
}

function send(res: http.ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    'api-version': '1.41',
    server: 'Docker/24.0.7 (linux)',
  });
  res.end(text);
}

/** Open /events streams, and when each wants its next synthetic event. */
const streams = new Set<{ host: SimHost; res: http.ServerResponse; due: number }>();

function handle(host: SimHost, statsCycleMs: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://sim');
  const p = url.pathname.replace(/^\/v1\.\d+/, '');
  const now = Date.now();
  if (req.method === 'HEAD' && p === '/_ping') return send(res, 200, '');
  if (req.method !== 'GET') return send(res, 501, { message: 'the simulator is read-only' });
  if (p === '/_ping') return send(res, 200, 'OK');
  if (p === '/version')
    return send(res, 200, { Version: '24.0.7', ApiVersion: '1.41', MinAPIVersion: '1.12', GitCommit: 'sim', GoVersion: 'go1.20.10', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-sim' });
  if (p === '/info') {
    const running = host.containers.filter((c) => c.state === 'running').length;
    return send(res, 200, {
      ID: `SIM:${host.index}`,
      Name: host.name,
      NCPU: host.ncpu,
      MemTotal: host.memTotal,
      ServerVersion: '24.0.7',
      OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      OSType: 'linux',
      Architecture: 'x86_64',
      KernelVersion: '6.1.0-sim',
      Containers: host.containers.length,
      ContainersRunning: running,
      ContainersStopped: host.containers.length - running,
      ContainersPaused: 0,
      Images: IMAGES.length,
      CgroupVersion: '1',
    });
  }
  if (p === '/containers/json') {
    const all = url.searchParams.get('all');
    const list = all === '1' || all === 'true' ? host.containers : host.containers.filter((c) => c.state === 'running');
    return send(res, 200, list.map((c) => listItem(c, now)));
  }
  if (p === '/events') {
    res.writeHead(200, { 'content-type': 'application/json', 'api-version': '1.41' }); // chunked
    res.flushHeaders();
    const stream = { host, res, due: now + 30_000 + Math.random() * 90_000 };
    streams.add(stream);
    const drop = () => streams.delete(stream);
    req.on('close', drop);
    res.on('close', drop);
    return;
  }
  const m = /^\/containers\/([^/]+)\/(json|stats)$/.exec(p);
  if (m) {
    const ref = decodeURIComponent(m[1]!);
    const c = host.byId.get(ref) ?? host.containers.find((x) => x.name === ref || x.id.startsWith(ref));
    if (!c) return send(res, 404, { message: `No such container: ${ref}` });
    if (m[2] === 'json') return send(res, 200, inspect(c, now));
    if (url.searchParams.get('stream') === 'false' || url.searchParams.get('stream') === '0') {
      const wait = statsCycleMs > 0 ? statsCycleMs - (now % statsCycleMs) : 0;
      if (wait === 0) return send(res, 200, stats(host, c, now));
      const timer = setTimeout(() => send(res, 200, stats(host, c, Date.now())), wait);
      req.on('close', () => clearTimeout(timer));
      return;
    }
    return send(res, 501, { message: 'streaming stats are not simulated; use stream=false' });
  }
  send(res, 404, { message: `page not found: ${p}` });
}

/** One timer for every events stream: an occasional container event (a health status). */
function eventPump(): NodeJS.Timeout {
  return setInterval(() => {
    const now = Date.now();
    for (const s of streams) {
      if (now < s.due) continue;
      s.due = now + 60_000 + Math.random() * 120_000;
      const running = s.host.containers.filter((c) => c.state === 'running');
      const c = running[Math.floor(Math.random() * running.length)];
      if (!c) continue;
      const action = c.health ? `health_status: ${c.health}` : 'exec_die';
      const ev = {
        status: action,
        id: c.id,
        from: c.image,
        Type: 'container',
        Action: action,
        Actor: { ID: c.id, Attributes: { ...c.labels, image: c.image, name: c.name } },
        scope: 'local',
        time: Math.floor(now / 1000),
        timeNano: now * 1e6,
      };
      s.res.write(`${JSON.stringify(ev)}\n`);
    }
  }, 1_000);
}

export interface Simulator {
  hosts: SimHost[];
  fleetFile: string;
  close(): Promise<void>;
}

export async function startSimulator(opts: { hosts: number; containers: number; basePort: number; statsCycleMs?: number; fleetOut?: string | undefined }): Promise<Simulator> {
  const statsCycleMs = opts.statsCycleMs ?? 1_000;
  const hosts = Array.from({ length: opts.hosts }, (_, i) => makeHost(i, opts.basePort + i, opts.containers));
  const servers = hosts.map((host) => {
    const server = http.createServer((req, res) => handle(host, statsCycleMs, req, res));
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 0;
    server.requestTimeout = 0;
    return server;
  });
  await Promise.all(
    servers.map(
      (s, i) =>
        new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(hosts[i]!.port, '127.0.0.1', 4096, () => resolve());
        }),
    ),
  );
  const pump = eventPump();
  const fleetFile = opts.fleetOut ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-sim-')), 'fleet.yaml');
  const lines = ['# fleetdeck simulator fleet (e2e/sim/server.ts): plain HTTP on loopback', 'hosts:'];
  for (const h of hosts) lines.push(`  - name: ${h.name}`, `    docker: tcp://127.0.0.1:${h.port}`, `    labels: { dc: sim, rack: r${Math.floor(h.index / 40)} }`);
  lines.push('services:', '  label: com.example.service', '  groupLabel: com.example.team', '');
  writeFileSync(fleetFile, lines.join('\n'));
  return {
    hosts,
    fleetFile,
    close: async () => {
      clearInterval(pump);
      for (const s of streams) s.res.end();
      streams.clear();
      await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    },
  };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const sim = await startSimulator({
    hosts: Number(arg('hosts', '1000')),
    containers: Number(arg('containers', '10')),
    basePort: Number(arg('base-port', '23000')),
    statsCycleMs: Number(arg('stats-cycle-ms', '1000')),
    fleetOut: process.argv.includes('--fleet-out') ? arg('fleet-out', '') : undefined,
  });
  console.log(`fleet ${sim.fleetFile}`);
  console.log(`ready ${sim.hosts.length} hosts, ${sim.hosts.reduce((n, h) => n + h.containers.length, 0)} containers on 127.0.0.1:${sim.hosts[0]?.port}..${sim.hosts.at(-1)?.port}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
