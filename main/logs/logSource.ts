// One source of a log view: GET /containers/{id}/logs on the host's stream sockets (never the
// request agent: a follower holds its socket for as long as the view lives), demultiplexed
// unless the container has a TTY, split into timed lines. Pausing the response stops reading
// its socket, so backpressure reaches dockerd (TCP, or the SSH channel's window).
import type { IncomingMessage } from 'node:http';
import type Dockerode from 'dockerode';
import { logTimeKey, type LogLine, type LogSourceState } from '../../shared/logs';
import type { Clock, Timer } from '../clock/clock';
import { dockerMessage, dockerStatus, hostNotOnline } from '../engine/dockerErrors';
import type { HostStatus } from '../engine/hostConnection';
import { FrameDemuxer, type LogStreamName } from './demux';
import { LineSplitter } from './lineSplitter';

/**
 * dockerd gives no marker between a tail and what follows: a source is 'following' once its
 * response has been quiet this long, or once a line is newer than the open. Long enough to span
 * the gaps between reads of a tail on a loaded host, short enough that the CLI's merge of the
 * tails does not keep the user waiting.
 */
export const FOLLOW_QUIET_MS = 300;

/** The parts of a host connection a log source uses. */
export interface LogHost {
  readonly spec: { readonly name: string };
  /** Short calls: the inspect. */
  readonly docker: Dockerode;
  /** Long streams on sockets of their own: the log follower. */
  readonly streams: Dockerode;
  readonly status: HostStatus;
}

export interface LogSourceSink {
  line(line: LogLine): void;
  state(state: LogSourceState, message?: string): void;
}

export interface LogSourceOptions {
  src: number;
  tty: boolean;
  tail: number | 'all';
  sinceSeconds?: number | undefined;
  follow: boolean;
  clock: Clock;
}

export class LogSource {
  private response: IncomingMessage | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  private finished = false;
  private following = false;
  private paused = false;
  private quietTimer: Timer | undefined;
  private readonly openedAt: string;
  private readonly splitters: Record<LogStreamName, LineSplitter>;
  private readonly demuxer: FrameDemuxer;
  /** Bytes read from dockerd (the backpressure test watches it stop growing). */
  bytesReceived = 0;

  constructor(
    private readonly host: LogHost,
    private readonly id: string,
    private readonly options: LogSourceOptions,
    private readonly sink: LogSourceSink,
  ) {
    this.openedAt = logTimeKey(new Date(options.clock.now()).toISOString());
    const splitter = (stream: LogStreamName) =>
      new LineSplitter(({ time, line }) => {
        if (!this.following && this.options.follow && logTimeKey(time) > this.openedAt) this.follow();
        sink.line({ src: options.src, stream, time, line });
      });
    this.splitters = { stdout: splitter('stdout'), stderr: splitter('stderr') };
    this.demuxer = new FrameDemuxer((stream, payload) => this.splitters[stream].push(payload));
  }

  start(): void {
    if (this.host.status.state !== 'online') {
      this.finish('failed', hostNotOnline(this.host.spec.name, this.host.status));
      return;
    }
    this.sink.state('loading');
    const since = this.options.sinceSeconds ? Math.floor(this.options.clock.now() / 1000) - this.options.sinceSeconds : undefined;
    this.host.streams.modem.dial(
      {
        path: `/containers/${this.id}/logs?`,
        method: 'GET',
        isStream: true,
        abortSignal: this.abort.signal,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: { follow: this.options.follow, stdout: true, stderr: true, timestamps: true, tail: String(this.options.tail), ...(since !== undefined ? { since } : {}) },
      },
      (err: unknown, response: unknown) => {
        if (err) {
          const gone = dockerStatus(err) === 404;
          this.finish('failed', gone ? `no container ${this.id.slice(0, 12)} on ${this.host.spec.name}` : `logs of ${this.id.slice(0, 12)} on ${this.host.spec.name}: ${dockerMessage(err)}`);
          return;
        }
        this.attach(response as IncomingMessage);
      },
    );
  }

  private attach(response: IncomingMessage): void {
    if (this.closed) {
      response.destroy();
      return;
    }
    this.response = response;
    if (this.paused) response.pause();
    response.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      if (this.options.tty) this.splitters.stdout.push(chunk);
      else this.demuxer.push(chunk);
      this.restartQuiet();
    });
    response.on('error', (err) => this.finish('failed', `logs of ${this.id.slice(0, 12)} on ${this.host.spec.name}: ${dockerMessage(err)}`));
    response.on('end', () => this.finish('ended', this.options.follow ? 'the container stopped' : undefined));
    response.on('close', () => this.finish('ended', this.options.follow ? 'the log stream closed' : undefined));
    this.restartQuiet();
  }

  private restartQuiet(): void {
    if (!this.options.follow || this.following) return;
    this.options.clock.clearTimeout(this.quietTimer);
    this.quietTimer = this.options.clock.setTimeout(() => this.follow(), FOLLOW_QUIET_MS).unref();
  }

  private follow(): void {
    if (this.following || this.finished) return;
    this.following = true;
    this.options.clock.clearTimeout(this.quietTimer);
    this.sink.state('following');
  }

  private finish(state: 'ended' | 'failed', message?: string): void {
    if (this.finished) return;
    this.finished = true;
    this.options.clock.clearTimeout(this.quietTimer);
    if (this.closed) return;
    this.splitters.stdout.end();
    this.splitters.stderr.end();
    this.sink.state(state, message);
  }

  pause(): void {
    this.paused = true;
    this.response?.pause();
  }

  resume(): void {
    this.paused = false;
    this.response?.resume();
  }

  /** Stops reading; no state is reported afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.clock.clearTimeout(this.quietTimer);
    this.abort.abort();
    this.response?.destroy();
  }
}
