// fleetdeck: the console's core for scripts. Output is JSON (--json) or a table.
import { parseArgs } from 'node:util';
import type { Container, Host } from '../../shared/model';
import type { ContainerStats } from '../../shared/stats';
import { openFleet } from '../core/open';
import { FleetFileError } from '../fleet';
import { formatTable } from './table';

export const EXIT = { ok: 0, error: 1, usage: 2, partial: 3 } as const;

const HELP = `fleetdeck — operations console for Docker fleets (command-line interface)

Usage:
  fleetdeck [--fleet FILE] [--timeout SECONDS] COMMAND [--json]

Commands:
  hosts         every host: state (online, offline, error, connecting), engine, CPUs, memory
  ps            every container on every host, stopped ones included
  stats --once  CPU, memory, network and block I/O of every running container, like
                "docker stats --no-stream": two samples 1 s apart, so CPU % is real.
                Memory excludes the inactive file cache, as docker stats does. With --json,
                bytes are integers: [{host, name, id, cpuPercent, memUsage, memLimit,
                memPercent, blkRead, blkWrite, netRx, netTx, pids}]. --once is required:
                live stats are the console's job.

Options:
  --fleet FILE       fleet file (YAML). Without it: DOCKER_HOST, then the current
                     docker context, then /var/run/docker.sock
  --timeout SECONDS  how long to wait for hosts to answer (default 10)
  --json             machine-readable output
  --once             (stats) one reading, then exit
  -h, --help         this help

Hosts that do not answer in time are listed on stderr; the others are printed.
Exit codes: 0 all hosts answered; 3 some hosts did not answer; 1 error (e.g. a bad
fleet file); 2 bad usage.

Examples:
  fleetdeck --fleet fleet.yaml hosts
  fleetdeck --fleet fleet.yaml ps --json | jq '.[] | select(.state != "running")'
  fleetdeck --fleet fleet.yaml stats --once --json | jq 'sort_by(-.cpuPercent) | .[:5]'
`;

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const COMMANDS = ['hosts', 'ps', 'stats'] as const;
/** Between the two stats samples: long enough for a steady CPU %, like docker stats' first refresh. */
const STATS_GAP_MS = 1_000;
type Command = (typeof COMMANDS)[number];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        fleet: { type: 'string' },
        timeout: { type: 'string', default: '10' },
        json: { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err.write(`fleetdeck: ${(err as Error).message}\nRun "fleetdeck --help" for usage.\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out.write(HELP);
    return EXIT.ok;
  }
  const [command, ...extra] = positionals;
  if (!command || !COMMANDS.includes(command as Command) || extra.length > 0) {
    io.err.write(`fleetdeck: ${command ? `unknown command "${[command, ...extra].join(' ')}"` : 'no command given'} (commands: ${COMMANDS.join(', ')})\nRun "fleetdeck --help" for usage.\n`);
    return EXIT.usage;
  }
  if (command === 'stats' && !values.once) {
    io.err.write('fleetdeck: stats needs --once (one reading, then exit); live stats are the console\'s job: run "npm start"\n');
    return EXIT.usage;
  }
  if (command !== 'stats' && values.once) {
    io.err.write(`fleetdeck: --once only applies to stats\n`);
    return EXIT.usage;
  }
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
    io.err.write(`fleetdeck: --timeout must be a number of seconds between 0 and 600, got "${values.timeout}"\n`);
    return EXIT.usage;
  }

  let fleet;
  try {
    fleet = await openFleet({ fleetFile: values.fleet, mode: 'browser', source: 'cli' });
  } catch (err) {
    io.err.write(`fleetdeck: ${err instanceof FleetFileError ? err.message : (err as Error).message}\n`);
    return EXIT.error;
  }
  try {
    const pending = await fleet.core.settled(timeoutS * 1000);
    const snapshot = fleet.core.model.snapshot();
    for (const name of pending) io.err.write(`fleetdeck: host ${name} did not answer within ${timeoutS} s\n`);
    for (const host of snapshot.hosts) {
      if (host.state !== 'online' && !pending.includes(host.name)) {
        io.err.write(`fleetdeck: host ${host.name} is ${host.state}${host.problem ? `: ${host.problem.reason}: ${host.problem.message}` : ''}\n`);
      }
    }
    let output: string;
    if (command === 'stats') {
      await fleet.core.stats.sampleNow();
      await new Promise((r) => setTimeout(r, STATS_GAP_MS));
      output = statsOutput(await fleet.core.stats.sampleNow(), values.json);
    } else output = command === 'hosts' ? hostsOutput(snapshot.hosts, values.json) : psOutput(snapshot.containers, values.json);
    io.out.write(output);
    return snapshot.hosts.every((h) => h.state === 'online') ? EXIT.ok : EXIT.partial;
  } finally {
    await fleet.core.close();
  }
}

function hostsOutput(hosts: Host[], json: boolean): string {
  const rows = hosts.map((h) => ({
    name: h.name,
    address: h.address,
    state: h.state,
    ...(h.problem ? { error: `${h.problem.reason}: ${h.problem.message}` } : {}),
    ...(h.engine ? { engineVersion: h.engine.version, ncpu: h.engine.ncpu, memTotal: h.engine.memTotal } : {}),
    ...(h.state === 'online' ? { containersRunning: h.containersRunning, containersTotal: h.containersTotal } : {}),
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['NAME', 'STATE', 'ADDRESS', 'ENGINE', 'CPUS', 'MEMORY', 'CONTAINERS', 'ERROR'],
    rows.map((r) => [
      r.name,
      r.state,
      r.address,
      r.engineVersion ?? '',
      r.ncpu?.toString() ?? '',
      r.memTotal ? `${(r.memTotal / 2 ** 30).toFixed(1)} GiB` : '',
      r.containersTotal !== undefined ? `${r.containersRunning}/${r.containersTotal}` : '',
      r.error ?? '',
    ]),
  );
}

function psOutput(containers: Container[], json: boolean): string {
  const rows = containers.map((c) => ({
    host: c.host,
    id: c.id,
    name: c.name,
    image: c.image,
    state: c.state,
    status: c.status,
    ...(c.health ? { health: c.health } : {}),
    ...(c.service ? { service: c.service } : {}),
    ...(c.group ? { group: c.group } : {}),
    ips: c.ips,
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['HOST', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'GROUP/SERVICE', 'IPS'],
    rows.map((r) => [r.host, r.name, r.image, r.state, r.status, [r.group, r.service].filter(Boolean).join('/'), r.ips.map((a) => `${a.ip} ${a.mac}`).join(', ')]),
  );
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function statsOutput(samples: ContainerStats[], json: boolean): string {
  const rows = samples
    .map((s) => ({
      host: s.host,
      name: s.name,
      id: s.id,
      cpuPercent: round2(s.cpuPercent),
      memUsage: s.memUsage,
      memLimit: s.memLimit,
      memPercent: round2(s.memPercent),
      blkRead: s.blkRead,
      blkWrite: s.blkWrite,
      netRx: s.netRx,
      netTx: s.netTx,
      pids: s.pids,
    }))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  return formatTable(
    ['HOST', 'NAME', 'CONTAINER ID', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    rows.map((r) => [
      r.host,
      r.name,
      r.id.slice(0, 12),
      `${r.cpuPercent.toFixed(2)}%`,
      `${binaryBytes(r.memUsage)} / ${binaryBytes(r.memLimit)}`,
      `${r.memPercent.toFixed(2)}%`,
      `${decimalBytes(r.netRx)} / ${decimalBytes(r.netTx)}`,
      `${decimalBytes(r.blkRead)} / ${decimalBytes(r.blkWrite)}`,
      String(r.pids),
    ]),
  );
}

/** Like docker stats: memory in binary units (MiB), network and block I/O in decimal ones (MB). */
function binaryBytes(n: number): string {
  return scaled(n, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
}

function decimalBytes(n: number): string {
  return scaled(n, 1000, ['B', 'kB', 'MB', 'GB', 'TB']);
}

function scaled(n: number, base: number, units: string[]): string {
  let i = 0;
  while (n >= base && i < units.length - 1) {
    n /= base;
    i++;
  }
  return `${i === 0 ? n : Number(n.toPrecision(4))}${units[i]}`;
}
