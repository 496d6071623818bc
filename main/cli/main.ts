// fleetdeck: the console's core for scripts. Output is JSON (--json) or a table.
import { parseArgs } from 'node:util';
import type { Container, Host } from '../../shared/model';
import { openFleet } from '../core/open';
import { FleetFileError } from '../fleet';
import { formatTable } from './table';

export const EXIT = { ok: 0, error: 1, usage: 2, partial: 3 } as const;

const HELP = `fleetdeck — operations console for Docker fleets (command-line interface)

Usage:
  fleetdeck [--fleet FILE] [--timeout SECONDS] COMMAND [--json]

Commands:
  hosts      every host: state (online, offline, error, connecting), engine, CPUs, memory
  ps         every container on every host, stopped ones included

Options:
  --fleet FILE       fleet file (YAML). Without it: DOCKER_HOST, then the current
                     docker context, then /var/run/docker.sock
  --timeout SECONDS  how long to wait for hosts to answer (default 10)
  --json             machine-readable output
  -h, --help         this help

Hosts that do not answer in time are listed on stderr; the others are printed.
Exit codes: 0 all hosts answered; 3 some hosts did not answer; 1 error (e.g. a bad
fleet file); 2 bad usage.

Examples:
  fleetdeck --fleet fleet.yaml hosts
  fleetdeck --fleet fleet.yaml ps --json | jq '.[] | select(.state != "running")'
`;

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const COMMANDS = ['hosts', 'ps'] as const;
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
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
    io.err.write(`fleetdeck: --timeout must be a number of seconds between 0 and 600, got "${values.timeout}"\n`);
    return EXIT.usage;
  }

  let fleet;
  try {
    fleet = await openFleet({ fleetFile: values.fleet, mode: 'browser' });
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
    const output = command === 'hosts' ? hostsOutput(snapshot.hosts, values.json) : psOutput(snapshot.containers, values.json);
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
