// The terminal service on a fake clock, with a fake host whose SSH shell channel the test
// drives: output held while nobody watches, its replay and flow control, the orphan timeout.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FLOW_CONTROL, type TerminalEvent } from '../../shared/terminal';
import { FakeClock } from '../clock/fakeClock';
import type { SshConnection } from '../ssh/sshConnection';
import type { TerminalHost } from './shellSource';
import { TerminalService } from './terminalService';

/** The parts of an ssh2 ClientChannel a host shell uses, with what was done to it. */
class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  readonly written: string[] = [];
  writable = true;
  destroyed = false;
  paused = false;
  pauses = 0;
  resumes = 0;

  write(data: string): void {
    this.written.push(data);
  }
  setWindow(): void {}
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
    this.resumes++;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

function fakeHost(connect: () => Promise<FakeChannel>): TerminalHost {
  const ssh = { shell: connect } as unknown as SshConnection;
  return {
    spec: { name: 'h1', address: 'tcp://198.18.0.11:2376', endpoint: { kind: 'tcp', host: '198.18.0.11', port: 2376 }, labels: {}, ssh: { host: '198.18.0.11', port: 22, user: 'root', knownHostsFiles: [] } },
    status: { name: 'h1', address: 'tcp://198.18.0.11:2376', transport: 'tls', labels: {}, state: 'online', since: 0 },
    docker: undefined as never,
    streams: undefined as never,
    ssh: async () => ssh,
    sshStream: async (open) => open(ssh),
  };
}

const ORPHAN_MS = 60_000;
const SIZE = { rows: 24, cols: 80 };

async function setup() {
  const clock = new FakeClock();
  const channel = new FakeChannel();
  const terminals = new TerminalService({ host: (name) => (name === 'h1' ? fakeHost(async () => channel) : undefined), clock, orphanTimeoutMs: ORPHAN_MS });
  const opened = await terminals.open({ kind: 'host', host: 'h1' }, SIZE);
  if (!opened.ok) throw new Error(opened.message);
  return { clock, channel, terminals, id: opened.sessionId };
}

const dataOf = (events: TerminalEvent[]) => events.map((e) => (e.t === 'data' ? e.data : '')).join('');

describe('TerminalService held output', () => {
  it('holds output while nobody subscribes, pausing the source; replays it to the first subscriber, still unacked', async () => {
    const { clock, channel, terminals, id } = await setup();
    const chunk = 'x'.repeat(10_000);
    const chunks = Math.ceil((FLOW_CONTROL.highWatermark + 1) / chunk.length) + 1;
    for (let i = 0; i < chunks; i++) {
      channel.emit('data', Buffer.from(chunk));
      await clock.advance(10); // past the batcher's flush
    }
    const sent = chunks * chunk.length;
    expect(terminals.stats(id)).toMatchObject({ sentChars: sent, unacked: sent, pauses: 1 });
    expect(channel.paused).toBe(true);

    const events: TerminalEvent[] = [];
    terminals.subscribe(id, (event) => events.push(event));
    expect(dataOf(events)).toBe(chunk.repeat(chunks));
    expect(terminals.stats(id).unacked).toBe(sent); // replayed output is owed an ack like any other
    expect(channel.paused).toBe(true);

    terminals.ack(id, sent - FLOW_CONTROL.lowWatermark);
    expect(channel.paused).toBe(true); // not yet below the low watermark
    terminals.ack(id, 1);
    expect(channel.paused).toBe(false);
    expect(channel.resumes).toBe(1);

    channel.emit('data', Buffer.from('after'));
    await clock.advance(10);
    expect(dataOf(events).endsWith('after')).toBe(true);
    await terminals.close();
  });

  it('holds the exit too: a shell that ended unwatched reports its output, then its end', async () => {
    const { channel, terminals, id } = await setup();
    channel.emit('data', Buffer.from('bye\r\n'));
    channel.emit('exit', 0);
    channel.emit('close');
    const events: TerminalEvent[] = [];
    terminals.subscribe(id, (event) => events.push(event));
    expect(events).toEqual([
      { t: 'data', data: 'bye\r\n' },
      { t: 'exit', code: 0, message: 'exited with code 0' },
    ]);
    await terminals.close();
  });
});

describe('TerminalService orphan timeout', () => {
  it('closes a session nobody has watched for the timeout, and its shell', async () => {
    const { clock, channel, terminals, id } = await setup();
    await clock.advance(ORPHAN_MS - 1);
    expect(terminals.sessionIds).toEqual([id]);
    await clock.advance(1);
    expect(terminals.sessionIds).toEqual([]);
    expect(channel.destroyed).toBe(true);
  });

  it('never closes a watched session; the wait starts again when its last subscriber leaves', async () => {
    const { clock, channel, terminals, id } = await setup();
    await clock.advance(ORPHAN_MS / 2);
    const off = terminals.subscribe(id, () => {});
    await clock.advance(ORPHAN_MS * 10);
    expect(terminals.sessionIds).toEqual([id]);
    off();
    await clock.advance(ORPHAN_MS - 1);
    expect(terminals.sessionIds).toEqual([id]);
    expect(channel.destroyed).toBe(false);
    await clock.advance(1);
    expect(terminals.sessionIds).toEqual([]);
    expect(channel.destroyed).toBe(true);
  });
});

describe('TerminalService open', () => {
  it('gives up on a shell that does not open within 20 s, and closes it if it opens later', async () => {
    const clock = new FakeClock();
    const channel = new FakeChannel();
    let openShell!: (channel: FakeChannel) => void;
    const late = new Promise<FakeChannel>((resolve) => (openShell = resolve));
    const terminals = new TerminalService({ host: () => fakeHost(() => late), clock });
    const opening = terminals.open({ kind: 'host', host: 'h1' }, SIZE);
    await clock.advance(19_999);
    let result: Awaited<typeof opening> | undefined;
    void opening.then((r) => (result = r));
    await clock.advance(0);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toMatchObject({ ok: false, reason: 'error', message: expect.stringContaining('took longer than 20 s') });
    openShell(channel);
    await clock.advance(0);
    expect(channel.destroyed).toBe(true);
    expect(terminals.sessionIds).toEqual([]);
  });

  it('refuses a host that is not in the fleet', async () => {
    const terminals = new TerminalService({ host: () => undefined, clock: new FakeClock() });
    expect(await terminals.open({ kind: 'host', host: 'nowhere' }, SIZE)).toMatchObject({ ok: false, message: 'no host named "nowhere" in the fleet' });
  });
});
