// One held SSH connection to a host. Every channel on it (docker API sockets, exec, shells)
// goes through one ChannelPool so we never exceed what sshd allows per connection.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { Client, type AgentAuthMethod, type ClientChannel, type ConnectConfig, type PseudoTtyOptions, type PublicKeyAuthMethod, type ServerHostKeyAlgorithm } from 'ssh2';
import type { SshTarget } from '../fleet/spec';
import { ChannelPool, type ChannelKind, type ChannelPoolOptions, type PooledChannel } from './channelPool';
import { checkHostKey, formatKnownHostsLine, knownHostKeyAlgorithms, loadKnownHosts, type HostKeyVerdict } from './knownHosts';

/** Host key algorithms ssh2 1.x can verify. */
const SSH2_HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * ssh2 buffers up to 2 MB in a channel nobody reads before it stops granting the server window,
 * and the server may then still send a full 2 MB window. A paused shell would hold 4 MB; with
 * this cap it holds at most one window.
 */
const CHANNEL_READ_BUFFER = 64 * 1024;

export interface SshConnectOptions {
  /** Handshake and authentication must finish within this (default 10 s). */
  connectTimeoutMs?: number;
  /** SSH-level keepalive, so a dead link closes the connection (default 5 s, 2 misses). */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  maxChannels?: number;
  /** Channels kept for short requests (default: the ChannelPool's). */
  reservedForRequests?: number;
  log?: (msg: string) => void;
}

/** The server's host key is unknown, changed or revoked. Carries what a "trust this key" prompt needs. */
export class HostKeyError extends Error {
  readonly code = 'ERR_SSH_HOST_KEY';
  constructor(
    readonly verdict: Exclude<HostKeyVerdict, { status: 'match' }>,
    readonly host: string,
    readonly port: number,
    readonly key: Buffer,
  ) {
    super(hostKeyMessage(verdict, host, port));
    this.name = 'HostKeyError';
  }

  /** The known_hosts line that would trust this key. */
  get knownHostsLine(): string {
    return formatKnownHostsLine(this.host, this.port, this.key);
  }
}

function hostKeyMessage(verdict: HostKeyVerdict, host: string, port: number): string {
  const where = port === 22 ? host : `${host}:${port}`;
  switch (verdict.status) {
    case 'unknown':
      return `unknown host key ${verdict.fingerprint} for ${where}`;
    case 'mismatch':
      return `host key for ${where} changed: server offered ${verdict.fingerprint}, which does not match known_hosts`;
    case 'revoked':
      return `host key ${verdict.fingerprint} for ${where} is revoked in known_hosts`;
    case 'match':
      return `host key ${verdict.fingerprint} accepted`;
  }
}

/**
 * Every key in order (unusable ones, e.g. encrypted, are skipped by ssh2), then the agent's keys.
 * Explicit keys go first: an agent holding many keys could use up sshd's MaxAuthTries before them.
 */
function authMethods(target: SshTarget): (PublicKeyAuthMethod | AgentAuthMethod)[] {
  const username = target.user;
  const keys = [target.privateKey, ...(target.extraPrivateKeys ?? [])].filter((key): key is Buffer => key !== undefined);
  const methods: (PublicKeyAuthMethod | AgentAuthMethod)[] = keys.map((key) => ({ type: 'publickey', username, key }));
  if (target.agentSocket) methods.push({ type: 'agent', username, agent: target.agentSocket });
  return methods;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type SshConnectionEvents = { close: [err: Error | undefined] };

export class SshConnection extends EventEmitter<SshConnectionEvents> {
  private readonly pool: ChannelPool;
  /** Channels whose 'close' has not been emitted yet. */
  private readonly live = new Set<ClientChannel>();
  private isClosed = false;
  private closeError: Error | undefined;

  private constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    pool: ChannelPoolOptions,
  ) {
    super();
    this.pool = new ChannelPool(pool);
    client.on('error', (err) => {
      this.closeError ??= err;
    });
    client.on('close', () => {
      this.isClosed = true;
      const err = this.closeError ?? Object.assign(new Error('ssh connection closed'), { code: 'ECONNRESET' });
      this.pool.close(err);
      // ssh2 closes its channels right after this event, except those nobody is reading,
      // which never get 'close'. Their users (HTTP sockets, shells) must still hear about it.
      setImmediate(() => {
        for (const channel of this.live) {
          Duplex.prototype.destroy.call(channel);
          channel.emit('close');
        }
      });
      this.emit('close', this.closeError);
    });
  }

  /** Connects, verifying the host key against the target's known_hosts files. */
  static async connect(target: SshTarget, options: SshConnectOptions = {}): Promise<SshConnection> {
    const knownHosts = await loadKnownHosts(target.knownHostsFiles);
    const client = new Client();
    let hostKeyError: HostKeyError | undefined;
    const preferred = knownHostKeyAlgorithms(knownHosts, target.host, target.port).filter(
      (algorithm): algorithm is ServerHostKeyAlgorithm => (SSH2_HOST_KEY_ALGORITHMS as string[]).includes(algorithm),
    );
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: options.connectTimeoutMs ?? 10_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 5_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 2,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(knownHosts, target.host, target.port, key);
        if (verdict.status === 'match') return true;
        hostKeyError = new HostKeyError(verdict, target.host, target.port, key);
        return false;
      },
      // Ask for the key types known_hosts has first, or a host known by its RSA key would fail over ed25519.
      ...(preferred.length > 0 ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } } : {}),
      authHandler: authMethods(target),
    };
    return new Promise<SshConnection>((resolve, reject) => {
      const onError = (err: Error) => {
        client.removeListener('ready', onReady);
        client.on('error', () => {}); // late errors while tearing down
        client.end();
        reject(hostKeyError ?? err);
      };
      const onReady = () => {
        client.removeListener('error', onError);
        // A keystroke is one small packet: under Nagle it waited for the ACK of the last one (and
        // Linux delays ACKs 40 ms): the bench's idle-prompt echo over SSH was 57 ms, TLS 27 ms.
        client.setNoDelay(true);
        const pool: ChannelPoolOptions = {
          ...(options.maxChannels === undefined ? {} : { max: options.maxChannels }),
          ...(options.reservedForRequests === undefined ? {} : { reservedForRequests: options.reservedForRequests }),
        };
        resolve(new SshConnection(client, target, pool));
      };
      client.once('error', onError);
      client.once('ready', onReady);
      try {
        client.connect(config);
      } catch (err) {
        onError(err as Error);
      }
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get channels(): ChannelPool['stats'] {
    return this.pool.stats;
  }

  /** A direct-streamlocal channel to a unix socket on the host (OpenSSH extension). */
  openStreamLocal(socketPath: string, kind: ChannelKind = 'request'): Promise<PooledChannel<ClientChannel>> {
    return this.openChannel(kind, (done) => this.client.openssh_forwardOutStreamLocal(socketPath, done));
  }

  exec(command: string, options: { kind?: ChannelKind; pty?: PseudoTtyOptions } = {}): Promise<PooledChannel<ClientChannel>> {
    const execOptions = options.pty ? { pty: options.pty } : {};
    return this.openChannel(options.kind ?? 'request', (done) => this.client.exec(command, execOptions, done));
  }

  /** An interactive login shell; counts against the channel cap like everything else. */
  async shell(pty: PseudoTtyOptions = {}): Promise<ClientChannel> {
    const pooled = await this.openChannel('stream', (done) => this.client.shell(pty, done));
    return pooled.channel;
  }

  /** Runs a short command and collects its output. */
  async run(command: string): Promise<RunResult> {
    const { channel } = await this.exec(command);
    return new Promise<RunResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      channel.on('data', (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      channel.on('error', reject);
      channel.once('close', (code: number | null) =>
        resolve({ code: code ?? null, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }),
      );
    });
  }

  /** Ends the connection; resolves once the socket is closed. */
  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.once('close', () => resolve());
      this.client.end();
    });
  }

  private openChannel(
    kind: ChannelKind,
    open: (done: (err: Error | undefined, channel: ClientChannel) => void) => void,
  ): Promise<PooledChannel<ClientChannel>> {
    return this.pool.open(kind, () => {
      if (this.isClosed) return Promise.reject(this.closeError ?? new Error('ssh connection closed'));
      return new Promise<ClientChannel>((resolve, reject) => {
        try {
          open((err, channel) => {
            if (err) return reject(err);
            channel.on('error', () => {}); // reported to whoever reads the channel; never uncaught
            (channel as unknown as { _readableState: { highWaterMark: number } })._readableState.highWaterMark = CHANNEL_READ_BUFFER;
            this.live.add(channel);
            channel.once('close', () => this.live.delete(channel));
            resolve(this.closeOnDestroy(channel));
          });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  }

  /**
   * ssh2 emits a channel's 'close' only once its readable side has ended, which never happens if
   * nobody reads it any more, and its destroy() leaves `destroyed` false, so an http.Agent would
   * still hand the socket out. Marking the stream destroyed fixes both: 'close' (and the pool
   * slot) follows the server's CHANNEL_CLOSE.
   */
  private closeOnDestroy(channel: ClientChannel): ClientChannel {
    const sendClose = channel.destroy.bind(channel); // ssh2: end() + CHANNEL_CLOSE
    channel.destroy = ((err?: Error) => {
      if (channel.destroyed) return channel;
      if (!this.isClosed) sendClose();
      Duplex.prototype.destroy.call(channel, err);
      return channel;
    }) as ClientChannel['destroy'];
    return channel;
  }
}
