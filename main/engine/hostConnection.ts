// One connection per host: its sockets, its /events stream, its heartbeat and its state
// (connecting → online → offline | error, then reconnect with backoff).
import { EventEmitter } from 'node:events';
import Dockerode from 'dockerode';
import type { EngineInfo, Host, HostProblem, HostState } from '../../shared/model';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import type { DockerEndpoint, HostSpec } from '../fleet/spec';
import type { SshConnectionSet, StreamChannel } from '../ssh/connectionSet';
import type { SshConnection } from '../ssh/sshConnection';
import { backoffDelay } from './backoff';
import { isDockerEvent, ndjsonParser, toEngineInfo, type DockerEvent } from './dockerApi';
import { engineCalls, type EngineCalls } from './engineCalls';
import { classifyError, EngineTimeoutError, EventsClosedError, stateForProblem } from './problems';
import { createTransport, sshConnectionSet, type EngineTransport, type TransportOptions } from './transports';

/** Everything in Host but the container counts, which the fleet layer fills in. */
export type HostStatus = Omit<Host, 'containersRunning' | 'containersTotal'>;

export interface HostConnectionDeps {
  /** Default: the system clock. */
  clock?: Clock;
  /** In [0, 1): where in its backoff window each retry falls (default Math.random). */
  random?: () => number;
  log?: (msg: string) => void;
  /** Heartbeat period while online (default 2 s). */
  pingIntervalMs?: number;
  /** A heartbeat ping slower than this takes the host offline (default 2 s). */
  pingTimeoutMs?: number;
  /** Deadline for connecting and for each call of the going-online sequence (default 10 s). */
  connectTimeoutMs?: number;
  /** The sockets (default: createTransport over the spec's endpoint). */
  transport?: (endpoint: DockerEndpoint, options: TransportOptions) => EngineTransport;
  /** The daemon calls over them (default: engineCalls); unit tests answer these without sockets. */
  calls?: (transport: EngineTransport, streams: Dockerode) => EngineCalls;
}

export type HostConnectionEvents = {
  state: [status: HostStatus];
  /** A container or network event from the daemon's /events stream. */
  event: [event: DockerEvent];
  /** After each successful (re)connect: time to list containers again. */
  online: [];
};

const EVENT_TYPES = ['container', 'network'] as const;

interface Session {
  readonly abort: AbortController;
  heartbeat?: Timer;
}

export class HostConnection extends EventEmitter<HostConnectionEvents> {
  /** For short API calls; kept-alive sockets over this host's transport. */
  readonly docker: Dockerode;
  /** For long-lived responses (logs/stats streams, attach): own sockets, so they never starve `docker`. */
  readonly streams: Dockerode;
  private readonly transport: EngineTransport;
  private readonly calls: EngineCalls;
  private current: HostStatus;
  private session: Session | undefined;
  private retryTimer: Timer | undefined;
  private attempt = 0;
  /** When the daemon last answered a heartbeat or a sample: a recent answer makes a ping redundant. */
  private lastAnswerAt = 0;
  private started = false;
  private closed = false;
  private shellSsh: SshConnectionSet<SshConnection> | undefined;

  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (msg: string) => void;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly connectTimeoutMs: number;

  constructor(
    readonly spec: HostSpec,
    deps: HostConnectionDeps = {},
  ) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? (() => {});
    this.pingIntervalMs = deps.pingIntervalMs ?? 2_000;
    this.pingTimeoutMs = deps.pingTimeoutMs ?? 2_000;
    this.connectTimeoutMs = deps.connectTimeoutMs ?? 10_000;

    this.transport = (deps.transport ?? createTransport)(spec.endpoint, {
      connectTimeoutMs: this.connectTimeoutMs,
      keepaliveIntervalMs: this.pingIntervalMs,
      clock: this.clock,
      log: (msg) => this.log(`${spec.name}: ${msg}`),
    });
    const { agents } = this.transport;
    this.docker = new Dockerode(this.transport.modemOptions(agents.request));
    this.streams = new Dockerode(this.transport.modemOptions(agents.stream));
    this.calls = (deps.calls ?? engineCalls)(this.transport, this.streams);
    this.current = {
      name: spec.name,
      address: spec.address,
      transport: this.transport.kind,
      labels: spec.labels,
      state: 'connecting',
      since: this.clock.now(),
    };
  }

  get status(): HostStatus {
    return { ...this.current };
  }

  /** Starts connecting; state changes and events follow. Call once, after attaching listeners. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    void this.connect();
  }

  /** Skips the rest of the backoff wait. No-op while connecting or online. */
  reconnectNow(): void {
    if (this.closed) return;
    if (!this.started) return this.start();
    if (this.session) return;
    void this.connect();
  }

  /** The host's SSH connection: the held one for ssh endpoints, else the first to `spec.ssh`. */
  async ssh(): Promise<SshConnection> {
    if (this.closed) throw new Error(`${this.spec.name}: connection closed`);
    if (this.transport.ssh) return this.transport.ssh();
    return this.shellConnections().primary();
  }

  /** Opens a long stream (a host shell) on whichever of the host's SSH connections has a free stream slot. */
  async sshStream<C extends StreamChannel>(open: (ssh: SshConnection) => Promise<C>): Promise<C> {
    if (this.closed) throw new Error(`${this.spec.name}: connection closed`);
    if (this.transport.sshStream) return this.transport.sshStream(open);
    return this.shellConnections().stream(open, (channel) => channel);
  }

  /** Over TLS, TCP or unix: SSH connections to `spec.ssh` for host shells only. */
  private shellConnections(): SshConnectionSet<SshConnection> {
    const target = this.spec.ssh;
    if (!target) throw new Error(`${this.spec.name}: no SSH access configured`);
    this.shellSsh ??= sshConnectionSet(target, {
      connectTimeoutMs: this.connectTimeoutMs,
      keepaliveIntervalMs: this.pingIntervalMs,
      clock: this.clock,
      log: (msg) => this.log(`${this.spec.name}: ${msg}`),
    });
    return this.shellSsh;
  }

  /** Sampling requests this host's transport carries at once. */
  get samplingSlots(): number {
    return this.transport.samplingSlots;
  }

  /**
   * A GET on the sampling sockets (stats): sockets of their own, and over SSH channels that give
   * way to every other call, so background polling never delays what the user asked for.
   */
  sample<T>(path: string, signal: AbortSignal): Promise<T> {
    return this.calls.get<T>('sampling', path, signal).then((value) => {
      this.lastAnswerAt = this.clock.now();
      return value;
    });
  }

  /** Releases timers, sockets and the SSH connection. No events are emitted afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearRetry();
    this.endSession();
    await Promise.all([this.transport.close(), this.shellSsh?.close(new Error(`${this.spec.name}: connection closed`))]);
  }

  private async connect(): Promise<void> {
    this.clearRetry();
    this.endSession();
    const session: Session = { abort: new AbortController() };
    this.session = session;
    this.setState('connecting', { problem: this.current.problem });
    try {
      // Subscribed before going online, so nothing happening during the fleet's re-list is missed.
      // /version then /info on one kept-alive control socket: at a thousand hosts, every extra
      // socket and request at connect time shows in the time to the full view and in memory.
      const [, engine] = await Promise.all([this.subscribeEvents(session), this.readEngine(session)]);
      if (session !== this.session) return;
      this.attempt = 0;
      this.setState('online', { engine });
      if (session !== this.session) return; // a 'state' listener closed us
      this.notify('online');
      this.scheduleHeartbeat(session);
    } catch (err) {
      this.fail(session, err);
    }
  }

  private async readEngine(session: Session): Promise<EngineInfo> {
    const version = await this.timed(session, 'GET /version', this.connectTimeoutMs, (signal) => this.get('/version', signal));
    const info = await this.timed(session, 'GET /info', this.connectTimeoutMs, (signal) => this.get('/info', signal));
    return toEngineInfo(version as object, info as object);
  }

  private ping(signal: AbortSignal): Promise<unknown> {
    return this.get('/_ping', signal);
  }

  /** Pings and the going-online calls, on control sockets of their own. */
  private get(path: string, signal: AbortSignal): Promise<unknown> {
    return this.calls.get('control', path, signal);
  }

  private async subscribeEvents(session: Session): Promise<void> {
    // The stream lives as long as the session: abort it with the session, not with the timeout.
    const response = await this.timed(session, 'GET /events', this.connectTimeoutMs, () => this.calls.events(EVENT_TYPES, session.abort.signal));
    const lost = (err: Error) => this.fail(session, err);
    const parse = ndjsonParser((value) => {
      if (isDockerEvent(value) && session === this.session) this.notify('event', value);
    }, lost);
    response.setEncoding('utf8');
    response.on('data', parse);
    response.on('error', lost);
    response.on('end', () => lost(new EventsClosedError()));
    response.on('close', () => lost(new EventsClosedError()));
  }

  private scheduleHeartbeat(session: Session): void {
    if (session !== this.session) return;
    session.heartbeat = this.clock.setTimeout(() => {
      // Sampled hosts answer every second or so; pinging them too doubled main's requests at scale.
      if (this.clock.now() - this.lastAnswerAt < this.pingIntervalMs) return this.scheduleHeartbeat(session);
      this.timed(session, 'heartbeat ping', this.pingTimeoutMs, (signal) => this.ping(signal)).then(
        () => {
          this.lastAnswerAt = this.clock.now();
          this.scheduleHeartbeat(session);
        },
        (err) => this.fail(session, err),
      );
    }, this.pingIntervalMs);
  }

  /** Runs `call`, rejecting with a timeout error after `ms` (and aborting the call). */
  private timed<T>(session: Session, what: string, ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const onSessionEnd = () => abort.abort();
    session.abort.signal.addEventListener('abort', onSessionEnd, { once: true });
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        reject(new EngineTimeoutError(what, ms));
        abort.abort();
      }, ms);
      const settle = () => {
        this.clock.clearTimeout(timer);
        session.abort.signal.removeEventListener('abort', onSessionEnd);
      };
      call(abort.signal).then(
        (value) => (settle(), resolve(value)),
        (err: unknown) => (settle(), reject(err)),
      );
    });
  }

  /** Takes the host out of service after a failure of `session`, and schedules the next attempt. */
  private fail(session: Session, err: unknown): void {
    if (this.closed || session !== this.session) return;
    this.endSession();
    const problem = classifyError(err);
    this.log(`${this.spec.name}: ${problem.reason}: ${problem.message}`);
    // After a timeout the link itself is suspect: drop the SSH connection too, not just sockets.
    this.transport.reset(problem.reason === 'timeout');
    const delay = backoffDelay(this.attempt++, this.random());
    this.setState(stateForProblem(problem.reason), { problem, retryAt: this.clock.now() + delay });
    if (this.closed) return; // a listener closed us
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
  }

  private endSession(): void {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    this.clock.clearTimeout(session.heartbeat);
    session.abort.abort();
  }

  private clearRetry(): void {
    if (this.retryTimer === undefined) return;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(state: HostState, extra: { problem?: HostProblem | undefined; retryAt?: number; engine?: EngineInfo } = {}): void {
    const { name, address, transport, labels } = this.current;
    const engine = extra.engine ?? this.current.engine; // the last known engine stays shown while offline
    this.current = {
      name,
      address,
      transport,
      labels,
      state,
      since: this.clock.now(),
      ...(extra.problem ? { problem: extra.problem } : {}),
      ...(extra.retryAt !== undefined ? { retryAt: extra.retryAt } : {}),
      ...(engine ? { engine } : {}),
    };
    this.notify('state', this.status);
  }

  /** A throwing listener must not derail this host's state machine. */
  private notify<E extends keyof HostConnectionEvents>(event: E, ...args: HostConnectionEvents[E]): void {
    try {
      (this.emit as (event: E, ...args: HostConnectionEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      this.log(`${this.spec.name}: '${event}' listener threw: ${(err as Error).message}`);
    }
  }
}
