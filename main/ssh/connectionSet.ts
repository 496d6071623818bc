// The SSH connections to one host: the held (primary) one, which carries short requests, control
// and sampling with its reserved slots, and extra ones that only carry long streams (shells, log
// followers, events) once the primary's stream slots are taken. sshd caps sessions per
// connection (MaxSessions 10), so a host's streams beyond one connection's share need another.
import type { Clock, Timer } from '../clock/clock';
import { DEFAULT_MAX_CHANNELS, DEFAULT_RESERVED_FOR_REQUESTS } from './channelPool';

/**
 * Connections per host at most, the primary included. Each one is an sshd process and a
 * handshake; three carry 6 + 7 + 7 = 20 streams, which covers issue 14's test load (10 shells,
 * 5 log followers and the events stream: 16) with room, while a runaway opener cannot fan out
 * into dozens of connections to one host.
 */
export const MAX_SSH_CONNECTIONS = 3;

/**
 * An extra connection with no channel left closes after this. Long enough that a log view or a
 * shell closed and reopened (switching views, a reconnect) reuses it instead of a new handshake
 * and authentication; short enough that a burst of streams leaves no sshd process held for long.
 */
export const EXTRA_IDLE_CLOSE_MS = 30_000;

/**
 * Request channels an extra connection keeps free: one, for the only short call it makes, the
 * daemon socket lookup when it starts (main/engine/sshDockerDialer.ts). Requests themselves stay
 * on the primary.
 */
export const EXTRA_RESERVED_FOR_REQUESTS = 1;

/** Stream slots of each connection, as its ChannelPool is configured. */
export const STREAM_SLOTS = {
  primary: DEFAULT_MAX_CHANNELS - DEFAULT_RESERVED_FOR_REQUESTS,
  extra: DEFAULT_MAX_CHANNELS - EXTRA_RESERVED_FOR_REQUESTS,
} as const;

export type ConnectionRole = keyof typeof STREAM_SLOTS;

/** What the set needs from a connection. */
export interface SetConnection {
  once(event: 'close', listener: () => void): unknown;
  close(): Promise<void>;
}

/** What the set needs from a stream it opened: to know when its slot is free again. */
export interface StreamChannel {
  once(event: 'close', listener: () => void): unknown;
}

export interface ConnectionSetOptions<C extends SetConnection> {
  /** Opens one connection (host-key checks and all); `role` picks its pool's reserved slots. */
  connect(role: ConnectionRole): Promise<C>;
  clock: Clock;
  log?: (msg: string) => void;
  /** Default MAX_SSH_CONNECTIONS. */
  maxConnections?: number;
  /** Default EXTRA_IDLE_CLOSE_MS. */
  idleCloseMs?: number;
  /** Stream slots per connection (default STREAM_SLOTS). */
  streamSlots?: Record<ConnectionRole, number>;
}

interface Entry<C> {
  readonly role: ConnectionRole;
  readonly connecting: Promise<C>;
  /** Streams routed here and not closed yet (including those still opening). */
  streams: number;
  idleTimer?: Timer;
  gone: boolean;
}

interface Waiter<C> {
  grant(entry: Entry<C>): void;
  reject(err: Error): void;
}

export class SshConnectionSet<C extends SetConnection> {
  private primaryEntry: Entry<C> | undefined;
  private readonly extras: Entry<C>[] = [];
  private readonly waiters: Waiter<C>[] = [];
  private closedWith: Error | undefined;
  private readonly max: number;
  private readonly idleCloseMs: number;
  private readonly slots: Record<ConnectionRole, number>;
  private readonly log: (msg: string) => void;

  constructor(private readonly options: ConnectionSetOptions<C>) {
    this.max = Math.max(1, options.maxConnections ?? MAX_SSH_CONNECTIONS);
    this.idleCloseMs = options.idleCloseMs ?? EXTRA_IDLE_CLOSE_MS;
    this.slots = options.streamSlots ?? STREAM_SLOTS;
    this.log = options.log ?? (() => {});
  }

  /** Connections open or connecting, the primary included. */
  get size(): number {
    return this.entries().length;
  }

  /** Streams routed to each connection (primary first), for tests and benchmarks. */
  get streams(): number[] {
    return this.entries().map((entry) => entry.streams);
  }

  /** The held connection, connecting if needed: requests, control and sampling go here. */
  primary(): Promise<C> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return (this.primaryEntry ??= this.open('primary')).connecting;
  }

  /**
   * Opens a long stream with `open` on the first connection that has a free stream slot, a new
   * connection when none has one (up to the cap), or, at the cap, the first that frees one.
   * Routing is synchronous, so concurrent callers never count the same slot twice.
   */
  async stream<T>(open: (connection: C) => Promise<T>, channelOf: (opened: T) => StreamChannel): Promise<T> {
    const entry = await this.slot();
    let value: T;
    try {
      value = await open(await entry.connecting);
    } catch (err) {
      this.released(entry);
      throw err;
    }
    channelOf(value).once('close', () => this.released(entry));
    return value;
  }

  /** Closes every connection; waiters are served by new ones (a stale link, not the end). */
  async drop(): Promise<void> {
    const entries = this.entries();
    this.primaryEntry = undefined;
    this.extras.splice(0);
    for (const entry of entries) this.forget(entry);
    await Promise.all(entries.map((entry) => closeEntry(entry)));
    this.serveWaiters();
  }

  /** Closes every connection and refuses everything later with `err`. */
  async close(err: Error): Promise<void> {
    this.closedWith ??= err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
    await this.drop();
  }

  private entries(): Entry<C>[] {
    return this.primaryEntry ? [this.primaryEntry, ...this.extras] : [...this.extras];
  }

  private slot(): Promise<Entry<C>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const entry = this.pick();
    if (entry) return Promise.resolve(this.assign(entry));
    return new Promise<Entry<C>>((grant, reject) => this.waiters.push({ grant, reject }));
  }

  /** The first connection with a free stream slot, else a new one while under the cap. */
  private pick(): Entry<C> | undefined {
    const free = this.entries().find((entry) => entry.streams < this.slots[entry.role]);
    if (free) return free;
    if (this.size >= this.max) return undefined;
    if (!this.primaryEntry) return (this.primaryEntry = this.open('primary'));
    const extra = this.open('extra');
    this.extras.push(extra);
    this.log(`opening SSH connection ${this.size} of ${this.max} for streams`);
    return extra;
  }

  private assign(entry: Entry<C>): Entry<C> {
    entry.streams++;
    this.options.clock.clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    return entry;
  }

  private released(entry: Entry<C>): void {
    entry.streams--;
    if (entry.gone) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.grant(this.assign(entry));
    if (entry.role === 'extra' && entry.streams === 0) {
      entry.idleTimer = this.options.clock.setTimeout(() => this.closeIdle(entry), this.idleCloseMs);
      entry.idleTimer.unref();
    }
  }

  private closeIdle(entry: Entry<C>): void {
    if (entry.gone || entry.streams > 0) return;
    this.log('closing an idle extra SSH connection');
    this.remove(entry);
    void closeEntry(entry);
  }

  private open(role: ConnectionRole): Entry<C> {
    const connecting = this.options.connect(role);
    const entry: Entry<C> = { role, connecting, streams: 0, gone: false };
    connecting.then(
      (connection) => connection.once('close', () => this.remove(entry)),
      (err: Error) => {
        // Fails only the streams routed here (they see `err`); the next stream tries again.
        if (role === 'extra') this.log(`extra SSH connection failed: ${err.message}`);
        this.remove(entry);
      },
    );
    return entry;
  }

  private remove(entry: Entry<C>): void {
    if (entry.gone) return;
    if (this.primaryEntry === entry) this.primaryEntry = undefined;
    const index = this.extras.indexOf(entry);
    if (index >= 0) this.extras.splice(index, 1);
    this.forget(entry);
    this.serveWaiters();
  }

  private forget(entry: Entry<C>): void {
    entry.gone = true;
    this.options.clock.clearTimeout(entry.idleTimer);
  }

  /** A connection went away: waiters may fit on a new one. */
  private serveWaiters(): void {
    while (this.waiters.length > 0 && !this.closedWith) {
      const entry = this.pick();
      if (!entry) return;
      this.waiters.shift()!.grant(this.assign(entry));
    }
  }
}

async function closeEntry<C extends SetConnection>(entry: Entry<C>): Promise<void> {
  const connection = await entry.connecting.catch(() => undefined);
  await connection?.close();
}
