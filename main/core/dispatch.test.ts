import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { ActionError } from '../actions/actionPath';
import { ContractError, createDispatcher, toRemoteError } from './dispatch';
import { stubApi } from './fixtures/stubApi';

const received: unknown[] = [];
const api = {
  ...stubApi,
  containerAction: async (r) => {
    received.push(r);
    return { ok: true, action: r.action, host: r.host, id: r.id, message: 'done' };
  },
  fleetChanges: (_p, onEvent) => {
    onEvent({ hosts: [], containers: [], removedHosts: [] });
    return () => {};
  },
} satisfies Api;

describe('dispatcher', () => {
  const dispatcher = createDispatcher(api);

  it('passes valid requests through', async () => {
    await expect(dispatcher.call('containerAction', { host: 'h1', id: 'abcdef012345', action: 'stop' })).resolves.toMatchObject({ ok: true });
    expect(received).toEqual([{ host: 'h1', id: 'abcdef012345', action: 'stop' }]);
  });

  it('refuses unknown entries and invalid arguments before the core sees them', async () => {
    await expect(dispatcher.call('toString', {})).rejects.toMatchObject({ code: 'unknown-entry' });
    await expect(dispatcher.call('containerAction', { host: 'h1', id: '../../etc', action: 'stop' })).rejects.toThrow(/containerAction: id/);
    await expect(dispatcher.call('containerAction', { host: 'h1', id: 'abcdef012345', action: 'kill' })).rejects.toThrow(ContractError);
    await expect(dispatcher.call('appInfo', { extra: 1 })).rejects.toThrow(/Unrecognized key/);
    expect(received).toHaveLength(1);
    expect(() => dispatcher.subscribe('nope', {}, () => {})).toThrow(/unknown stream/);
  });

  it('subscribes to streams', () => {
    const events: unknown[] = [];
    dispatcher.subscribe('fleetChanges', {}, (e) => events.push(e));
    expect(events).toHaveLength(1);
  });

  it('passes the end callback on to the core', () => {
    const ends: unknown[] = [];
    const ending = createDispatcher({ ...stubApi, statsTicks: (_p, _onEvent, onEnd) => (onEnd?.({ message: 'done' }), () => {}) } satisfies Api);
    ending.subscribe('statsTicks', {}, () => {}, (error) => ends.push(error));
    expect(ends).toEqual([{ message: 'done' }]);
  });

  it('turns errors into the remote shape, keeping any string code', () => {
    expect(toRemoteError(new ContractError('x', 'bad-request'))).toEqual({ message: 'x', code: 'bad-request' });
    expect(toRemoteError(new ActionError('no such container', 'not-found'))).toEqual({ message: 'no such container', code: 'not-found' });
    expect(toRemoteError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', errno: -111 }))).toEqual({ message: 'refused', code: 'ECONNREFUSED' });
    expect(toRemoteError(Object.assign(new Error('http'), { code: 404 }))).toEqual({ message: 'http' });
    expect(toRemoteError({ message: 'passed on', code: 'timeout' })).toEqual({ message: 'passed on', code: 'timeout' });
    expect(toRemoteError('plain')).toEqual({ message: 'plain' });
  });
});
