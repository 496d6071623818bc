// The log service against the real lab: a view follows a container on h1 (TLS) and on h3 (SSH),
// stdout and stderr apart, a TTY container's raw lines; a container flooding its log with `yes`
// while the view is not acked: main holds at most the cap and the response is paused, so dockerd
// stops sending (bytes received stop growing) until the view is acked again.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir } from '../../e2e/support/dataDir';
import { dockerCli, lab } from '../../e2e/support/lab';
import { LOG_FLOW_CONTROL, LOG_LIMITS, logLineChars, type LogEvent, type LogLine } from '../../shared/logs';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const TAG = `${process.pid}-${Date.now().toString(36)}`;
const CHATTY = `fd-log-chatty-${TAG}`;
const TTY = `fd-log-tty-${TAG}`;
const FLOOD = `fd-log-flood-${TAG}`;
const made: { host: string; name: string }[] = [];
let core: Core;
let dataDir: string;

async function run(host: string, name: string, ...args: string[]): Promise<string> {
  made.push({ host, name });
  return (await dockerCli(host, 'run', '-d', '--name', name, '--no-healthcheck', ...args)).trim();
}

async function until(done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A view as the renderer drives it: every event kept, lines acked unless told not to. */
class Reader {
  lines: LogLine[] = [];
  events: LogEvent[] = [];
  ended = false;
  readonly unsubscribe: () => void;
  constructor(
    readonly viewId: string,
    readonly acking = true,
  ) {
    this.unsubscribe = core.api.logEvents(
      { viewId },
      (event) => {
        this.events.push(event);
        if (event.t !== 'lines') return;
        this.lines.push(...event.lines);
        if (this.acking) void core.api.logsAck({ viewId, chars: event.lines.reduce((sum, l) => sum + logLineChars(l), 0) });
      },
      () => (this.ended = true),
    );
  }
  texts(stream: 'stdout' | 'stderr'): string[] {
    return this.lines.filter((l) => l.stream === stream).map((l) => l.line);
  }
}

async function open(host: string, id: string, options: { tail?: number | 'all' } = {}): Promise<string> {
  const opened = await core.api.logsOpen({ sources: [{ host, id }], tail: options.tail ?? 'all' });
  if (!opened.ok) throw new Error(opened.message);
  return opened.viewId;
}

describe('log service on the lab', () => {
  let chattyH1: string;
  let chattyH3: string;
  let tty: string;
  beforeAll(async () => {
    dataDir = freshDataDir('logs');
    process.env.FLEETDECK_DATA_DIR = dataDir;
    const script = 'i=0; while [ $i -lt 3 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done; sleep 2; echo late-out; echo late-err >&2; sleep 3600';
    [chattyH1, chattyH3, tty] = await Promise.all([
      run('h1', CHATTY, IMAGE, 'sh', '-c', script),
      run('h3', CHATTY, IMAGE, 'sh', '-c', script),
      run('h1', TTY, '-t', IMAGE, 'sh', '-c', 'printf "tty-1\\n"; printf "tty-2\\n"; sleep 3600'),
    ]);
    ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser', source: 'cli' }));
    expect(await core.settled(20_000)).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await Promise.allSettled(made.map(({ host, name }) => dockerCli(host, 'rm', '-f', name)));
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  for (const host of ['h1', 'h3']) {
    it(`follows a container on ${host}: its tail, stdout and stderr apart, then what it writes later`, async () => {
      const id = host === 'h1' ? chattyH1 : chattyH3;
      const opened = await core.api.logsOpen({ sources: [{ host, id }], tail: 'all' });
      expect(opened).toMatchObject({ ok: true, sources: [{ host, id, name: CHATTY, tag: `${CHATTY}·${host}`, tty: false }] });
      if (!opened.ok) return;
      const reader = new Reader(opened.viewId);
      await until(() => reader.texts('stdout').includes('late-out') && reader.texts('stderr').includes('late-err'), 'the late lines');
      expect(reader.texts('stdout')).toEqual(['out-0', 'out-1', 'out-2', 'late-out']);
      expect(reader.texts('stderr')).toEqual(['err-0', 'err-1', 'err-2', 'late-err']);
      for (const line of reader.lines) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      // The tail may have come whole before the lines were read: 'following' comes once it is quiet.
      await until(() => reader.events.some((e) => e.t === 'source' && e.state === 'following'), 'following');
      await core.api.logsClose({ viewId: opened.viewId });
      expect(reader.ended).toBe(true);
    }, 30_000);
  }

  it('gives a TTY container raw lines, all on stdout', async () => {
    const opened = await core.api.logsOpen({ sources: [{ host: 'h1', id: tty }], tail: 'all', follow: false });
    expect(opened).toMatchObject({ ok: true, sources: [{ tty: true }] });
    if (!opened.ok) return;
    const reader = new Reader(opened.viewId);
    await until(() => reader.events.some((e) => e.t === 'source' && e.state === 'ended'), 'the end');
    expect(reader.lines.map((l) => [l.stream, l.line])).toEqual([
      ['stdout', 'tty-1\r'],
      ['stdout', 'tty-2\r'],
    ]);
    await core.api.logsClose({ viewId: opened.viewId });
  }, 30_000);

  it('refuses a container that does not exist', async () => {
    expect(await core.api.logsOpen({ sources: [{ host: 'h1', id: 'abcdef012345' }] })).toEqual({ ok: false, message: 'no container abcdef012345 on h1' });
  });

  it('under a flood, holds at most the cap and pauses the response until acked (dockerd stops sending)', async () => {
    // Lines of ~100 chars, as a real log's: the high watermark (4 Mi chars) is reached in some
    // 40,000 lines, where `yes`'s 2-char lines needed 2 million (longer than the wait on a busy lab).
    const id = await run('h1', FLOOD, IMAGE, 'yes', 'fd-log flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 0123456789');
    // Nobody subscribed: the ring fills to the cap, then the sources pause.
    const held = await open('h1', id, { tail: 0 });
    const service = core.logs.service;
    await until(() => service.stats(held).paused, 'the unwatched view to pause');
    await steady(() => service.stats(held).bytesReceived);
    expect(service.stats(held).heldLines).toBeLessThanOrEqual(LOG_LIMITS.maxLines);
    // A subscriber that never acks: unacked reaches the high watermark, and the response pauses.
    const viewId = await open('h1', id, { tail: 0 });
    const reader = new Reader(viewId, false);
    await until(() => service.stats(viewId).paused, 'the unacked view to pause');
    const stopped = await steady(() => service.stats(viewId).bytesReceived);
    expect(service.stats(viewId).heldLines).toBe(0);
    expect(service.stats(viewId).unacked).toBeGreaterThan(LOG_FLOW_CONTROL.highWatermark);
    // Acking what it got resumes the flow: bytes grow again, so the pause was what held them.
    const received = reader.lines.reduce((sum, l) => sum + logLineChars(l), 0);
    await core.api.logsAck({ viewId, chars: received });
    await until(() => service.stats(viewId).bytesReceived > stopped, 'bytes to flow again after the ack');
    reader.unsubscribe();
    await core.api.logsClose({ viewId });
    await core.api.logsClose({ viewId: held });
  }, 60_000);
});

/** Waits until `bytes()` has not grown for 2 s (at most 20 s), and returns it. */
async function steady(bytes: () => number): Promise<number> {
  const deadline = Date.now() + 20_000;
  let last = bytes();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    const now = bytes();
    if (now === last) return now;
    if (Date.now() > deadline) throw new Error(`bytes received kept growing: ${last} → ${now}`);
    last = now;
  }
}
