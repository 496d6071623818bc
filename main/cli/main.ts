// fleetdeck: the console's core for scripts: argument parsing, and one function per command.
// Output is JSON (--json) or a table.
import { parseArgs } from 'node:util';
import type { ContainerAction } from '../../shared/model';
import { dataDirectory } from '../audit/dataDir';
import { openFleet } from '../core/open';
import { FleetFileError } from '../fleet';
import { actionCommand, parseContainerRef } from './actionCommand';
import { alertsCommand } from './alertsCommand';
import { auditCommand } from './auditCommand';
import { parseDuration } from './duration';
import { EXIT } from './exitCodes';
import { HELP } from './help';
import { IpArgsError, ipCommand, parseIpArgs } from './ipCommands';
import { openIpMap } from './ipOpen';
import { hostsOutput, psOutput, statsOutput } from './listings';
import { LogsArgsError, parseLogsArgs } from './logsArgs';
import { logsCommand } from './logsCommand';
import { digestCommand, imagesCommand } from './registryCommands';
import { ROLLOUT_COMMANDS, RolloutArgsError, isRollingRestart, parseRolloutArgs, type RolloutCommand } from './rolloutArgs';
import { WIRED_ROLLOUT_COMMANDS, rolloutCommand, type WiredRolloutCommand } from './rolloutCommands';

export { EXIT } from './exitCodes';

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const LISTINGS = ['hosts', 'ps', 'stats'] as const;
const ACTIONS = ['start', 'stop', 'restart'] as const satisfies readonly ContainerAction[];
const REGISTRY_COMMANDS = ['images', 'digest'] as const;
// restart is both the one-container action and the rolling restart: named once.
const COMMANDS = [...LISTINGS, 'audit', ...ACTIONS, ...REGISTRY_COMMANDS, ...WIRED_ROLLOUT_COMMANDS.filter((c) => !(ACTIONS as readonly string[]).includes(c)), 'ip', 'logs', 'alerts'];
/** Between the two stats samples: long enough for a steady CPU %, like docker stats' first refresh. */
const STATS_GAP_MS = 1_000;
type Command = (typeof COMMANDS)[number];
type Listing = (typeof LISTINGS)[number];

/** Options of either parser that take a value: what follows them is no command. */
const VALUE_OPTIONS = /^--(fleet|timeout|since|container|registry|segment|name|service|containers|image|to-revision|parallelism|delay|monitor|failure-action|max-failure-ratio|order|sequence|batches|tail|grep)$/;

function firstPositional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (!a.startsWith('-')) return a;
    if (VALUE_OPTIONS.test(a)) i++;
  }
  return undefined;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const first = firstPositional(argv);
  if (!argv.includes('--help') && !argv.includes('-h') && ROLLOUT_COMMANDS.includes(first as RolloutCommand) && (first !== 'restart' || isRollingRestart(argv))) {
    return rollout(io, argv, first as RolloutCommand);
  }
  if (!argv.includes('--help') && !argv.includes('-h') && first === 'ip') return ip(io, argv);
  if (!argv.includes('--help') && !argv.includes('-h') && first === 'alerts') return alertsCommand(argv, io, (m) => usage(io, m), async (fleetFile) => (await openFleet({ fleetFile, mode: 'browser', source: 'cli' })).core);
  if (!argv.includes('--help') && !argv.includes('-h') && first === 'logs') return logs(io, argv);
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
        since: { type: 'string' },
        container: { type: 'string' },
        registry: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out.write(HELP);
    return EXIT.ok;
  }
  const [command, ...extra] = positionals;
  const [imageRef, ...more] = command === 'digest' ? extra : [undefined, ...extra];
  if (!command || !COMMANDS.includes(command as Command) || more.length > 0) {
    return usage(io, `${command ? `unknown command "${[command, ...extra].join(' ')}"` : 'no command given'} (commands: ${COMMANDS.join(', ')})`);
  }
  if (command === 'digest' && imageRef === undefined) return usage(io, 'digest needs an image reference, e.g. 198.18.0.1:5000/lab/app:1.0');
  if (command !== 'images' && values.registry !== undefined) return usage(io, '--registry only applies to images');
  if (command === 'stats' && !values.once) {
    io.err.write('fleetdeck: stats needs --once (one reading, then exit); live stats are the console\'s job: run "npm start"\n');
    return EXIT.usage;
  }
  if (command !== 'stats' && values.once) return usage(io, '--once only applies to stats');
  if (command !== 'audit' && values.since !== undefined) return usage(io, '--since only applies to audit');
  const isAction = (ACTIONS as readonly string[]).includes(command);
  if (!isAction && values.container !== undefined) return usage(io, `--container only applies to ${ACTIONS.join(', ')}`);
  const timeoutS = Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) {
    return usage(io, `--timeout must be a number of seconds between 0 and 600, got "${values.timeout}"`);
  }

  if (command === 'images' || command === 'digest') {
    try {
      return command === 'images'
        ? await imagesCommand({ fleetFile: values.fleet, registry: values.registry, json: values.json }, io)
        : await digestCommand({ fleetFile: values.fleet, ref: imageRef!, json: values.json }, io);
    } catch (err) {
      io.err.write(`fleetdeck: ${(err as Error).message}\n`);
      return EXIT.error;
    }
  }
  if (command === 'audit') {
    let since: number | undefined;
    if (values.since !== undefined) {
      const ms = parseDuration(values.since);
      if (ms === undefined) return usage(io, `--since takes a duration such as 30s, 15m, 2h or 7d, got "${values.since}"`);
      since = Date.now() - ms;
    }
    try {
      io.out.write(auditCommand({ dir: dataDirectory(), json: values.json, warn: (m) => io.err.write(`fleetdeck: ${m}\n`), ...(since !== undefined ? { since } : {}) }));
      return EXIT.ok;
    } catch (err) {
      io.err.write(`fleetdeck: cannot read the audit log: ${(err as Error).message}\n`);
      return EXIT.error;
    }
  }
  if (isAction) {
    if (values.container === undefined) return usage(io, `${command} needs --container HOST/NAME`);
    const ref = parseContainerRef(values.container);
    if (!ref) return usage(io, `--container takes HOST/NAME (for example h1/payments-api-1), got "${values.container}"`);
    return act(io, { fleetFile: values.fleet, action: command as ContainerAction, ...ref, timeoutS, json: values.json });
  }
  return list(io, command as Listing, values.fleet, timeoutS, values.json);
}

async function rollout(io: CliIo, argv: string[], command: RolloutCommand): Promise<number> {
  if (!(WIRED_ROLLOUT_COMMANDS as readonly string[]).includes(command)) {
    io.err.write(`fleetdeck: ${command} is not yet available (rollout commands available: ${WIRED_ROLLOUT_COMMANDS.join(', ')})\n`);
    return EXIT.usage;
  }
  let request;
  try {
    request = parseRolloutArgs(argv);
  } catch (err) {
    if (!(err instanceof RolloutArgsError)) throw err;
    if (err.exitCode === EXIT.usage) return usage(io, err.message);
    io.err.write(`fleetdeck: ${err.message}\n`);
    return EXIT.error;
  }
  if (request.command === 'help') {
    io.out.write(HELP);
    return EXIT.ok;
  }
  const timeoutS = Number(request.timeout ?? '10');
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) return usage(io, `--timeout must be a number of seconds between 0 and 600, got "${request.timeout}"`);
  try {
    return await rolloutCommand(request as Parameters<typeof rolloutCommand>[0] & { command: WiredRolloutCommand }, timeoutS, io);
  } catch (err) {
    io.err.write(`fleetdeck: ${err instanceof FleetFileError ? err.message : (err as Error).message}\n`);
    return EXIT.error;
  }
}

async function ip(io: CliIo, argv: string[]): Promise<number> {
  let args;
  try {
    args = parseIpArgs(argv);
  } catch (err) {
    if (err instanceof IpArgsError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usage(io, (err as Error).message);
    throw err;
  }
  const timeoutS = Number(args.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 600) return usage(io, `--timeout must be a number of seconds between 0 and 600, got "${args.timeout}"`);
  try {
    return await ipCommand(args, openIpMap, io);
  } catch (err) {
    io.err.write(`fleetdeck: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

async function logs(io: CliIo, argv: string[]): Promise<number> {
  let args;
  try {
    args = parseLogsArgs(argv);
  } catch (err) {
    if (err instanceof LogsArgsError) return usage(io, err.message);
    throw err;
  }
  try {
    return await logsCommand(args, io);
  } catch (err) {
    io.err.write(`fleetdeck: ${err instanceof FleetFileError ? err.message : (err as Error).message}\n`);
    return EXIT.error;
  }
}

function usage(io: CliIo, message: string): number {
  io.err.write(`fleetdeck: ${message}\nRun "fleetdeck --help" for usage.\n`);
  return EXIT.usage;
}

async function act(io: CliIo, options: Parameters<typeof actionCommand>[0]): Promise<number> {
  let result;
  try {
    result = await actionCommand(options);
  } catch (err) {
    io.err.write(`fleetdeck: ${err instanceof FleetFileError ? err.message : (err as Error).message}\n`);
    return EXIT.error;
  }
  if (options.json) io.out.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.ok) io.out.write(`${result.message}\n`);
  if (!result.ok) io.err.write(`fleetdeck: ${result.message}\n`);
  if (result.ok) return EXIT.ok;
  return result.code === 'host-offline' ? EXIT.unreachable : EXIT.error;
}

async function list(io: CliIo, command: Listing, fleetFile: string | undefined, timeoutS: number, json: boolean): Promise<number> {
  let fleet;
  try {
    fleet = await openFleet({ fleetFile, mode: 'browser', source: 'cli' });
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
      output = statsOutput(await fleet.core.stats.sampleNow(), json);
    } else output = command === 'hosts' ? hostsOutput(snapshot.hosts, json) : psOutput(snapshot.containers, json);
    io.out.write(output);
    return snapshot.hosts.every((h) => h.state === 'online') ? EXIT.ok : EXIT.unreachable;
  } finally {
    await fleet.core.close();
  }
}
