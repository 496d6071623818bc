// The terminal service on a fake clock, with a fake host whose SSH shell channel the test
// drives: output held while nobody watches, its replay and flow control, the orphan timeout.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TerminalEvent } from '../../shared/terminal';
import { FakeClock } from '../clock/fakeClock';
import type { SshConnection } from '../ssh/sshConnection';
import type { TerminalHost } from './shellSource';
import { BATCH_MAX_CHARS, DataBatcher } from './dataBatcher';
import { SKIP_AHEAD } from './skipAhead';
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
  it('holds output while nobody subscribes, up to SKIP_ABOVE; replays it to the first subscriber, still unacked', async () => {
    const { clock, channel, terminals, id } = await setup();
    const chunk = 'x'.repeat(10_000);
    const chunks = Math.floor(SKIP_AHEAD.skipAbove / chunk.length);
    for (let i = 0; i < chunks; i++) {
      channel.emit('data', Buffer.from(chunk));
      await clock.advance(10); // past the batcher's flush
    }
    const sent = chunks * chunk.length;
    expect(terminals.stats(id)).toMatchObject({ sentChars: sent, unacked: sent, skips: 0 });

    const events: TerminalEvent[] = [];
    terminals.subscribe(id, (event) => events.push(event));
    expect(dataOf(events)).toBe(chunk.repeat(chunks));
    expect(terminals.stats(id).unacked).toBe(sent); // replayed output is owed an ack like any other
    terminals.ack(id, sent);

    channel.emit('data', Buffer.from('after'));
    await clock.advance(10);
    expect(dataOf(events).endsWith('after')).toBe(true);
    expect(events.every((e) => e.t === 'data')).toBe(true);
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

/** A subscriber as the renderer: every event, and whether it acks what it is handed. */
function watch(terminals: TerminalService, id: string, acking = false) {
  const events: TerminalEvent[] = [];
  const sink = {
    events,
    /** Acks each event as it is handed (synchronously, inside the send). */
    acking,
    snapshots: () => events.filter((e): e is Extract<TerminalEvent, { t: 'snapshot' }> => e.t === 'snapshot'),
  };
  terminals.subscribe(id, (event) => {
    events.push(event);
    if (sink.acking && event.t !== 'exit') terminals.ack(id, event.data.length);
  });
  return sink;
}

/** `count` numbered lines from `from`, as one chunk. */
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${from + i}\r\n`).join('');

/** Emits chunks of numbered lines, each past the batcher's flush, until `chars` are out; the next line number. */
async function flood(clock: FakeClock, channel: FakeChannel, chars: number, from = 0): Promise<number> {
  let n = from;
  for (let out = 0; out < chars; n += 1_000) {
    const chunk = lines(n, 1_000);
    channel.emit('data', Buffer.from(chunk));
    out += chunk.length;
    await clock.advance(10);
  }
  return n;
}

describe('TerminalService skip-ahead', () => {
  it('in the quiet case sends exactly the batches the batcher makes, and no snapshot', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id, true);
    const expected: string[] = [];
    const reference = new DataBatcher((data) => expected.push(data), { clock });
    const euro = Buffer.from('€');
    const chunks = [Buffer.from('$ ls\r\n'), Buffer.from('a'.repeat(70_000)), Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]), euro.subarray(1), Buffer.from('\x1b[31mred\x1b[0m')];
    for (const chunk of chunks) {
      channel.emit('data', chunk);
      reference.write(chunk);
      await clock.advance(3);
    }
    await clock.advance(10);
    expect(expected.length).toBeGreaterThan(1);
    expect(sink.events).toEqual(expected.map((data) => ({ t: 'data', data })));
    expect(terminals.stats(id)).toMatchObject({ skips: 0, skippedChars: 0 });
    await terminals.close();
  });

  it('above SKIP_ABOVE forwards no raw output; once acked, a frame of the screen, then the full snapshot, then raw output again', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    const next = await flood(clock, channel, 4 * SKIP_AHEAD.skipAbove);
    const { sentChars, skips, skippedChars } = terminals.stats(id);
    expect(skips).toBe(1);
    expect(sentChars).toBeGreaterThan(SKIP_AHEAD.skipAbove);
    expect(sentChars).toBeLessThanOrEqual(SKIP_AHEAD.skipAbove + BATCH_MAX_CHARS);
    expect(dataOf(sink.events).length).toBe(sentChars);
    expect(skippedChars).toBe(lines(0, next).length - sentChars);

    await terminals.screen(id); // the parser has caught up
    expect(sink.snapshots()).toEqual([]); // nothing acked yet
    terminals.ack(id, sentChars);
    await terminals.screen(id);
    // The flood may go on: the screen alone, not the lines above it.
    const [frame] = sink.snapshots();
    expect(frame).toEqual({ t: 'snapshot', data: expect.stringContaining(`line ${next - 1}`), skipped: skippedChars });
    expect(frame!.data).not.toContain(`line ${next - SIZE.rows - 1}\r\n`);

    terminals.ack(id, frame!.data.length); // nothing came since: the flood may be over ...
    await clock.advance(SKIP_AHEAD.calmMs - 1);
    expect(sink.snapshots()).toEqual([frame]);
    await clock.advance(1); // ... and it is
    const screen = await terminals.screen(id);
    expect(sink.snapshots()).toEqual([frame, { t: 'snapshot', data: screen.data, skipped: 0 }]);
    expect(screen.data).toContain(`line ${next - 500}\r\n`);
    expect(terminals.stats(id)).toMatchObject({ sentChars: sentChars + frame!.data.length + screen.data.length, skips: 1 });

    terminals.ack(id, screen.data.length);
    sink.events.length = 0;
    channel.emit('data', Buffer.from('after'));
    await clock.advance(10);
    expect(sink.events).toEqual([{ t: 'data', data: 'after' }]);
    await terminals.close();
  });

  it('sends frames while the flood goes on, each once the renderer has drawn the last one and frameGapMs have passed', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    let next = await flood(clock, channel, 2 * SKIP_AHEAD.skipAbove);
    for (let frame = 0; frame < 3; frame++) {
      terminals.ack(id, terminals.stats(id).unacked);
      await clock.advance(SKIP_AHEAD.frameGapMs);
      await terminals.screen(id);
      expect(sink.snapshots().length).toBe(frame + 1);
      next = await flood(clock, channel, SKIP_AHEAD.calmBelow + 1, next); // more than calmBelow since the frame
      expect(sink.snapshots().length).toBe(frame + 1); // not acked yet: no other frame
    }
    expect(sink.snapshots().every((s) => !s.data.includes(`line ${SIZE.rows}\r\n`))).toBe(true);
    expect(dataOf(sink.events.slice(sink.events.findIndex((e) => e.t === 'snapshot')))).toBe(''); // no raw output between frames
    await terminals.close();
  });

  it('sends no frame sooner than frameGapMs after the last', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    const next = await flood(clock, channel, 2 * SKIP_AHEAD.skipAbove);
    terminals.ack(id, terminals.stats(id).unacked);
    await terminals.screen(id);
    expect(sink.snapshots().length).toBe(1);
    await flood(clock, channel, SKIP_AHEAD.calmBelow + 1, next); // one chunk: 10 ms
    terminals.ack(id, terminals.stats(id).unacked);
    await clock.advance(SKIP_AHEAD.frameGapMs - 11);
    await terminals.screen(id);
    expect(sink.snapshots().length).toBe(1);
    await clock.advance(1);
    await terminals.screen(id);
    expect(sink.snapshots().length).toBe(2);
    await terminals.close();
  });

  it('a renderer that caught up before more came gets the next frame once calmBelow has come (frameGapMs after the last)', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    const next = await flood(clock, channel, 2 * SKIP_AHEAD.skipAbove);
    terminals.ack(id, terminals.stats(id).unacked);
    await terminals.screen(id);
    terminals.ack(id, sink.snapshots()[0]!.data.length); // caught up, nothing new yet: waiting
    const last = await flood(clock, channel, SKIP_AHEAD.calmBelow + 1, next);
    await clock.advance(SKIP_AHEAD.frameGapMs);
    await terminals.screen(id);
    expect(sink.snapshots().length).toBe(2);
    expect(sink.snapshots()[1]!.data).toContain(`line ${last - 1}`);
    expect(sink.snapshots()[1]!.data).not.toContain(`line ${last - SIZE.rows - 1}\r\n`); // a frame
    await terminals.close();
  });

  it('does not stall when a snapshot is acked inside its send and more than SKIP_ABOVE came in while it waited for the parser', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    let next = await flood(clock, channel, 2 * SKIP_AHEAD.skipAbove);
    await terminals.screen(id);
    channel.emit('data', Buffer.from(lines(next, 10_000))); // not parsed yet when the ack comes
    next += 10_000;
    sink.acking = true;
    terminals.ack(id, terminals.stats(id).unacked);
    channel.emit('data', Buffer.from(lines(next, 10_000))); // read after the snapshot's point: more than SKIP_ABOVE
    next += 10_000;
    for (let i = 0; i < 4; i++) {
      await terminals.screen(id);
      await clock.advance(SKIP_AHEAD.calmMs);
    }
    const screen = await terminals.screen(id);
    const snapshots = sink.snapshots();
    expect(snapshots[0]?.data).not.toContain(`line ${next - 1}\r\n`);
    expect(snapshots.at(-1)?.data).toBe(screen.data); // frames in turn, then the full snapshot at once
    expect(terminals.stats(id).unacked).toBe(0);
    await terminals.close();
  });

  it('does not count a full snapshot larger than SKIP_ABOVE as a backlog: raw output follows it', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    const long = (from: number, count: number) => Array.from({ length: count }, (_, i) => `${'x'.repeat(70)} ${from + i}\r\n`).join('');
    channel.emit('data', Buffer.from(long(0, 3_000))); // one batch past SKIP_ABOVE: skipping
    await clock.advance(10);
    terminals.ack(id, terminals.stats(id).unacked);
    await clock.advance(SKIP_AHEAD.calmMs);
    const screen = await terminals.screen(id);
    expect(sink.snapshots().at(-1)?.data).toBe(screen.data);
    expect(screen.data.length).toBeGreaterThan(SKIP_AHEAD.skipAbove);
    sink.events.length = 0;
    channel.emit('data', Buffer.from('$ '));
    await clock.advance(10);
    expect(sink.events).toEqual([{ t: 'data', data: '$ ' }]); // not acked yet, and still raw
    expect(terminals.stats(id).skips).toBe(1);
    await terminals.close();
  });

  it('emits a snapshot service event with its offset and length', async () => {
    const { clock, channel, terminals, id } = await setup();
    const seen: unknown[][] = [];
    terminals.on('snapshot', (...args) => seen.push(args));
    watch(terminals, id);
    let sent = 0;
    terminals.on('data', (_id, chunk, offsetStart) => (sent = offsetStart + chunk.length));
    channel.emit('data', Buffer.from(lines(0, 10_000))); // one batch, larger than SKIP_ABOVE
    await clock.advance(10);
    channel.emit('data', Buffer.from(lines(10_000, 10)));
    await clock.advance(10);
    terminals.ack(id, sent);
    await clock.advance(SKIP_AHEAD.calmMs); // less than calmBelow came after the skip: the full snapshot
    const screen = await terminals.screen(id);
    expect(seen).toEqual([[id, screen.data, sent, screen.data.length, lines(10_000, 10).length]]);
    await terminals.close();
  });

  it('with nobody subscribed holds at most SKIP_ABOVE and a batch, then skips; the first subscriber gets a snapshot only', async () => {
    const { clock, channel, terminals, id } = await setup();
    const next = await flood(clock, channel, 4 * SKIP_AHEAD.skipAbove);
    expect(terminals.stats(id)).toMatchObject({ skips: 1, unacked: 0 }); // the held output was dropped: the snapshot supersedes it
    expect(terminals.stats(id).skippedChars).toBeGreaterThan(2 * SKIP_AHEAD.skipAbove);
    await terminals.screen(id);

    const sink = watch(terminals, id);
    const screen = await terminals.screen(id);
    expect(sink.events).toEqual([{ t: 'snapshot', data: screen.data, skipped: expect.any(Number) }]);
    expect(screen.data).toContain(`line ${next - 1}\r\n`);
    await terminals.close();
  });

  it('a shell that ends while output is skipped sends its last screen as a snapshot, then its end', async () => {
    const { clock, channel, terminals, id } = await setup();
    const sink = watch(terminals, id);
    const next = await flood(clock, channel, 2 * SKIP_AHEAD.skipAbove);
    channel.emit('data', Buffer.from('bye\r\n'));
    channel.emit('exit', 0);
    channel.emit('close');
    await terminals.screen(id);
    const [snapshot, exit] = sink.events.filter((e) => e.t !== 'data');
    expect(snapshot).toMatchObject({ t: 'snapshot', data: expect.stringContaining(`line ${next - 1}\r\nbye\r\n`) });
    expect(exit).toEqual({ t: 'exit', code: 0, message: 'exited with code 0' });
    await terminals.close();
  });

  it('pauses the source while the parser is more than parserHigh behind, and resumes it below parserLow', async () => {
    const { channel, terminals, id } = await setup();
    watch(terminals, id, true);
    // Written in one go: xterm parses on a later turn, so the backlog is all still pending.
    const chunk = Buffer.from(lines(0, 1_000));
    const chunks = Math.ceil(SKIP_AHEAD.parserHigh / chunk.length) + 1;
    for (let i = 0; i < chunks; i++) channel.emit('data', chunk);
    expect(terminals.stats(id)).toMatchObject({ pauses: 1, resumes: 0, parserPending: chunks * chunk.length });
    expect(channel.paused).toBe(true);
    await terminals.screen(id);
    expect(terminals.stats(id)).toMatchObject({ pauses: 1, resumes: 1, parserPending: 0 });
    expect(channel.paused).toBe(false);
    await terminals.close();
  });
});
