// fleetdeck logs: one container's logs (--container HOST/NAME), or every replica of a service
// merged by time (--service S), through the core's log views (main/logs). Like docker logs, the
// container's stdout goes to stdout and its stderr to stderr; --json prints one
// {time, host, container, stream, line} per line. Backpressure: lines are acked only once
// stdout and stderr have drained, so a slow reader pauses the daemons.
import { once } from 'node:events';
import type { LogEvent, LogLine, LogSourceRef, LogSourceState, LogViewSource } from '../../shared/logs';
import { logLineChars } from '../../shared/logs';
import { hostNotOnline } from '../engine/dockerErrors';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { sortByTime } from '../logs/logView';
import { EXIT } from './exitCodes';
import type { LogsArgs } from './logsArgs';

export interface LogsIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

type Resolution = { ok: true; sources: LogSourceRef[]; partial: boolean } | { ok: false; code: number; message: string };

export async function logsCommand(args: LogsArgs, io: LogsIo): Promise<number> {
  const onlyHosts = args.target.kind === 'container' ? [args.target.host] : undefined;
  const { core } = await openFleet({ fleetFile: args.fleetFile, mode: 'browser', source: 'cli', ...(onlyHosts ? { onlyHosts } : {}) });
  try {
    const pending = await core.settled(args.timeoutS * 1000);
    const resolved = resolveSources(core, args, pending, (m) => io.err.write(`fleetdeck: ${m}\n`));
    if (!resolved.ok) {
      io.err.write(`fleetdeck: ${resolved.message}\n`);
      return resolved.code;
    }
    const opened = await core.api.logsOpen({ sources: resolved.sources, tail: args.tail, follow: args.follow, ...(args.sinceSeconds ? { sinceSeconds: args.sinceSeconds } : {}) });
    if (!opened.ok) {
      io.err.write(`fleetdeck: ${opened.message}\n`);
      return EXIT.error;
    }
    const code = await follow(core, opened.viewId, opened.sources, args, io);
    return code === EXIT.ok && resolved.partial ? EXIT.unreachable : code;
  } finally {
    await core.close();
  }
}

function resolveSources(core: Core, args: LogsArgs, pending: string[], warn: (message: string) => void): Resolution {
  const down = (name: string): string | undefined => {
    if (pending.includes(name)) return `host ${name} did not answer within ${args.timeoutS} s`;
    const host = core.hosts.find((h) => h.spec.name === name);
    return host && host.status.state !== 'online' ? `host ${hostNotOnline(name, host.status)}` : undefined;
  };
  const { target } = args;
  if (target.kind === 'container') {
    if (!core.hosts.some((h) => h.spec.name === target.host)) return { ok: false, code: EXIT.error, message: `no host named "${target.host}" in the fleet` };
    const unreachable = down(target.host);
    if (unreachable) return { ok: false, code: EXIT.unreachable, message: unreachable };
    const list = core.model.containers(target.host);
    const found = list.find((c) => c.name === target.container) ?? (/^[0-9a-f]{4,64}$/.test(target.container) ? list.find((c) => c.id.startsWith(target.container)) : undefined);
    if (!found) return { ok: false, code: EXIT.error, message: `no container "${target.container}" on ${target.host}` };
    return { ok: true, sources: [{ host: target.host, id: found.id }], partial: false };
  }
  let partial = false;
  const sources: LogSourceRef[] = [];
  for (const host of core.hosts) {
    const unreachable = down(host.spec.name);
    if (unreachable) {
      warn(`${unreachable}; its replicas of ${target.service} are left out`);
      partial = true;
      continue;
    }
    for (const c of core.model.containers(host.spec.name)) if (c.service === target.service) sources.push({ host: host.spec.name, id: c.id });
  }
  if (sources.length === 0) return { ok: false, code: partial ? EXIT.unreachable : EXIT.error, message: `no container of service "${target.service}"${partial ? ' on the hosts that answered' : ''}` };
  return { ok: true, sources, partial };
}

/** Prints the view's lines until every source has ended, or SIGINT while following. */
function follow(core: Core, viewId: string, sources: LogViewSource[], args: LogsArgs, io: LogsIo): Promise<number> {
  const states: LogSourceState[] = sources.map(() => 'loading');
  const merged = sources.length > 1;
  // Several sources: their tails are gathered and merged by time before anything prints.
  let gathering: LogLine[] | undefined = merged ? [] : undefined;
  let failed: number = EXIT.ok;
  const acks = new AckAfterDrain(io, (chars) => void core.api.logsAck({ viewId, chars }));

  const print = (lines: LogLine[]): void => {
    let out = '';
    let err = '';
    for (const line of lines) {
      if (args.grep && !args.grep.test(line.line)) continue;
      const text = `${formatLine(line, sources[line.src]!, args, merged)}\n`;
      if (line.stream === 'stderr' && !args.json) err += text;
      else out += text;
    }
    acks.written(lines.reduce((sum, l) => sum + logLineChars(l), 0), out ? io.out.write(out) : true, err ? io.err.write(err) : true);
  };

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', onSigint);
      io.out.off('error', onClosed);
      io.err.off('error', onClosed);
      unsubscribe();
      void core.api.logsClose({ viewId }).then(() => resolve(code));
    };
    const onSigint = (): void => finish(failed);
    if (args.follow) process.once('SIGINT', onSigint);
    // The reader went away (`| head`): nothing more to print.
    const onClosed = (): void => finish(failed);
    io.out.on('error', onClosed);
    io.err.on('error', onClosed);
    const flushGathered = (): void => {
      if (!gathering || states.includes('loading')) return;
      const lines = sortByTime(gathering);
      gathering = undefined;
      print(lines);
    };
    const onEvent = (event: LogEvent): void => {
      if (event.t === 'lines') {
        if (gathering) {
          gathering.push(...event.lines);
          void core.api.logsAck({ viewId, chars: event.lines.reduce((sum, l) => sum + logLineChars(l), 0) });
        } else print(event.lines);
      } else if (event.t === 'dropped') {
        io.err.write(`fleetdeck: ${event.total} lines dropped (more than the view holds)\n`);
      } else {
        states[event.src] = event.state;
        const source = sources[event.src]!;
        if (event.state === 'failed') {
          io.err.write(`fleetdeck: ${source.tag}: ${event.message ?? 'failed'}\n`);
          const host = core.hosts.find((h) => h.spec.name === source.host);
          failed = Math.max(failed, host && host.status.state !== 'online' ? EXIT.unreachable : EXIT.error);
        }
        flushGathered();
        if (states.every((s) => s === 'ended' || s === 'failed')) void acks.drained().then(() => finish(failed));
      }
    };
    const unsubscribe = core.api.logEvents({ viewId }, onEvent, () => finish(failed));
  });
}

/** One line as printed: docker logs' text (with --timestamps its time first), or the JSON line. */
export function formatLine(line: LogLine, source: Pick<LogViewSource, 'host' | 'name' | 'tag'>, options: Pick<LogsArgs, 'json' | 'timestamps'>, merged: boolean): string {
  if (options.json) return JSON.stringify({ time: line.time, host: source.host, container: source.name, stream: line.stream, line: line.line });
  return `${merged ? `${source.tag} | ` : ''}${options.timestamps ? `${line.time} ` : ''}${line.line}`;
}

/** Acks what was written once both streams have drained: while they have not, main holds off and pauses the daemons. */
class AckAfterDrain {
  private owed = 0;
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly io: LogsIo,
    private readonly ack: (chars: number) => void,
  ) {}

  written(chars: number, outFlowing: boolean, errFlowing: boolean): void {
    this.owed += chars;
    if (this.waiting) return;
    if (outFlowing && errFlowing) {
      this.pay();
      return;
    }
    this.waiting = Promise.all([outFlowing ? undefined : once(this.io.out, 'drain'), errFlowing ? undefined : once(this.io.err, 'drain')]).then(() => {
      this.waiting = undefined;
      this.pay();
    });
  }

  /** Resolves once nothing written is waiting to drain. */
  async drained(): Promise<void> {
    while (this.waiting) await this.waiting;
  }

  private pay(): void {
    if (this.owed > 0) this.ack(this.owed);
    this.owed = 0;
  }
}
