import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock, settle } from '../clock/fakeClock';
import { ChannelPool, type ChannelKind } from './channelPool';
import { EXTRA_IDLE_CLOSE_MS, EXTRA_RESERVED_FOR_REQUESTS, MAX_SSH_CONNECTIONS, SshConnectionSet, STREAM_SLOTS, type ConnectionRole } from './connectionSet';

class FakeChannel extends EventEmitter {
  constructor(readonly host: FakeConnection) {
    super();
  }
  close(): void {
    this.emit('close');
  }
  destroy(): void {
    this.close();
  }
}

/** A connection whose channels go through a real ChannelPool configured as SshConnection's. */
class FakeConnection extends EventEmitter {
  closed = false;
  readonly channels: FakeChannel[] = [];
  readonly pool: ChannelPool;
  constructor(
    readonly id: number,
    readonly role: ConnectionRole,
  ) {
    super();
    this.pool = new ChannelPool(role === 'extra' ? { reservedForRequests: EXTRA_RESERVED_FOR_REQUESTS } : {});
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
  async channel(kind: ChannelKind = 'stream'): Promise<FakeChannel> {
    const { channel } = await this.pool.open(kind, async () => new FakeChannel(this));
    this.channels.push(channel);
    return channel;
  }
}

/** A fake connection factory: connects at once, or fails the calls listed in `failing`. */
function setup(failing = new Set<number>()) {
  const clock = new FakeClock();
  const made: FakeConnection[] = [];
  const set = new SshConnectionSet<FakeConnection>({
    clock,
    connect: async (role) => {
      const connection = new FakeConnection(made.length, role);
      made.push(connection);
      if (failing.has(connection.id)) throw new Error(`connect ${connection.id} refused: host key mismatch`);
      return connection;
    },
  });
  const stream = () => set.stream((connection) => connection.channel(), (channel) => channel);
  return { clock, made, set, stream };
}

describe('SshConnectionSet', () => {
  it('puts streams on the primary until its stream slots are taken, then on an extra connection', async () => {
    const { made, set, stream } = setup();
    const primary = await set.primary();
    const first = await Promise.all(Array.from({ length: STREAM_SLOTS.primary }, stream));
    expect(first.every((channel) => channel.host === primary)).toBe(true);
    expect(made).toHaveLength(1);

    const next = await stream();
    expect(made.map((connection) => connection.role)).toEqual(['primary', 'extra']);
    expect(next.host).toBe(made[1]);
    expect(set.streams).toEqual([STREAM_SLOTS.primary, 1]);
  });

  it('routes concurrent streams without counting a slot twice, and opens no more than the cap', async () => {
    const { made, set, stream } = setup();
    const capacity = STREAM_SLOTS.primary + (MAX_SSH_CONNECTIONS - 1) * STREAM_SLOTS.extra;
    const opened: FakeChannel[] = [];
    const all = Array.from({ length: capacity + 3 }, () => stream().then((channel) => opened.push(channel)));
    await settle();
    expect(made).toHaveLength(MAX_SSH_CONNECTIONS);
    expect(opened).toHaveLength(capacity);
    expect(set.streams).toEqual([STREAM_SLOTS.primary, STREAM_SLOTS.extra, STREAM_SLOTS.extra]);
    for (const connection of made) {
      expect(connection.channels.length).toBeLessThanOrEqual(STREAM_SLOTS[connection.role]);
    }

    // At the cap, the waiting streams take the first slots that free up, wherever they are.
    made[2]!.channels[0]!.close();
    made[0]!.channels[0]!.close();
    await settle();
    expect(opened).toHaveLength(capacity + 2);
    expect(opened.slice(capacity).map((channel) => channel.host.id)).toEqual([2, 0]);
    made[1]!.channels[3]!.close();
    await Promise.all(all);
    expect(made).toHaveLength(MAX_SSH_CONNECTIONS);
  });

  it('fills a freed slot on the primary before an extra connection', async () => {
    const { made, stream } = setup();
    const primaryStreams = await Promise.all(Array.from({ length: STREAM_SLOTS.primary }, stream));
    await stream(); // on the extra
    primaryStreams[0]!.close();
    expect((await stream()).host).toBe(made[0]);
    expect(made).toHaveLength(2);
  });

  it('keeps requests on the primary whatever the streams do', async () => {
    const { set, stream } = setup();
    const primary = await set.primary();
    await Promise.all(Array.from({ length: STREAM_SLOTS.primary + 2 }, stream));
    expect(await set.primary()).toBe(primary);
    expect(set.size).toBe(2);
  });

  it('fills every stream slot of each pool and no more, while the primary keeps its reserved request slots', async () => {
    const { made, set, stream } = setup();
    const capacity = STREAM_SLOTS.primary + (MAX_SSH_CONNECTIONS - 1) * STREAM_SLOTS.extra;
    await Promise.all(Array.from({ length: capacity }, stream));
    for (const connection of made) {
      expect(connection.pool.stats).toMatchObject({ streams: STREAM_SLOTS[connection.role], waiting: 0 });
    }
    const primary = await set.primary();
    await Promise.all(Array.from({ length: primary.pool.max - STREAM_SLOTS.primary }, () => primary.channel('request')));
    expect(primary.pool.stats).toMatchObject({ open: primary.pool.max, waiting: 0 });
  });

  it('closes an extra connection left with no stream after the idle time, never the primary', async () => {
    const { clock, made, set, stream } = setup();
    const primaryStreams = await Promise.all(Array.from({ length: STREAM_SLOTS.primary }, stream));
    const extraStream = await stream();
    extraStream.close();
    for (const channel of primaryStreams) channel.close();
    await clock.advance(EXTRA_IDLE_CLOSE_MS - 1);
    expect(made[1]!.closed).toBe(false);
    await clock.advance(1);
    expect(made[1]!.closed).toBe(true);
    expect(made[0]!.closed).toBe(false);
    expect(set.size).toBe(1);
  });

  it('keeps an idle extra connection that a new stream takes before the idle time ends', async () => {
    const { clock, made, stream } = setup();
    await Promise.all(Array.from({ length: STREAM_SLOTS.primary }, stream));
    (await stream()).close();
    await clock.advance(EXTRA_IDLE_CLOSE_MS / 2);
    const again = await stream();
    expect(again.host).toBe(made[1]);
    await clock.advance(EXTRA_IDLE_CLOSE_MS * 2);
    expect(made[1]!.closed).toBe(false);
    again.close();
    await clock.advance(EXTRA_IDLE_CLOSE_MS);
    expect(made[1]!.closed).toBe(true);
  });

  it('fails only the streams routed to an extra connection that cannot connect, with its reason', async () => {
    const { made, set, stream } = setup(new Set([1]));
    const onPrimary = await Promise.all(Array.from({ length: STREAM_SLOTS.primary }, stream));
    await expect(stream()).rejects.toThrow('connect 1 refused: host key mismatch');
    expect(onPrimary.every((channel) => channel.host === made[0])).toBe(true);
    expect(set.size).toBe(1);
    // The next stream tries a new connection.
    expect((await stream()).host).toBe(made[2]);
  });

  it('a connection that drops frees its slots: its streams go elsewhere next time', async () => {
    const { made, set, stream } = setup();
    await Promise.all(Array.from({ length: STREAM_SLOTS.primary + 1 }, stream));
    await made[1]!.close();
    expect(set.size).toBe(1);
    expect((await stream()).host).toBe(made[2]);
  });

  it('serves waiting streams from a new connection when one at the cap goes away', async () => {
    const { made, stream } = setup();
    const capacity = STREAM_SLOTS.primary + (MAX_SSH_CONNECTIONS - 1) * STREAM_SLOTS.extra;
    await Promise.all(Array.from({ length: capacity }, stream));
    const waiting = stream();
    await settle();
    await made[2]!.close();
    expect((await waiting).host).toBe(made[3]);
  });

  it('after close, refuses waiting and later streams and closes every connection', async () => {
    const { made, set, stream } = setup();
    const capacity = STREAM_SLOTS.primary + (MAX_SSH_CONNECTIONS - 1) * STREAM_SLOTS.extra;
    await Promise.all(Array.from({ length: capacity }, stream));
    const waiting = stream();
    await set.close(new Error('host connection closed'));
    await expect(waiting).rejects.toThrow('host connection closed');
    await expect(stream()).rejects.toThrow('host connection closed');
    await expect(set.primary()).rejects.toThrow('host connection closed');
    expect(made.every((connection) => connection.closed)).toBe(true);
  });

  it('drop closes every connection and reconnects on the next call', async () => {
    const { made, set, stream } = setup();
    await Promise.all(Array.from({ length: STREAM_SLOTS.primary + 1 }, stream));
    await set.drop();
    expect(made.every((connection) => connection.closed)).toBe(true);
    expect(await set.primary()).toBe(made[2]);
  });
});
