// The host state machine on a fake clock, against a fake daemon (no socket, no lab, no root):
// its states, its backoff, the reasons it shows, and the spread of a fleet's retries.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { HostState } from '../../shared/model';
import { seededRandom } from '../../shared/seededRandom';
import { FakeClock } from '../clock/fakeClock';
import type { HostSpec } from '../fleet/spec';
import { backoffWindow } from './backoff';
import type { EngineCalls, EventStream } from './engineCalls';
import { HostConnection, type HostConnectionDeps, type HostStatus } from './hostConnection';
import type { EngineTransport } from './transports';

const VERSION = { Version: '27.5.1', ApiVersion: '1.47', Os: 'linux', KernelVersion: '6.8.0' };
const INFO = { Name: 'h1', OperatingSystem: 'Debian GNU/Linux 12', NCPU: 4, MemTotal: 8 << 30 };

const errorWith = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);
const REFUSED = errorWith('connect ECONNREFUSED 198.18.0.11:2376', { code: 'ECONNREFUSED' });

class FakeEventStream extends EventEmitter implements EventStream {
  setEncoding(): this {
    return this;
  }
}

/** Answers like a daemon: up, refusing with an error, or silent (never answering). */
class FakeDaemon implements EngineCalls {
  mode: 'up' | 'silent' | Error = 'up';
  info: object = INFO;
  readonly paths: string[] = [];
  private readonly streams = new Set<FakeEventStream>();

  get<T>(_role: 'control' | 'sampling', path: string, signal: AbortSignal): Promise<T> {
    this.paths.push(path);
    return this.answer(signal, () => (path === '/version' ? VERSION : path === '/info' ? this.info : 'OK') as T);
  }

  events(_types: readonly string[], signal: AbortSignal): Promise<EventStream> {
    return this.answer(signal, () => {
      const stream = new FakeEventStream();
      this.streams.add(stream);
      // As an aborted IncomingMessage does.
      signal.addEventListener('abort', () => this.streams.delete(stream) && stream.emit('close'), { once: true });
      return stream;
    });
  }

  /** The daemon stops: its event streams end, and connections are refused. */
  stop(): void {
    this.mode = REFUSED;
    for (const stream of this.streams) stream.emit('end');
    this.streams.clear();
  }

  send(event: object): void {
    for (const stream of this.streams) stream.emit('data', `${JSON.stringify(event)}\n`);
  }

  private answer<T>(signal: AbortSignal, value: () => T): Promise<T> {
    const mode = this.mode;
    if (mode instanceof Error) return Promise.reject(mode);
    if (mode === 'silent') return new Promise<T>((_, reject) => signal.addEventListener('abort', () => reject(errorWith('aborted', { code: 'ABORT_ERR' }))));
    return Promise.resolve(value());
  }
}

/** Sockets that are never used: every call goes through the fake daemon. */
function fakeTransport(resets: boolean[]): EngineTransport {
  const agent = new http.Agent();
  return {
    kind: 'tls',
    agents: { request: agent, stream: agent, control: agent, sampling: agent },
    modemOptions: (a) => ({ socketPath: '/nonexistent/docker.sock', agent: a }),
    requestTarget: { secure: false, options: {} },
    samplingSlots: 4,
    reset: (stale) => void resets.push(stale),
    close: async () => {},
  };
}

const spec = (name = 'h1'): HostSpec => ({ name, address: `tcp://${name}:2376`, endpoint: { kind: 'tcp', host: name, port: 2376 }, labels: {} });

function setup(deps: HostConnectionDeps = {}, clock = new FakeClock(1_000_000), name = 'h1') {
  const daemon = new FakeDaemon();
  const resets: boolean[] = [];
  const conn = new HostConnection(spec(name), { clock, random: () => 0.5, transport: () => fakeTransport(resets), calls: () => daemon, ...deps });
  const history: HostStatus[] = [];
  let onlines = 0;
  conn.on('state', (status) => history.push(status));
  conn.on('online', () => onlines++);
  return {
    clock,
    daemon,
    conn,
    resets,
    history,
    states: () => history.map((s) => s.state),
    get onlines() {
      return onlines;
    },
  };
}

describe('HostConnection states', () => {
  it('connecting → online → offline → (backoff) → online, with the engine kept while away', async () => {
    const t = setup();
    expect(t.conn.status).toMatchObject({ state: 'connecting', since: 1_000_000, transport: 'tls' });
    t.conn.start();
    await t.clock.advance(0);
    expect(t.conn.status).toMatchObject({ state: 'online', engine: { version: '27.5.1', hostname: 'h1', ncpu: 4 } });
    expect(t.onlines).toBe(1);
    expect(t.daemon.paths).toEqual(['/version', '/info']);

    await t.clock.advance(10_000);
    t.daemon.stop();
    await t.clock.advance(0);
    const offline = t.conn.status;
    expect(offline).toMatchObject({ state: 'offline', problem: { reason: 'closed', message: 'the daemon closed the events stream' }, engine: { hostname: 'h1' } });
    expect(offline.retryAt! - offline.since).toBe(2_000); // random 0.5 in the first window of 4 s
    expect(t.resets).toEqual([false]); // the link is not suspect: only the sockets go

    // Still down at the first retry: refused, and the next wait is in the upper half of 8 s.
    await t.clock.advance(1_999);
    expect(t.states().at(-1)).toBe('offline');
    await t.clock.advance(1);
    expect(t.conn.status).toMatchObject({ state: 'offline', problem: { reason: 'refused', message: 'connect ECONNREFUSED 198.18.0.11:2376' } });
    expect(t.conn.status.retryAt! - t.conn.status.since).toBe(6_000);

    t.daemon.mode = 'up';
    await t.clock.advance(6_000);
    expect(t.states()).toEqual(['connecting', 'online', 'offline', 'connecting', 'offline', 'connecting', 'online']);
    expect(t.conn.status.retryAt).toBeUndefined();
    expect(t.conn.status.problem).toBeUndefined();
    expect(t.onlines).toBe(2);
    await t.conn.close();
  });

  it('waits double from 4 s and stop at 60 s; going online starts again from the first window', async () => {
    const t = setup({ random: () => 1 - 1e-9 });
    t.daemon.mode = REFUSED;
    t.conn.start();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await t.clock.advance(0);
      const { state, since, retryAt } = t.conn.status;
      expect(state).toBe('offline');
      waits.push(retryAt! - since);
      await t.clock.advance(retryAt! - t.clock.now());
    }
    expect(waits).toEqual([4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);

    t.daemon.mode = 'up';
    await t.clock.advance(60_000);
    expect(t.conn.status.state).toBe('online');
    t.daemon.stop();
    await t.clock.advance(0);
    expect(t.conn.status.retryAt! - t.conn.status.since).toBe(backoffWindow(0));
    await t.conn.close();
  });

  it('reconnectNow skips the rest of the wait; close() cancels it', async () => {
    const t = setup();
    t.daemon.mode = REFUSED;
    t.conn.start();
    await t.clock.advance(0);
    t.daemon.mode = 'up';
    t.conn.reconnectNow();
    await t.clock.advance(0);
    expect(t.conn.status.state).toBe('online');
    t.daemon.stop();
    await t.clock.advance(0);
    await t.conn.close();
    expect(t.clock.pending).toEqual([]);
    const seen = t.history.length;
    await t.clock.advance(120_000);
    expect(t.history).toHaveLength(seen);
  });

  it('a silent daemon: the heartbeat takes the host offline (timeout) and drops the link behind it', async () => {
    const t = setup({ pingIntervalMs: 2_000, pingTimeoutMs: 2_000 });
    t.conn.start();
    await t.clock.advance(10_000);
    expect(t.daemon.paths.filter((p) => p === '/_ping')).toHaveLength(5); // every 2 s while online
    t.daemon.mode = 'silent';
    const silentAt = t.clock.now();
    await t.clock.advance(3_999);
    expect(t.conn.status.state).toBe('online');
    await t.clock.advance(1);
    expect(t.conn.status).toMatchObject({ state: 'offline', problem: { reason: 'timeout', message: 'heartbeat ping timed out after 2000 ms' } });
    expect(t.conn.status.since - silentAt).toBe(4_000); // the next ping at 2 s, its deadline 2 s later
    expect(t.resets).toEqual([true]);
    await t.conn.close();
  });

  it('a sampled host is not pinged: a recent answer already says it is alive', async () => {
    const t = setup();
    t.conn.start();
    await t.clock.advance(0);
    const sampler = t.clock.setInterval(() => void t.conn.sample('/containers/x/stats', new AbortController().signal), 1_000);
    await t.clock.advance(20_000);
    t.clock.clearInterval(sampler);
    expect(t.daemon.paths.filter((p) => p === '/_ping')).toEqual([]);
    await t.conn.close();
  });

  it('a connect that hangs times out after connectTimeoutMs', async () => {
    const t = setup({ connectTimeoutMs: 10_000 });
    t.daemon.mode = 'silent';
    t.conn.start();
    await t.clock.advance(9_999);
    expect(t.conn.status.state).toBe('connecting');
    await t.clock.advance(1);
    expect(t.conn.status).toMatchObject({ state: 'offline', problem: { reason: 'timeout', message: expect.stringMatching(/^GET \/(events|version) timed out after 10000 ms$/) } });
    await t.conn.close();
  });

  it('forwards container and network events while online', async () => {
    const t = setup();
    const events: unknown[] = [];
    t.conn.on('event', (event) => events.push(event));
    t.conn.start();
    await t.clock.advance(0);
    const event = { Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { name: 'web' } }, time: 1, timeNano: 1 };
    t.daemon.send(event);
    expect(events).toEqual([event]);
    await t.conn.close();
  });
});

describe('HostConnection error reasons', () => {
  const cases: [string, Error | 'malformed info', HostState, string, RegExp][] = [
    ['refused', REFUSED, 'offline', 'refused', /ECONNREFUSED/],
    ['unreachable', errorWith('connect EHOSTUNREACH 198.18.0.99:2376', { code: 'EHOSTUNREACH' }), 'offline', 'unreachable', /EHOSTUNREACH/],
    ['reset', errorWith('read ECONNRESET', { code: 'ECONNRESET' }), 'offline', 'closed', /ECONNRESET/],
    ['wrong CA', errorWith('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'error', 'tls', /self-signed certificate/],
    ['TLS alert', errorWith('ssl3_read_bytes:tlsv1 alert unknown ca', { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' }), 'error', 'tls', /unknown ca/],
    ['not allowed', errorWith('(HTTP code 403) forbidden', { statusCode: 403 }), 'error', 'auth', /forbidden/],
    ['SSH auth', errorWith('All configured authentication methods failed', { level: 'client-authentication' }), 'error', 'auth', /authentication/],
    ['host key', errorWith('host key of 198.18.0.13 is unknown', { code: 'ERR_SSH_HOST_KEY' }), 'error', 'hostkey', /host key/],
    ['a daemon missing fields', 'malformed info', 'error', 'protocol', /hostname/],
  ];

  for (const [what, failure, state, reason, message] of cases) {
    it(`${what}: ${state} / ${reason}, with the message, and a retry scheduled`, async () => {
      const t = setup();
      if (failure === 'malformed info') t.daemon.info = { OperatingSystem: 'linux' };
      else t.daemon.mode = failure;
      t.conn.start();
      await t.clock.advance(0);
      const status = t.conn.status;
      expect(status).toMatchObject({ state, problem: { reason } });
      expect(status.problem!.message).toMatch(message);
      expect(status.retryAt).toBeGreaterThan(status.since);
      await t.conn.close();
    });
  }
});

/** 1,000 hosts online, their daemons all stop at once: when does each try again? */
async function firstRetries(random: () => number): Promise<number[]> {
  const clock = new FakeClock(5_000_000);
  const fleet = Array.from({ length: 1_000 }, (_, i) => setup({ random }, clock, `h${i}`));
  for (const host of fleet) host.conn.start();
  await clock.advance(0);
  expect(fleet.every((host) => host.conn.status.state === 'online')).toBe(true);
  const failedAt = clock.now();
  const retries = new Map<HostConnection, number>();
  for (const host of fleet) {
    host.conn.on('state', (status) => status.state === 'connecting' && !retries.has(host.conn) && retries.set(host.conn, status.since - failedAt));
    host.daemon.stop();
  }
  await clock.advance(backoffWindow(0));
  await Promise.all(fleet.map((host) => host.conn.close()));
  return [...retries.values()];
}

/** The largest share of `retries` in one 100 ms slice. */
function busiestSlice(retries: readonly number[]): number {
  const slices = new Map<number, number>();
  for (const at of retries) slices.set(Math.floor(at / 100), (slices.get(Math.floor(at / 100)) ?? 0) + 1);
  return Math.max(...slices.values()) / retries.length;
}

describe('reconnect jitter', () => {
  it('1,000 hosts failing at the same instant retry spread over the first window, at most 5 % in any 100 ms', async () => {
    const retries = await firstRetries(seededRandom(9)); // seeded: the same spread on every run
    expect(retries).toHaveLength(1_000);
    expect(Math.min(...retries)).toBeLessThan(100);
    expect(Math.max(...retries)).toBeGreaterThan(backoffWindow(0) - 100);
    expect(Math.max(...retries)).toBeLessThanOrEqual(backoffWindow(0));
    expect(busiestSlice(retries)).toBeLessThanOrEqual(0.05);
  });

  it('without jitter they would retry in lockstep (what the test above rules out)', async () => {
    expect(busiestSlice(await firstRetries(() => 0))).toBe(1);
  });
});
