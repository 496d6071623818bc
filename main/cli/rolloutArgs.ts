// The rollout commands' arguments (issue 11): deploy, restart --service|--containers, rollback,
// rollouts, resume and abort, parsed and checked into a typed request before anything is touched,
// and their help text. Pure. Two kinds of error, as the issue's exit codes ask:
// - usage (exit 2): the command line's shape: an unknown option, a missing one, an option this
//   command does not take, a stray or missing argument, two options that exclude each other;
// - bad input (exit 1): a value that does not read: a number, a duration, a choice, an image
//   reference, a HOST/NAME list.
// Whether the names exist (service, containers, tag) is the service's check, with the fleet at hand.
import { parseArgs } from 'node:util';
import { ImageRefError, parseImageRef } from '../../shared/imageRef';
import type { FailureAction, RolloutParams, UpdateOrder } from '../rollout/types';
import { parseContainerRef } from './actionCommand';
import { parseDuration } from './duration';
import { EXIT } from './exitCodes';

export const ROLLOUT_COMMANDS = ['deploy', 'restart', 'rollback', 'rollouts', 'resume', 'abort'] as const;
export type RolloutCommand = (typeof ROLLOUT_COMMANDS)[number];

export class RolloutArgsError extends Error {
  override name = 'RolloutArgsError';
  constructor(
    readonly exitCode: typeof EXIT.usage | typeof EXIT.error,
    message: string,
  ) {
    super(message);
  }
}

/** What the rollout changes: a service's containers, or the named ones (HOST/NAME, as given). */
export type RolloutScope = { kind: 'service'; service: string } | { kind: 'containers'; containers: string[] };

/** The options every command here shares with the rest of the CLI; --timeout is left as given for the CLI's own check. */
interface CommonRequest {
  fleetFile?: string;
  timeout?: string;
  json: boolean;
}

/** deploy, restart and rollback: what plan.ts's PlanInput needs, beyond the targets the service resolves from the scope. */
export type RolloutRunRequest = CommonRequest & {
  scope: RolloutScope;
  /** Only the parameters given: plan.ts fills in the defaults. */
  params: Partial<RolloutParams>;
  /** An explicit order, HOST/NAME each. */
  sequence?: string[];
  /** Explicit lanes, HOST/NAME each. */
  lanes?: string[][];
  dryRun: boolean;
} & ({ command: 'deploy'; action: 'deploy'; image: string } | { command: 'restart'; action: 'restart' } | { command: 'rollback'; action: 'rollback'; toRevision?: number });

export type RolloutRequest =
  | RolloutRunRequest
  | (CommonRequest & { command: 'rollouts' })
  | (CommonRequest & { command: 'resume' | 'abort'; id: string })
  | { command: 'help' };

const OPTIONS = {
  fleet: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  service: { type: 'string' },
  containers: { type: 'string' },
  image: { type: 'string' },
  'to-revision': { type: 'string' },
  parallelism: { type: 'string' },
  delay: { type: 'string' },
  monitor: { type: 'string' },
  'failure-action': { type: 'string' },
  'max-failure-ratio': { type: 'string' },
  order: { type: 'string' },
  sequence: { type: 'string' },
  batches: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;
type OptionName = keyof typeof OPTIONS;

const EVERY_COMMAND: readonly OptionName[] = ['fleet', 'timeout', 'json', 'help'];
const RUN_OPTIONS: readonly OptionName[] = [
  ...EVERY_COMMAND,
  'service',
  'containers',
  'parallelism',
  'delay',
  'monitor',
  'failure-action',
  'max-failure-ratio',
  'order',
  'sequence',
  'batches',
  'dry-run',
];
const ALLOWED: Record<RolloutCommand, readonly OptionName[]> = {
  deploy: [...RUN_OPTIONS, 'image'],
  restart: RUN_OPTIONS,
  rollback: [...RUN_OPTIONS, 'to-revision'],
  rollouts: EVERY_COMMAND,
  resume: EVERY_COMMAND,
  abort: EVERY_COMMAND,
};

const FAILURE_ACTIONS: readonly FailureAction[] = ['pause', 'rollback', 'continue'];
const ORDERS: readonly UpdateOrder[] = ['stop-first', 'start-first'];

function usage(message: string): never {
  throw new RolloutArgsError(EXIT.usage, message);
}
function bad(message: string): never {
  throw new RolloutArgsError(EXIT.error, message);
}

/** True for `restart` as a rollout (--service or --containers), not the one-container action (--container). */
export function isRollingRestart(argv: readonly string[]): boolean {
  return argv.some((a) => /^--(service|containers)(=|$)/.test(a));
}

/** The whole argv (global options included, anywhere); throws RolloutArgsError. */
export function parseRolloutArgs(argv: string[]): RolloutRequest {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    return usage((err as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return { command: 'help' };
  const [command, ...rest] = positionals;
  if (!ROLLOUT_COMMANDS.includes(command as RolloutCommand)) {
    return usage(`${command ? `"${command}" is not a rollout command` : 'no command given'} (rollout commands: ${ROLLOUT_COMMANDS.join(', ')})`);
  }
  const cmd = command as RolloutCommand;
  const given = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (given.has(token.name)) usage(`--${token.name} is given twice`);
    given.add(token.name);
    if (!ALLOWED[cmd].includes(token.name as OptionName)) usage(`--${token.name} does not apply to ${cmd}`);
  }
  const common: CommonRequest = {
    json: values.json ?? false,
    ...(values.fleet !== undefined ? { fleetFile: values.fleet } : {}),
    ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
  };

  if (cmd === 'resume' || cmd === 'abort') {
    if (rest.length !== 1) usage(`${cmd} takes one rollout ID (as "fleetdeck rollouts" lists them)${rest.length > 1 ? `, got ${rest.length}: ${rest.join(' ')}` : ''}`);
    return { ...common, command: cmd, id: rest[0]! };
  }
  if (rest.length > 0) usage(`${cmd} takes no argument, got "${rest.join(' ')}"`);
  if (cmd === 'rollouts') return { ...common, command: cmd };

  const run = {
    ...common,
    scope: scopeOf(values.service, values.containers, cmd),
    params: paramsOf(values),
    ...orderOf(values.sequence, values.batches),
    dryRun: values['dry-run'] ?? false,
  };
  if (cmd === 'deploy') {
    if (values.image === undefined) usage('deploy needs --image REF, e.g. 198.18.0.1:5000/lab/app:1.1');
    return { ...run, command: cmd, action: cmd, image: imageOf(values.image) };
  }
  if (cmd === 'rollback') {
    if (run.params.failureAction === 'rollback') bad('--failure-action rollback does not apply to rollback: a rollback is never rolled back (a failing one pauses)');
    const toRevision = values['to-revision'] === undefined ? undefined : wholeNumber('--to-revision', values['to-revision']);
    return { ...run, command: cmd, action: cmd, ...(toRevision !== undefined ? { toRevision } : {}) };
  }
  return { ...run, command: cmd, action: cmd };
}

function scopeOf(service: string | undefined, containers: string | undefined, cmd: RolloutCommand): RolloutScope {
  if (service !== undefined && containers !== undefined) usage('give either --service or --containers, not both');
  if (service !== undefined) {
    if (service.trim() === '') bad('--service needs a service name');
    return { kind: 'service', service };
  }
  if (containers !== undefined) return { kind: 'containers', containers: containerList('--containers', containers, new Set()) };
  return usage(`${cmd} needs --service S or --containers HOST/NAME,…`);
}

function paramsOf(values: { [K in OptionName]?: string | boolean }): Partial<RolloutParams> {
  const text = (name: OptionName): string | undefined => values[name] as string | undefined;
  const params: Partial<RolloutParams> = {};
  const parallelism = text('parallelism');
  if (parallelism !== undefined) params.parallelism = wholeNumber('--parallelism', parallelism, ' (0: all at once)');
  const delay = text('delay');
  if (delay !== undefined) params.delayMs = duration('--delay', delay);
  const monitor = text('monitor');
  if (monitor !== undefined) params.monitorMs = duration('--monitor', monitor);
  const failureAction = text('failure-action');
  if (failureAction !== undefined) params.failureAction = choice('--failure-action', failureAction, FAILURE_ACTIONS);
  const ratio = text('max-failure-ratio');
  if (ratio !== undefined) params.maxFailureRatio = failureRatio(ratio);
  const order = text('order');
  if (order !== undefined) params.order = choice('--order', order, ORDERS);
  return params;
}

function orderOf(sequence: string | undefined, batches: string | undefined): { sequence?: string[]; lanes?: string[][] } {
  if (sequence !== undefined && batches !== undefined) usage('give either --sequence or --batches, not both');
  if (sequence !== undefined) return { sequence: containerList('--sequence', sequence, new Set()) };
  if (batches === undefined) return {};
  const seen = new Set<string>();
  return {
    lanes: batches.split(';').map((lane, i) => {
      if (lane === '') bad(`--batches: batch ${i + 1} is empty (batches are separated by ";", containers by ",")`);
      return containerList(`--batches (batch ${i + 1})`, lane, seen);
    }),
  };
}

/** HOST/NAME,…: each one well formed and named once (`seen` spans the lists of one option). */
function containerList(what: string, text: string, seen: Set<string>): string[] {
  return text.split(',').map((item) => {
    if (/\s/.test(item)) bad(`${what}: "${item}" holds a space (write HOST/NAME,HOST/NAME with none)`);
    if (!parseContainerRef(item)) bad(`${what}: "${item}" is not HOST/NAME (for example h1/payments-api-1); separate containers with ","`);
    if (seen.has(item)) bad(`${what}: ${item} is named twice`);
    seen.add(item);
    return item;
  });
}

function wholeNumber(what: string, text: string, hint = ''): number {
  if (!/^\d+$/.test(text)) bad(`${what} takes a whole number ≥ 0${hint}, got "${text}"`);
  return Number(text);
}

function duration(what: string, text: string): number {
  const ms = parseDuration(text);
  return ms ?? bad(`${what} takes a duration such as 500ms, 10s, 5m or 1h, got "${text}"`);
}

function choice<T extends string>(what: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) bad(`${what} takes ${choices.join(', ')}, got "${text}"`);
  return text as T;
}

/** A fraction of the containers to change, as Swarm's --update-max-failure-ratio: 0 to 1. */
function failureRatio(text: string): number {
  const ratio = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(ratio >= 0 && ratio <= 1)) bad(`--max-failure-ratio takes a number from 0 to 1 (0.25: a quarter of the containers), got "${text}"`);
  return ratio;
}

/** Checked as docker pull reads it; kept as the operator wrote it. */
function imageOf(text: string): string {
  try {
    parseImageRef(text);
  } catch (err) {
    if (err instanceof ImageRefError) bad(`--image: ${err.message}`);
    throw err;
  }
  return text;
}

/** The rollout commands' parts of fleetdeck --help, to splice into its Commands, Options and Exit codes sections. */
export const ROLLOUT_HELP = {
  commands: `  deploy --service S --image REF [options]
                recreates each of service S's containers on image REF, host by host,
                keeping its name, labels, env, mounts, networks and aliases, IP, MAC,
                resources, restart policy and log config; the old revision is kept
                (stopped, renamed) until the rollout has finished.
  restart --service S [options]
                a rolling restart, with the same parameters and failure handling.
  rollback --service S [--to-revision N] [options]
                returns every container to its previous recorded revision (or to
                revision N): same IP and MAC, previous digest. A failing rollback pauses.
                deploy, restart and rollback take --containers HOST/NAME,… instead of
                --service. Without --json: a live line per container.
                --json: {id, service?, action: "deploy"|"restart"|"rollback",
                state: "completed"|"paused"|"rolled-back"|"failed"|"aborted",
                containers: [{host, name, from: {image, digest}, to: {image, digest},
                state, error?}]}; service is absent for a --containers scope.
  rollouts      the rollouts on record in the data directory, newest first, with their
                revisions; an interrupted one (its process is gone) can be resumed or
                rolled back.
  resume ID     continues a paused or interrupted rollout from its journal.
  abort ID      finishes the step in flight, then stops: each container runs either its
                old revision or its new one.
`,
  options: `  --service S        (deploy, restart, rollback) every container of service S
  --containers HOST/NAME,…
                     (deploy, restart, rollback) these containers instead of a service
  --image REF        (deploy) the image to run, e.g. 198.18.0.1:5000/lab/app:1.1
  --to-revision N    (rollback) the recorded revision to return to (default: the previous)
  --parallelism N    containers changed at once, in a sliding window (default 1; 0: all)
  --delay DUR        wait after each container (or batch) before the next (default 0s)
  --monitor DUR      watch each new container this long before it counts as done
                     (default 5s). DUR: a number and ms, s, m or h (500ms, 10s, 5m, 1h)
  --failure-action pause|rollback|continue
                     what a failure beyond --max-failure-ratio does (default pause)
  --max-failure-ratio R
                     failures ÷ containers to change that are tolerated, 0 to 1 (default 0)
  --order stop-first|start-first
                     stop the old container before starting the new one, or after it is
                     running (default stop-first; a static IP or MAC is always stop-first)
  --sequence HOST/NAME,…
                     the order to change the containers in (each container of the scope once)
  --batches 'HOST/NAME,…;HOST/NAME,…'
                     lanes run one after another; a lane's containers change together
  --dry-run          prints the plan and changes nothing
`,
  exitCodes: `  deploy, restart --service|--containers, rollback, resume
                     0 the rollout completed; 4 it ended paused, failed, rolled back or
                     aborted; 1 bad input, before anything is touched (an unknown service
                     or container, an image reference that does not parse, a tag the
                     registry does not have, a sequence naming a container outside the
                     scope, a value that does not read)
  rollback --service S, when S's last rollout did not finish (interrupted or
                     paused): rolls that rollout back; 0 once it is rolled back
  rollouts           0 printed; 1 the journal cannot be read
  abort              0 the abort reached the process that runs the rollout, or the rollout
                     ended aborted here; 4 it ended otherwise (paused: a host is offline);
                     1 no such rollout, or it already ended
`,
} as const;
