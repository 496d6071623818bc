// An http.Agent whose sockets are SSH channels taken from a ChannelPool.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { ChannelKind, PooledChannel } from '../ssh/channelPool';

export type ChannelDialer = (kind: ChannelKind) => Promise<PooledChannel<ClientChannel>>;

export class ChannelAgent extends http.Agent {
  private readonly pooled = new WeakMap<Duplex, PooledChannel<ClientChannel>>();

  constructor(
    private readonly dial: ChannelDialer,
    private readonly kind: ChannelKind,
    options: http.AgentOptions,
  ) {
    super(options);
  }

  // Asynchronous: Node then calls us for every queued request at once (maxSockets does not
  // apply), which is why the pool, not this agent, caps the channels.
  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    this.dial(this.kind).then(
      (pooled) => {
        const socket = asHttpSocket(pooled.channel);
        this.pooled.set(socket, pooled);
        callback?.(null, socket);
      },
      (err: Error) => callback?.(err, undefined as never),
    );
    return undefined;
  }

  // An idle kept-alive socket holds a channel. Never park one while others wait for a channel
  // (they would wait forever); parked ones are marked idle so the pool can close them later.
  override keepSocketAlive(socket: Duplex): boolean {
    const pooled = this.pooled.get(socket);
    if (!pooled || pooled.contended()) return false;
    pooled.setIdle(true);
    return (super.keepSocketAlive as (socket: Duplex) => boolean)(socket);
  }

  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    this.pooled.get(socket)?.setIdle(false);
    super.reuseSocket(socket, request);
  }
}

/** Gives an SSH channel the few net.Socket methods Node's HTTP client calls. */
function asHttpSocket(channel: ClientChannel): Duplex {
  let timeoutMs = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = timeoutMs > 0 ? setTimeout(() => channel.emit('timeout'), timeoutMs).unref() : undefined;
  };
  // Inactivity counts incoming data only: adding a 'data' listener would change flowing mode.
  const push = channel.push.bind(channel);
  channel.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (timer) arm();
    return push(chunk, encoding);
  };
  channel.once('close', () => timer && clearTimeout(timer));
  return Object.assign(channel, {
    setTimeout(ms: number, onTimeout?: () => void) {
      timeoutMs = ms;
      if (onTimeout) channel.once('timeout', onTimeout);
      arm();
      return channel;
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  });
}
