// Caps the channels open on one SSH connection and queues the rest.
// sshd refuses the 11th session by default (MaxSessions 10), and Node's http.Agent maxSockets
// does not cap an asynchronous createConnection, so the cap has to live here.

/**
 * control: heartbeats, jump the queue. request: short API calls. stream: held open (events, logs,
 * shells). background: polling nobody waits on (stats): served last, never from the slots
 * reserved for requests, at most `maxBackground` at once, and closed (its poll fails) when
 * anything else would otherwise wait for a slot.
 */
export type ChannelKind = 'control' | 'request' | 'stream' | 'background';

export interface PoolChannel {
  once(event: 'close', listener: () => void): unknown;
  destroy(): unknown;
}

export interface PooledChannel<C extends PoolChannel> {
  channel: C;
  /** Marks a kept-alive channel as idle; the pool closes idle channels when others wait. */
  setIdle(idle: boolean): void;
  /** True when someone is waiting for a channel: don't keep this one alive. */
  contended(): boolean;
}

export interface ChannelPoolOptions {
  /** Open channels at most (default 8, under sshd's MaxSessions of 10). */
  max?: number;
  /** Channels that streams and background polling may never take, so they cannot starve short requests (default 2). */
  reservedForRequests?: number;
  /** Background channels open at most (default 4). */
  maxBackground?: number;
}

export const DEFAULT_MAX_CHANNELS = 8;
export const DEFAULT_RESERVED_FOR_REQUESTS = 2;
export const DEFAULT_MAX_BACKGROUND = 4;

interface Waiter {
  kind: ChannelKind;
  grant: () => void;
  reject: (err: Error) => void;
}

export class ChannelPool {
  readonly max: number;
  private readonly maxStreams: number;
  private readonly reserved: number;
  private readonly maxBackground: number;
  private openCount = 0;
  private streamCount = 0;
  private backgroundCount = 0;
  private readonly waiters: Waiter[] = [];
  private readonly idle = new Set<PoolChannel>();
  private readonly background = new Set<PoolChannel>();
  private readonly evicting = new Set<PoolChannel>();
  private closedWith: Error | undefined;

  constructor(options: ChannelPoolOptions = {}) {
    this.max = Math.max(1, options.max ?? DEFAULT_MAX_CHANNELS);
    this.reserved = Math.min(this.max - 1, options.reservedForRequests ?? DEFAULT_RESERVED_FOR_REQUESTS);
    this.maxStreams = Math.max(1, this.max - this.reserved);
    this.maxBackground = Math.max(1, options.maxBackground ?? DEFAULT_MAX_BACKGROUND);
  }

  get stats(): { open: number; streams: number; background: number; waiting: number; idle: number } {
    return { open: this.openCount, streams: this.streamCount, background: this.backgroundCount, waiting: this.waiters.length, idle: this.idle.size };
  }

  /** Waits for a free slot, then opens a channel with `opener`; the slot is freed when the channel emits 'close'. */
  async open<C extends PoolChannel>(kind: ChannelKind, opener: () => Promise<C>): Promise<PooledChannel<C>> {
    await this.acquire(kind);
    let channel: C;
    try {
      channel = await opener();
    } catch (err) {
      this.release(kind);
      throw err;
    }
    if (kind === 'background') this.background.add(channel);
    channel.once('close', () => {
      this.idle.delete(channel);
      this.evicting.delete(channel);
      this.background.delete(channel);
      this.release(kind);
    });
    // A request may have queued while this channel was opening.
    if (kind === 'background') this.preemptBackground();
    return {
      channel,
      setIdle: (idle) => {
        if (idle) this.idle.add(channel);
        else this.idle.delete(channel);
        if (idle) this.evictIdleForWaiters();
      },
      contended: () => this.waitersNeedingSlots() > 0,
    };
  }

  /** Rejects everyone waiting and every later open. Open channels close with their connection. */
  close(err: Error): void {
    this.closedWith ??= err;
    for (const waiter of this.waiters.splice(0)) waiter.reject(err);
  }

  private acquire(kind: ChannelKind): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { kind, grant: resolve, reject };
      if (kind === 'control') this.waiters.unshift(waiter);
      else this.waiters.push(waiter);
      this.grantWaiters();
      this.evictIdleForWaiters();
      this.preemptBackground();
    });
  }

  private canGrant(kind: ChannelKind): boolean {
    if (this.openCount >= this.max) return false;
    if (kind === 'stream') return this.streamCount < this.maxStreams;
    if (kind === 'background') return this.backgroundCount < this.maxBackground && this.openCount < this.max - this.reserved;
    return true;
  }

  private take(kind: ChannelKind): void {
    this.openCount++;
    if (kind === 'stream') this.streamCount++;
    if (kind === 'background') this.backgroundCount++;
  }

  private release(kind: ChannelKind): void {
    this.openCount--;
    if (kind === 'stream') this.streamCount--;
    if (kind === 'background') this.backgroundCount--;
    this.grantWaiters();
  }

  private grantWaiters(): void {
    // First come, first served, except that a stream over its share lets requests behind it
    // pass, and background polling goes only when nobody else is waiting.
    for (const background of [false, true]) {
      for (let i = 0; i < this.waiters.length && this.openCount < this.max; ) {
        const waiter = this.waiters[i]!;
        if ((waiter.kind === 'background') !== background || !this.canGrant(waiter.kind)) {
          i++;
          continue;
        }
        this.waiters.splice(i, 1);
        this.take(waiter.kind);
        waiter.grant();
      }
    }
  }

  /** Whether one more free slot would serve this waiter (a stream or background poll over its share would still wait). */
  private couldUseSlot(waiter: Waiter): boolean {
    if (waiter.kind === 'stream') return this.streamCount < this.maxStreams;
    if (waiter.kind === 'background') return this.backgroundCount < this.maxBackground;
    return true;
  }

  private waitersNeedingSlots(): number {
    return this.waiters.filter((waiter) => this.couldUseSlot(waiter)).length;
  }

  /** Background polls give their slots up to anything else that waits for one (beyond evictions under way). */
  private preemptBackground(): void {
    let toClose = this.waiters.filter((waiter) => waiter.kind !== 'background' && this.couldUseSlot(waiter)).length - this.evicting.size;
    for (const channel of this.background) {
      if (toClose <= 0) break;
      if (this.evicting.has(channel)) continue;
      this.evicting.add(channel);
      channel.destroy();
      toClose--;
    }
  }

  /** Idle keep-alive channels hold slots; close them while anyone who could use a slot waits. */
  private evictIdleForWaiters(): void {
    let toEvict = this.waitersNeedingSlots() - this.evicting.size;
    for (const channel of this.idle) {
      if (toEvict-- <= 0) break;
      this.idle.delete(channel);
      this.evicting.add(channel);
      channel.destroy();
    }
  }
}
