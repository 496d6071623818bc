// fleetdeck alerts: the alert history read from the data directory alone (`alerts [--since DUR]`),
// or `alerts --watch`: the fleet followed by this process's own detector (and what any other process
// on the data directory raises), one line per alert as it fires, until SIGINT or SIGTERM.
// --json prints one {time, kind, host, container?, service?, exitCode?, message} per line.
import type { Alert, AlertChange } from '../../shared/alerts';
import { readAlerts } from '../alerts/alertLog';
import type { AlertFeed } from '../alerts/bind';
import { dataDirectory } from '../audit/dataDir';
import { parseCommandArgs } from './commandArgs';
import { parseDuration } from './duration';
import { EXIT } from './exitCodes';
import { formatTable, shortTime } from './table';

export interface AlertsArgs {
  fleetFile?: string;
  timeoutS: number;
  watch: boolean;
  /** --since: only alerts that fired this long ago or later (ms). */
  sinceMs?: number;
  json: boolean;
}

export class AlertsArgsError extends Error {}

/** `argv` holds "alerts" itself among the options. */
export function parseAlertsArgs(argv: readonly string[]): AlertsArgs {
  const { values, timeoutS, fleetFile } = parseCommandArgs(argv, 'alerts', { watch: { type: 'boolean', short: 'w', default: false }, since: { type: 'string' } }, AlertsArgsError);
  const args: AlertsArgs = { timeoutS, watch: values.watch, json: values.json, ...(fleetFile !== undefined ? { fleetFile } : {}) };
  if (values.since !== undefined) {
    if (values.watch) throw new AlertsArgsError('--since applies to the listing, not to --watch (which prints alerts as they fire)');
    const ms = parseDuration(values.since);
    if (ms === undefined) throw new AlertsArgsError(`--since takes a duration such as 30s, 15m, 2h or 7d, got "${values.since}"`);
    args.sinceMs = ms;
  }
  return args;
}

/** An alert as --json prints it: the issue's seven fields, in its order. */
export function alertJson(a: Alert): string {
  const { time, kind, host, container, service, exitCode, message } = a;
  return JSON.stringify({ time, kind, host, ...(container !== undefined ? { container } : {}), ...(service !== undefined ? { service } : {}), ...(exitCode !== undefined ? { exitCode } : {}), message });
}

/** One line of --watch without --json. */
export function alertText(a: Alert): string {
  return `${shortTime(a.time)}  ${a.kind}  ${a.container ? `${a.host}/${a.container}` : a.host}  ${a.message}`;
}

/** The listing: the whole history (or the --since window), oldest first, as JSON lines or a table. */
export function alertsListing(options: { dir: string; since?: number; json: boolean; warn: (message: string) => void }): string {
  const alerts = readAlerts(options.dir, { warn: options.warn, ...(options.since !== undefined ? { since: options.since } : {}) });
  if (options.json) return alerts.map((a) => `${alertJson(a)}\n`).join('');
  return formatTable(
    ['TIME (UTC)', 'KIND', 'HOST', 'CONTAINER', 'SERVICE', 'EXIT', 'ACKED BY', 'MESSAGE'],
    alerts.map((a) => [shortTime(a.time), a.kind, a.host, a.container ?? '', a.service ?? '', a.exitCode?.toString() ?? '', a.ackedBy ?? '', a.message]),
  );
}

export interface AlertsIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** What --watch needs of an opened core. */
export interface WatchCore {
  alerts: { feed: Pick<AlertFeed, 'subscribe'> };
  hosts: readonly { spec: { name: string } }[];
  settled(timeoutMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Prints each alert the first time it is seen, never the recent past nor an ack, until `stop`
 * resolves; says on stderr when it watches (after the hosts answered, or the timeout).
 */
export async function watchAlerts(core: WatchCore, args: Pick<AlertsArgs, 'json' | 'timeoutS'>, io: AlertsIo, stop: Promise<void>): Promise<number> {
  const seen = new Set<string>();
  let past = true;
  const unsubscribe = core.alerts.feed.subscribe((change: AlertChange) => {
    for (const a of change.alerts) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      if (!past) io.out.write(`${args.json ? alertJson(a) : alertText(a)}\n`);
    }
    past = false;
  });
  try {
    const pending = await Promise.race([core.settled(args.timeoutS * 1000), stop.then(() => [])]);
    for (const name of pending) io.err.write(`fleetdeck: host ${name} did not answer within ${args.timeoutS} s; watching it for when it does\n`);
    io.err.write(`fleetdeck: watching ${core.hosts.map((h) => h.spec.name).join(', ')} for alerts (Ctrl-C stops)\n`);
    await stop;
    return EXIT.ok;
  } finally {
    unsubscribe();
    await core.close();
  }
}

/** Resolves at the first SIGINT or SIGTERM (and stops listening for them). */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** fleetdeck alerts …: parses, then lists or watches; `usage` reports a bad usage (exit 2). */
export async function alertsCommand(argv: readonly string[], io: AlertsIo, usage: (message: string) => number, open: (fleetFile: string | undefined) => Promise<WatchCore>): Promise<number> {
  let args;
  try {
    args = parseAlertsArgs(argv);
  } catch (err) {
    if (err instanceof AlertsArgsError) return usage(err.message);
    throw err;
  }
  if (!args.watch) {
    try {
      io.out.write(alertsListing({ dir: dataDirectory(), json: args.json, warn: (m) => io.err.write(`fleetdeck: ${m}\n`), ...(args.sinceMs !== undefined ? { since: Date.now() - args.sinceMs } : {}) }));
      return EXIT.ok;
    } catch (err) {
      io.err.write(`fleetdeck: cannot read the alert history: ${(err as Error).message}\n`);
      return EXIT.error;
    }
  }
  const stop = interrupted();
  let core;
  try {
    core = await open(args.fleetFile);
  } catch (err) {
    io.err.write(`fleetdeck: ${(err as Error).message}\n`);
    return EXIT.error;
  }
  return watchAlerts(core, args, io, stop);
}
