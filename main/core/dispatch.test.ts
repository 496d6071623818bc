import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { ContractError, createDispatcher, toRemoteError } from './dispatch';

const received: unknown[] = [];
const api = {
  appInfo: async () => ({ version: '1', mode: 'browser', fleetSource: 'x' }),
  containerAction: async (r) => {
    received.push(r);
    return { ok: true, action: r.action, host: r.host, id: r.id, message: 'done' };
  },
  fleetChanges: (_p, onEvent) => {
    onEvent({ hosts: [], containers: [], removedHosts: [] });
    return () => {};
  },
  terminalOpen: async () => ({ ok: false, reason: 'error', message: 'stub' }),
  terminalInput: async () => {},
  terminalResize: async () => {},
  terminalAck: async () => {},
  terminalClose: async () => {},
  trustHostKey: async () => ({ ok: false, message: 'stub' }),
  terminalOutput: () => () => {},
  statsFocus: async () => {},
  statsHistory: async ({ host, id }) => ({ host, id, points: [] }),
  statsHostHistory: async ({ host }) => ({ host, points: [] }),
  statsTicks: () => () => {},
  auditEntries: () => () => {},
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

  it('turns errors into the remote shape', () => {
    expect(toRemoteError(new ContractError('x', 'bad-request'))).toEqual({ message: 'x', code: 'bad-request' });
    expect(toRemoteError('plain')).toEqual({ message: 'plain' });
  });
});
