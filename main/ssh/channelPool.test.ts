import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ChannelPool, type ChannelKind } from './channelPool';

class FakeChannel extends EventEmitter {
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
    queueMicrotask(() => this.emit('close'));
  }
}

/** A fake channel opener that records what it opened. */
function opener() {
  const opened: FakeChannel[] = [];
  return {
    opened,
    open: () => {
      const channel = new FakeChannel();
      opened.push(channel);
      return Promise.resolve(channel);
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelPool', () => {
  it('never has more than max channels open and queues the rest in order', async () => {
    const pool = new ChannelPool({ max: 8 });
    const fake = opener();
    const order: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) => pool.open('request', fake.open).then((p) => (order.push(i), p)));
    await settle();
    expect(fake.opened).toHaveLength(8);
    expect(pool.stats).toMatchObject({ open: 8, waiting: 12 });

    // Closing channels lets the waiting ones through, one for one.
    fake.opened[0]!.emit('close');
    fake.opened[1]!.emit('close');
    await settle();
    expect(fake.opened).toHaveLength(10);
    expect(pool.stats).toMatchObject({ open: 8, waiting: 10 });

    let closed = 2;
    while (closed < 20) {
      fake.opened[closed++]!.emit('close');
      await settle();
      expect(pool.stats.open).toBeLessThanOrEqual(8);
    }
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot when opening fails', async () => {
    const pool = new ChannelPool({ max: 1 });
    await expect(pool.open('request', () => Promise.reject(new Error('open failed')))).rejects.toThrow('open failed');
    expect(pool.stats.open).toBe(0);
    const fake = opener();
    await pool.open('request', fake.open);
    expect(pool.stats.open).toBe(1);
  });

  it('keeps slots for requests that held streams cannot take', async () => {
    const pool = new ChannelPool({ max: 4, reservedForRequests: 2 });
    const fake = opener();
    await pool.open('stream', fake.open);
    await pool.open('stream', fake.open);
    let thirdStream = false;
    void pool.open('stream', fake.open).then(() => (thirdStream = true));
    await settle();
    expect(thirdStream).toBe(false);

    // Requests pass the waiting stream.
    await pool.open('request', fake.open);
    await pool.open('request', fake.open);
    expect(pool.stats).toMatchObject({ open: 4, streams: 2, waiting: 1 });

    fake.opened[0]!.emit('close'); // a stream ends: the waiting stream takes its place
    await settle();
    expect(thirdStream).toBe(true);
    expect(pool.stats).toMatchObject({ open: 4, streams: 2, waiting: 0 });
  });

  it('serves background polling last, never from the reserved slots, and at most maxBackground at once', async () => {
    const pool = new ChannelPool({ max: 4, reservedForRequests: 1, maxBackground: 2 });
    const fake = opener();
    const got: string[] = [];
    const open = (kind: ChannelKind, label: string) => void pool.open(kind, fake.open).then(() => got.push(label));
    for (let i = 1; i <= 4; i++) open('background', `background ${i}`);
    await settle();
    expect(pool.stats).toMatchObject({ open: 2, background: 2, waiting: 2 });

    // A stream takes the third slot; the last one is reserved, so background waits even though a slot is free.
    open('stream', 'stream');
    await settle();
    expect(pool.stats).toMatchObject({ open: 3, background: 2, waiting: 2 });

    // Both background channels end while a request is queued behind the waiting background polls: the request goes first.
    open('request', 'request');
    await settle();
    expect(got).toEqual(['background 1', 'background 2', 'stream', 'request']);
    fake.opened[0]!.emit('close');
    fake.opened[1]!.emit('close');
    await settle();
    // Open: stream, request, and one background (the 4th slot stays reserved).
    expect(got.slice(4)).toEqual(['background 3']);
    expect(pool.stats).toMatchObject({ open: 3, background: 1, waiting: 1 });
  });

  it('lets a request pass background polls that wait for a slot', async () => {
    const pool = new ChannelPool({ max: 2, reservedForRequests: 0, maxBackground: 2 });
    const fake = opener();
    await pool.open('request', fake.open);
    await pool.open('request', fake.open);
    const got: string[] = [];
    void pool.open('background', fake.open).then(() => got.push('background'));
    void pool.open('request', fake.open).then(() => got.push('request'));
    fake.opened[0]!.emit('close');
    await settle();
    expect(got).toEqual(['request']);
  });

  it('closes a background channel when anything else would wait for a slot', async () => {
    const pool = new ChannelPool({ max: 3, reservedForRequests: 0, maxBackground: 2 });
    const fake = opener();
    await pool.open('stream', fake.open);
    await pool.open('background', fake.open);
    await pool.open('background', fake.open);
    let request = false;
    void pool.open('request', fake.open).then(() => (request = true));
    await settle();
    expect(request).toBe(true);
    expect(fake.opened.filter((c) => c.destroyed)).toHaveLength(1); // one poll gave its slot up, not both
    expect(pool.stats).toMatchObject({ open: 3, background: 1, waiting: 0 });
  });

  it('lets control channels (heartbeats) jump the queue', async () => {
    const pool = new ChannelPool({ max: 1 });
    const fake = opener();
    await pool.open('request', fake.open);
    const got: ChannelKind[] = [];
    void pool.open('request', fake.open).then(() => got.push('request'));
    void pool.open('control', fake.open).then(() => got.push('control'));
    fake.opened[0]!.emit('close');
    await settle();
    expect(got).toEqual(['control']);
  });

  it('closes idle kept-alive channels when someone waits, and not otherwise', async () => {
    const pool = new ChannelPool({ max: 2 });
    const fake = opener();
    const first = await pool.open('request', fake.open);
    const second = await pool.open('request', fake.open);
    first.setIdle(true);
    second.setIdle(true);
    expect(fake.opened.some((c) => c.destroyed)).toBe(false);
    expect(first.contended()).toBe(false);

    const third = pool.open('request', fake.open);
    expect(first.contended()).toBe(true);
    await third;
    expect(fake.opened.filter((c) => c.destroyed)).toHaveLength(1); // only as many as needed
    expect(pool.stats.open).toBe(2);
  });

  it('does not close a channel that was taken back into use', async () => {
    const pool = new ChannelPool({ max: 1 });
    const fake = opener();
    const only = await pool.open('request', fake.open);
    only.setIdle(true);
    only.setIdle(false);
    let got = false;
    void pool.open('request', fake.open).then(() => (got = true));
    await settle();
    expect(fake.opened[0]!.destroyed).toBe(false);
    expect(got).toBe(false);
    only.channel.emit('close');
    await settle();
    expect(got).toBe(true);
  });

  it('rejects waiters and later opens once closed', async () => {
    const pool = new ChannelPool({ max: 1 });
    const fake = opener();
    await pool.open('request', fake.open);
    const waiting = pool.open('request', fake.open);
    pool.close(new Error('ssh connection closed'));
    await expect(waiting).rejects.toThrow('ssh connection closed');
    await expect(pool.open('request', fake.open)).rejects.toThrow('ssh connection closed');
  });
});
