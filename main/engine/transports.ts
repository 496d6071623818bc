// The sockets behind one host's dockerode instances: which agent, over which wire.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { inspect } from 'node:util';
import type Dockerode from 'dockerode';
import type { Transport } from '../../shared/model';
import type { Clock } from '../clock/clock';
import type { DockerEndpoint, SshTarget } from '../fleet/spec';
import type { ClientChannel } from 'ssh2';
import { DEFAULT_MAX_BACKGROUND, type ChannelKind, type PooledChannel } from '../ssh/channelPool';
import { EXTRA_RESERVED_FOR_REQUESTS, SshConnectionSet, type StreamChannel } from '../ssh/connectionSet';
import { SshConnection } from '../ssh/sshConnection';
import { ChannelAgent } from './channelAgent';
import { EngineTimeoutError } from './problems';
import { SshDockerDialer } from './sshDockerDialer';

/**
 * request: short calls (keep-alive). stream: long-lived responses, never sharing a socket.
 * control: ping/version/info. sampling: background polling (stats), capped per host and, over
 * SSH, yielding channels to everything else.
 */
export type AgentRole = 'request' | 'stream' | 'control' | 'sampling';

/** docker-modem takes an agent; @types/dockerode does not list it. */
export type ModemOptions = Dockerode.DockerOptions & { agent: http.Agent };

export interface EngineTransport {
  readonly kind: Transport;
  readonly agents: Record<AgentRole, http.Agent>;
  /** docker-modem options sending every call through `agent`. */
  modemOptions(agent: http.Agent): ModemOptions;
  /** Where a plain http(s).request goes (with `agent` added), for calls made without docker-modem. */
  readonly requestTarget: RequestTarget;
  /** Sampling requests this transport carries at once (SSH: the channel pool's background share). */
  readonly samplingSlots: number;
  /** Drops every socket after a failure; `stale` also drops the SSH connection behind them. */
  reset(stale: boolean): void;
  /** The held SSH connection (ssh endpoints only), connecting if needed. */
  ssh?(): Promise<SshConnection>;
  /** Opens a long stream (a shell) on whichever of the host's SSH connections has a free stream slot (ssh endpoints only). */
  sshStream?<C extends StreamChannel>(open: (ssh: SshConnection) => Promise<C>): Promise<C>;
  close(): Promise<void>;
}

export interface RequestTarget {
  readonly secure: boolean;
  readonly options: { host?: string; port?: number; socketPath?: string };
}

/**
 * Stats requests in flight per host over TLS, TCP or unix sockets. dockerd (20.10 here) answers
 * a one-shot stats request at its stats collector's next 1 s cycle, so a request takes up to a
 * second however cheap it is: sampling N containers a second takes N in flight.
 */
export const SAMPLING_SOCKETS = 16;
/** Idle sampling sockets close after this: bursts (a thousand hosts starting) leave nothing held. */
const SAMPLING_IDLE_MS = 15_000;

export interface TransportOptions {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Runs the connect deadline of TCP, TLS and unix sockets. */
  clock: Clock;
  log: (msg: string) => void;
}

// docker-modem merges DOCKER_HOST / DOCKER_CERT_PATH from the environment into its options:
// every field it would read is set here so the environment can never redirect a host.
const NO_ENVIRONMENT: Dockerode.DockerOptions = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  timeout: undefined,
  pathPrefix: '/',
} as Dockerode.DockerOptions;

export function createTransport(endpoint: DockerEndpoint, options: TransportOptions): EngineTransport {
  switch (endpoint.kind) {
    case 'tcp':
      return tcpTransport(endpoint, options);
    case 'unix':
      return unixTransport(endpoint.socketPath, options);
    case 'ssh':
      return new SshTransport(endpoint.target, options);
  }
}

function agentSet<A extends http.Agent>(make: (role: AgentRole) => A): Record<AgentRole, A> {
  return {
    request: cheapToInspect(make('request')),
    stream: cheapToInspect(make('stream')),
    control: cheapToInspect(make('control')),
    sampling: cheapToInspect(make('sampling')),
  };
}

/** Socket pool options by role: keep-alive except for streams, and the sampling role capped. */
function agentOptions(role: AgentRole): http.AgentOptions {
  if (role === 'sampling') return { keepAlive: true, maxSockets: SAMPLING_SOCKETS, maxFreeSockets: SAMPLING_SOCKETS, timeout: SAMPLING_IDLE_MS };
  return { keepAlive: role !== 'stream', maxFreeSockets: 8 };
}

/**
 * docker-modem runs util.inspect(requestOptions, { showHidden: true, depth: null }) on every
 * request, debug log or not. The options hold our agent, and through it every socket (with
 * SSH: the whole ssh2 client): ~300 ms of blocked event loop per request. Print a name instead.
 */
function cheapToInspect<A extends http.Agent>(agent: A): A {
  return Object.assign(agent, { [inspect.custom]: () => `[${agent.constructor.name}]` });
}

function destroyAll(agents: Record<AgentRole, http.Agent>): void {
  for (const agent of Object.values(agents)) agent.destroy();
}

function tcpTransport(endpoint: Extract<DockerEndpoint, { kind: 'tcp' }>, options: TransportOptions): EngineTransport {
  const tls = endpoint.tls;
  const agents = agentSet((role) => {
    const agent = tls
      ? new https.Agent({ ...agentOptions(role), ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: true })
      : new http.Agent(agentOptions(role));
    return withConnectTimeout(agent, options);
  });
  return {
    kind: tls ? 'tls' : 'tcp',
    agents,
    requestTarget: { secure: Boolean(tls), options: { host: endpoint.host, port: endpoint.port } },
    samplingSlots: SAMPLING_SOCKETS,
    modemOptions: (agent): ModemOptions => ({
      ...NO_ENVIRONMENT,
      protocol: tls ? 'https' : 'http',
      host: endpoint.host,
      port: endpoint.port,
      // The agent's options win over these; set both so neither side can fall back to defaults.
      ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
      agent,
    }),
    reset: () => destroyAll(agents),
    close: async () => destroyAll(agents),
  };
}

function unixTransport(socketPath: string, options: TransportOptions): EngineTransport {
  const agents = agentSet((role) => withConnectTimeout(new http.Agent(agentOptions(role)), options));
  return {
    kind: 'unix',
    agents,
    requestTarget: { secure: false, options: { socketPath } },
    samplingSlots: SAMPLING_SOCKETS,
    modemOptions: (agent): ModemOptions => ({ ...NO_ENVIRONMENT, protocol: 'http', socketPath, agent }),
    reset: () => destroyAll(agents),
    close: async () => destroyAll(agents),
  };
}

/** Node has no connect timeout: a host that drops SYNs would hang a request for minutes. */
function withConnectTimeout<A extends http.Agent>(agent: A, { connectTimeoutMs: ms, clock }: TransportOptions): A {
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = createConnection(connectOptions, callback);
    if (socket instanceof net.Socket && socket.connecting) {
      const timer = clock.setTimeout(() => socket.destroy(new EngineTimeoutError('connect', ms)), ms);
      const clear = () => clock.clearTimeout(timer);
      socket.once('connect', clear);
      socket.once('close', clear);
    }
    return socket;
  };
  return agent;
}

/**
 * SSH: every docker socket is a channel on one of the host's SSH connections. Requests, control
 * and sampling take the held (primary) one; long streams take the first with a free stream slot,
 * extra connections opening when none has one (main/ssh/connectionSet.ts).
 */
class SshTransport implements EngineTransport {
  readonly kind = 'ssh' as const;
  readonly agents: Record<AgentRole, ChannelAgent>;
  // The agent ignores host and port; they only end up in the Host header.
  readonly requestTarget: RequestTarget = { secure: false, options: { host: 'docker', port: 80 } };
  readonly samplingSlots = DEFAULT_MAX_BACKGROUND;
  private readonly connections: SshConnectionSet<SshConnection>;
  private readonly dialers = new WeakMap<SshConnection, SshDockerDialer>();

  constructor(
    private readonly target: SshTarget,
    private readonly options: TransportOptions,
  ) {
    this.connections = sshConnectionSet(target, options);
    const channelKind = { request: 'request', stream: 'stream', control: 'control', sampling: 'background' } as const;
    this.agents = agentSet(
      (role) =>
        new ChannelAgent((kind) => this.dial(kind), channelKind[role], {
          // A kept-alive background channel would sit idle on the pool's background quota while
          // the next sample waits for that quota; a channel open is one round trip on the held link.
          keepAlive: role !== 'stream' && role !== 'sampling',
        }),
    );
  }

  modemOptions(agent: http.Agent): ModemOptions {
    return { ...NO_ENVIRONMENT, protocol: 'http', ...this.requestTarget.options, agent };
  }

  ssh(): Promise<SshConnection> {
    return this.connections.primary();
  }

  sshStream<C extends StreamChannel>(open: (ssh: SshConnection) => Promise<C>): Promise<C> {
    return this.connections.stream(open, (channel) => channel);
  }

  reset(stale: boolean): void {
    destroyAll(this.agents);
    if (stale) void this.connections.drop();
  }

  async close(): Promise<void> {
    destroyAll(this.agents);
    await this.connections.close(new Error('host connection closed'));
  }

  private dial(kind: ChannelKind): Promise<PooledChannel<ClientChannel>> {
    if (kind === 'stream') return this.connections.stream((ssh) => this.dialer(ssh).dial(kind), (pooled) => pooled.channel);
    return this.connections.primary().then((ssh) => this.dialer(ssh).dial(kind));
  }

  private dialer(ssh: SshConnection): SshDockerDialer {
    let dialer = this.dialers.get(ssh);
    if (!dialer) {
      dialer = new SshDockerDialer(ssh, this.options.log);
      this.dialers.set(ssh, dialer);
    }
    return dialer;
  }
}

/** The SSH connections to one host, each verifying the host key as the first one does. */
export function sshConnectionSet(target: SshTarget, options: Pick<TransportOptions, 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'clock' | 'log'>): SshConnectionSet<SshConnection> {
  return new SshConnectionSet<SshConnection>({
    clock: options.clock,
    log: options.log,
    connect: (role) =>
      SshConnection.connect(target, {
        connectTimeoutMs: options.connectTimeoutMs,
        keepaliveIntervalMs: options.keepaliveIntervalMs,
        ...(role === 'extra' ? { reservedForRequests: EXTRA_RESERVED_FOR_REQUESTS } : {}),
      }).then((ssh) => {
        ssh.once('close', (err) => options.log(`${role} ssh connection to ${target.host} closed${err ? `: ${err.message}` : ''}`));
        return ssh;
      }),
  });
}
