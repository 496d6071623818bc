import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Actor, AuditTarget } from '../../shared/audit';
import type { Container } from '../../shared/model';
import { FakeClock } from '../clock/fakeClock';
import type { HostStatus } from '../engine/hostConnection';
import { ActionPath, CONTAINER_ACTION_DEADLINE_MS, STOP_TIMEOUT_S, type ActionHost, type ActionRecorder, type ActionTargets } from './actionPath';

const actor: Actor = { user: 'alice', source: 'cli' };
const ID = 'a1b2c3d4e5f6'.padEnd(64, '0');

function container(over: Partial<Container> = {}): Container {
  return { host: 'h1', id: ID, name: 'payments-api-1', image: 'app:1.0', state: 'running', status: 'Up', ips: [], createdAt: 0, service: 'api', ...over };
}

/** A docker-modem-like failure: HTTP status and the daemon's {"message"}. */
function dockerError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), { statusCode, json: { message }, reason: 'x' });
}

type Call = (opts: Record<string, unknown>) => Promise<unknown>;

function setup(options: { status?: HostStatus; containers?: Container[]; answer?: Call; beginFails?: boolean } = {}) {
  const events: string[] = [];
  const calls: { action: string; id: string; opts: Record<string, unknown> }[] = [];
  const answer = options.answer ?? (async () => undefined);
  const handle = (id: string) => {
    const call = (action: string) => (opts: Record<string, unknown>) => {
      events.push(`docker ${action}`);
      calls.push({ action, id, opts });
      return answer(opts);
    };
    return { start: call('start'), stop: call('stop'), restart: call('restart') };
  };
  const host: ActionHost = { docker: { getContainer: handle } as unknown as Dockerode, status: options.status ?? { name: 'h1', address: 'tcp://h1:2376', state: 'online' } as HostStatus };
  let listed = options.containers ?? [container()];
  const later: Container[] = [];
  const targets: ActionTargets = {
    host: (name) => (name === 'h1' ? host : undefined),
    containers: () => listed,
    refresh: async () => {
      events.push('refresh');
      listed = [...listed, ...later.splice(0)];
    },
  };
  const records: { id: string; entry?: { actor: Actor; action: string; target: AuditTarget }; outcome?: { ok: boolean; error?: string } }[] = [];
  const audit: ActionRecorder = {
    async begin(entry) {
      if (options.beginFails) throw new Error('EACCES: permission denied');
      events.push('audit start');
      records.push({ id: `r${records.length}`, entry });
      return `r${records.length - 1}`;
    },
    async end(id, outcome) {
      events.push('audit end');
      records.find((r) => r.id === id)!.outcome = outcome;
    },
  };
  const clock = new FakeClock();
  const path = new ActionPath({ targets, audit, actor, clock });
  return { path, events, calls, records, clock, later };
}

describe('ActionPath', () => {
  it('records the start, then acts, then records the end; by name, with the docker CLI’s grace period', async () => {
    const { path, events, calls, records } = setup();
    const result = await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'restart');
    expect(result).toEqual({ ok: true, action: 'restart', host: 'h1', id: ID, message: 'Restarted payments-api-1 on h1' });
    expect(events).toEqual(['audit start', 'docker restart', 'audit end', 'refresh']);
    expect(calls).toEqual([{ action: 'restart', id: ID, opts: expect.objectContaining({ t: STOP_TIMEOUT_S, abortSignal: expect.any(AbortSignal) }) }]);
    expect(records).toEqual([{ id: 'r0', entry: { actor, action: 'restart', target: { host: 'h1', container: 'payments-api-1', service: 'api' } }, outcome: { ok: true } }]);
  });

  it('finds a container by full id, by name, or by a unique id prefix of 12 or more', async () => {
    const other = container({ id: 'a1b2c3d4e5f7'.padEnd(64, '0'), name: 'other' });
    const { path } = setup({ containers: [container(), other] });
    expect((await path.containerAction({ host: 'h1', container: ID }, 'stop')).id).toBe(ID);
    expect((await path.containerAction({ host: 'h1', container: 'other' }, 'stop')).id).toBe(other.id);
    expect((await path.containerAction({ host: 'h1', container: ID.slice(0, 12) }, 'stop')).id).toBe(ID);
    expect(await path.containerAction({ host: 'h1', container: 'a1b2c3d4e5f' }, 'stop')).toMatchObject({ ok: false, code: 'not-found' });
  });

  it('refuses an unknown host as not-found, on record, without calling any daemon', async () => {
    const { path, calls, records } = setup();
    const result = await path.containerAction({ host: 'h9', container: 'web' }, 'stop');
    expect(result).toEqual({ ok: false, action: 'stop', host: 'h9', id: 'web', code: 'not-found', message: 'no host named "h9" in the fleet' });
    expect(calls).toEqual([]);
    expect(records).toEqual([{ id: 'r0', entry: { actor, action: 'stop', target: { host: 'h9', container: 'web' } }, outcome: { ok: false, error: 'no host named "h9" in the fleet' } }]);
  });

  it('refuses a host that is not online as host-offline, with the host’s problem, on record', async () => {
    const status = { name: 'h1', address: 'tcp://h1:2376', state: 'offline', problem: { reason: 'refused', message: 'connect ECONNREFUSED 198.18.0.11:2376' } } as HostStatus;
    const { path, calls, records } = setup({ status });
    const result = await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'start');
    expect(result).toMatchObject({ ok: false, code: 'host-offline', message: 'h1 is offline (connect ECONNREFUSED 198.18.0.11:2376)' });
    expect(calls).toEqual([]);
    expect(records[0]!.outcome).toEqual({ ok: false, error: 'h1 is offline (connect ECONNREFUSED 198.18.0.11:2376)' });
  });

  it('refuses an unknown container as not-found after listing the host again, and acts on one listed meanwhile', async () => {
    const { path, calls, events, later } = setup({ containers: [] });
    expect(await path.containerAction({ host: 'h1', container: 'ghost' }, 'stop')).toMatchObject({ ok: false, code: 'not-found', message: 'no such container "ghost" on h1' });
    expect(events).toEqual(['audit start', 'refresh', 'audit end']);
    expect(calls).toEqual([]);
    later.push(container({ name: 'fresh' }));
    expect(await path.containerAction({ host: 'h1', container: 'fresh' }, 'stop')).toMatchObject({ ok: true, message: 'Stopped fresh on h1' });
  });

  it.each([
    [404, 'No such container: a1b2c3d4e5f6', 'not-found'],
    [409, 'Container a1b2c3d4e5f6 is paused, unpause the container before stopping or killing', 'conflict'],
    [500, 'cannot restart container: OCI runtime create failed', 'daemon'],
  ] as const)('maps the daemon’s %i to %s, with the daemon’s own message, on record', async (status, message, code) => {
    const { path, records } = setup({ answer: () => Promise.reject(dockerError(status, message)) });
    const result = await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'restart');
    expect(result).toEqual({ ok: false, action: 'restart', host: 'h1', id: ID, code, message: `restart payments-api-1 on h1 failed: ${message}` });
    expect(records[0]!.outcome).toEqual({ ok: false, error: message });
  });

  it('maps a socket timeout to timeout', async () => {
    const { path } = setup({ answer: () => Promise.reject(Object.assign(new Error('connect ETIMEDOUT 198.18.0.11:2376'), { code: 'ETIMEDOUT' })) });
    expect(await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'stop')).toMatchObject({ ok: false, code: 'timeout' });
  });

  it('takes 304 (already in that state) as done', async () => {
    const { path, records } = setup({ answer: () => Promise.reject(dockerError(304, 'container already started')) });
    expect(await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'start')).toMatchObject({ ok: true, message: 'payments-api-1 on h1 was already running' });
    expect(records[0]!.outcome).toEqual({ ok: true });
  });

  it('stops waiting at the deadline, aborts the call, and records a timeout', async () => {
    let signal: AbortSignal | undefined;
    const { path, clock, records } = setup({ answer: (opts) => ((signal = opts.abortSignal as AbortSignal), new Promise(() => {})) });
    const pending = path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'restart');
    await clock.advance(CONTAINER_ACTION_DEADLINE_MS - 1);
    expect(records[0]!.outcome).toBeUndefined();
    await clock.advance(1);
    expect(await pending).toMatchObject({ ok: false, code: 'timeout', message: expect.stringMatching(/h1 did not answer within 60 s; the action may still finish there/) });
    expect(signal?.aborted).toBe(true);
    expect(records[0]!.outcome).toMatchObject({ ok: false, error: expect.stringMatching(/did not answer within 60 s/) });
    expect(clock.pending).toEqual([]);
  });

  it('does not act when the audit log cannot be written', async () => {
    const { path, calls } = setup({ beginFails: true });
    const result = await path.containerAction({ host: 'h1', container: 'payments-api-1' }, 'stop');
    expect(result).toEqual({ ok: false, action: 'stop', host: 'h1', id: ID, message: 'not done: the audit log cannot be written (EACCES: permission denied)' });
    expect(calls).toEqual([]);
  });
});
