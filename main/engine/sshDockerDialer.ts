// Reaches the Docker daemon through a held SSH connection: a direct-streamlocal channel to the
// daemon's unix socket (fast), or `docker system dial-stdio` where the server refuses that.
import type { ClientChannel } from 'ssh2';
import type { ChannelKind, PooledChannel } from '../ssh/channelPool';
import type { SshConnection } from '../ssh/sshConnection';

const DIAL_STDIO = 'docker system dial-stdio';
/** Honours sshd SetEnv DOCKER_HOST, as the docker CLI on the host would. */
const ECHO_DOCKER_HOST = 'echo ${DOCKER_HOST:-unix:///var/run/docker.sock}';

// SSH_MSG_CHANNEL_OPEN_FAILURE reasons meaning "not this kind of channel here".
const SSH_OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const SSH_OPEN_UNKNOWN_CHANNEL_TYPE = 3;

export class SshDockerDialer {
  private socketPath: Promise<string | undefined> | undefined;
  private streamLocalRefused = false;

  constructor(
    readonly ssh: SshConnection,
    private readonly log: (msg: string) => void,
  ) {}

  async dial(kind: ChannelKind): Promise<PooledChannel<ClientChannel>> {
    const socketPath = await this.daemonSocketPath();
    if (socketPath && !this.streamLocalRefused) {
      try {
        return await this.ssh.openStreamLocal(socketPath, kind);
      } catch (err) {
        if (!isRefusedChannelType(err)) throw err;
        this.streamLocalRefused = true;
        this.log(`stream-local forwarding refused by ${this.ssh.target.host}; using ${DIAL_STDIO}`);
      }
    }
    return this.dialStdio(kind);
  }

  /** A `docker system dial-stdio` exec channel: the docker CLI on the host relays to its daemon. */
  async dialStdio(kind: ChannelKind): Promise<PooledChannel<ClientChannel>> {
    const pooled = await this.ssh.exec(DIAL_STDIO, { kind });
    pooled.channel.stderr.on('data', (chunk: Buffer) => this.log(`dial-stdio: ${chunk.toString().trim()}`));
    return pooled;
  }

  /** The daemon's unix socket on the host, learnt once per connection; undefined if DOCKER_HOST is not unix://. */
  private daemonSocketPath(): Promise<string | undefined> {
    this.socketPath ??= this.ssh.run(ECHO_DOCKER_HOST).then(
      ({ stdout }) => {
        const dockerHost = stdout.trim();
        return dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : undefined;
      },
      (err: unknown) => {
        this.socketPath = undefined; // ask again on the next dial
        throw err;
      },
    );
    return this.socketPath;
  }
}

function isRefusedChannelType(err: unknown): boolean {
  const reason = (err as { reason?: unknown } | null)?.reason;
  return reason === SSH_OPEN_ADMINISTRATIVELY_PROHIBITED || reason === SSH_OPEN_UNKNOWN_CHANNEL_TYPE;
}
