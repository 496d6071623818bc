// hostDownCheck on fake clients and a FakeClock: which errors pause a rollout (the host is down)
// and which count as the container's failure.
import { describe, expect, it } from 'vitest';
import { ActionError } from '../actions/actionPath';
import { FakeClock } from '../clock/fakeClock';
import { HOST_ANSWER_MS, hostDownCheck } from './hostDown';

type Version = () => Promise<unknown>;

function check(version: Version | undefined, clock = new FakeClock()) {
  const hosts = { host: (name: string) => (name === 'h3' && version ? { docker: { version } as never } : undefined) };
  return { clock, down: hostDownCheck({ hosts, clock }) };
}

const h3 = { host: 'h3' };
const never: Version = () => new Promise(() => {});

describe('hostDownCheck', () => {
  it('a host-offline error (the action path’s, or a read’s socket error) is the host’s', async () => {
    const { down } = check(never);
    expect(await down(new ActionError('h3 is offline (connect ECONNREFUSED 198.18.0.13:2376)', 'host-offline'), h3)).toBe('h3 is offline (connect ECONNREFUSED 198.18.0.13:2376)');
    expect(await down(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }), h3)).toBe('connect ENOENT /var/run/docker.sock');
  });

  it('the container’s own failures, the daemon’s refusals and fleetdeck’s own are not', async () => {
    const { down } = check(never);
    expect(await down(new Error('web on h3 exited (exited, code 1)'), h3)).toBeUndefined();
    expect(await down(new ActionError('Conflict. The container name is already in use', 'conflict'), h3)).toBeUndefined();
    expect(await down(Object.assign(new Error('driver failed'), { statusCode: 500, json: { message: 'driver failed' } }), h3)).toBeUndefined();
    expect(await down(new ActionError('not done: the audit log cannot be written (ENOSPC)'), h3)).toBeUndefined();
  });

  it('a timeout is the host’s only when it then does not answer /version in time', async () => {
    const timeout = new ActionError('h3 did not answer within 60 s; the action may still finish there', 'timeout');
    expect(await check(async () => ({ ApiVersion: '1.47' })).down(timeout, h3)).toBeUndefined();
    expect(await check(() => Promise.reject(new Error('connect ECONNREFUSED'))).down(timeout, h3)).toBe(`${timeout.message}; it does not answer`);
    expect(await check(undefined).down(timeout, h3)).toBe(`${timeout.message}; it does not answer`);

    const { clock, down } = check(never);
    let verdict: string | undefined | null = null;
    const pending = down(timeout, h3).then((v) => (verdict = v));
    await clock.advance(HOST_ANSWER_MS - 1);
    expect(verdict).toBeNull();
    await clock.advance(1);
    await pending;
    expect(verdict).toBe(`${timeout.message}; it does not answer`);
    expect(clock.pending).toEqual([]);
  });
});
