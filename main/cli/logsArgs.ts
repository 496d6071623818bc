// fleetdeck logs: its arguments (--container HOST/NAME or --service S, --tail, --since, --follow,
// --timestamps, --grep, --json), checked before anything connects.
import { LOG_LIMITS } from '../../shared/logs';
import { parseContainerRef } from './actionCommand';
import { parseCommandArgs } from './commandArgs';
import { parseDuration } from './duration';

export type LogsTarget = { kind: 'container'; host: string; container: string } | { kind: 'service'; service: string };

export interface LogsArgs {
  fleetFile?: string;
  timeoutS: number;
  target: LogsTarget;
  /** Like docker logs: every line unless --tail says otherwise. */
  tail: number | 'all';
  sinceSeconds?: number;
  follow: boolean;
  timestamps: boolean;
  grep?: RegExp;
  json: boolean;
}

export class LogsArgsError extends Error {}

/** `argv` holds "logs" itself among the options. */
export function parseLogsArgs(argv: readonly string[]): LogsArgs {
  const { values, timeoutS, fleetFile } = parseCommandArgs(
    argv,
    'logs',
    {
      container: { type: 'string' },
      service: { type: 'string' },
      tail: { type: 'string' },
      since: { type: 'string' },
      follow: { type: 'boolean', short: 'f', default: false },
      timestamps: { type: 'boolean', short: 't', default: false },
      grep: { type: 'string' },
    },
    LogsArgsError,
  );
  if ((values.container === undefined) === (values.service === undefined)) throw new LogsArgsError('logs needs one of --container HOST/NAME or --service S');
  let target: LogsTarget;
  if (values.container !== undefined) {
    const ref = parseContainerRef(values.container);
    if (!ref) throw new LogsArgsError(`--container takes HOST/NAME (for example h1/payments-api-1), got "${values.container}"`);
    target = { kind: 'container', ...ref };
  } else {
    if (!values.service) throw new LogsArgsError('--service needs a service name');
    target = { kind: 'service', service: values.service };
  }
  let tail: number | 'all' = 'all';
  if (values.tail !== undefined && values.tail !== 'all') {
    if (!/^\d+$/.test(values.tail) || Number(values.tail) > LOG_LIMITS.maxLines) throw new LogsArgsError(`--tail takes a number of lines from 0 to ${LOG_LIMITS.maxLines}, or all, got "${values.tail}"`);
    tail = Number(values.tail);
  }
  let sinceSeconds: number | undefined;
  if (values.since !== undefined) {
    const ms = parseDuration(values.since);
    if (ms === undefined || ms < 1000) throw new LogsArgsError(`--since takes a duration such as 30s, 15m, 2h or 7d, got "${values.since}"`);
    sinceSeconds = Math.ceil(ms / 1000);
  }
  let grep: RegExp | undefined;
  if (values.grep !== undefined) {
    try {
      grep = new RegExp(values.grep);
    } catch (err) {
      throw new LogsArgsError(`--grep takes a regular expression: ${(err as Error).message}`);
    }
  }
  return {
    ...(fleetFile !== undefined ? { fleetFile } : {}),
    timeoutS,
    target,
    tail,
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    follow: values.follow,
    timestamps: values.timestamps,
    ...(grep ? { grep } : {}),
    json: values.json,
  };
}
