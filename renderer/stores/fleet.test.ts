import { afterAll, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import type { Container, FleetChange, Host } from '../../shared/model';
import { applyFleetChanges, containerKey, useFleet, type ContainerMap, type HostMap } from './fleet';

const host = (name: string, state: Host['state'] = 'online'): Host => ({ name, address: `tcp://${name}:2376`, transport: 'tls', labels: {}, state, since: 0 });
const ctr = (h: string, id: string): Container => ({ host: h, id, name: `c-${id}`, image: 'x', state: 'running', status: 'Up', ips: [], createdAt: 0 });

describe('applyFleetChanges', () => {
  const empty = { hosts: new Map() as HostMap, containers: new Map() as ContainerMap };

  it('upserts hosts, replaces listed hosts’ containers, removes removed hosts', () => {
    const first: FleetChange = { hosts: [host('a'), host('b')], containers: [{ host: 'a', list: [ctr('a', '1')] }, { host: 'b', list: [ctr('b', '2')] }], removedHosts: [] };
    const s1 = applyFleetChanges(empty.hosts, empty.containers, [first]);
    expect([...s1.hosts.keys()]).toEqual(['a', 'b']);
    const bList = s1.containers.get('b');

    const second: FleetChange = { hosts: [host('a', 'offline')], containers: [{ host: 'a', list: [] }], removedHosts: [] };
    const s2 = applyFleetChanges(s1.hosts, s1.containers, [second]);
    expect(s2.hosts.get('a')?.state).toBe('offline');
    expect(s2.containers.get('a')).toEqual([]);
    expect(s2.containers.get('b')).toBe(bList); // untouched hosts keep their array identity

    const s3 = applyFleetChanges(s2.hosts, s2.containers, [{ hosts: [], containers: [], removedHosts: ['b'] }]);
    expect(s3.hosts.has('b')).toBe(false);
    expect(s3.containers.has('b')).toBe(false);
  });

  it('returns the same maps when nothing changed', () => {
    const s = applyFleetChanges(empty.hosts, empty.containers, [{ hosts: [], containers: [], removedHosts: ['nope'] }]);
    expect(s.hosts).toBe(empty.hosts);
    expect(s.containers).toBe(empty.containers);
  });
});

describe('fleet store against a fake Api', () => {
  // A tiny in-test Api: the renderer may not import e2e/fixtures (layering), so no fakeApi.ts here.
  const listeners = new Set<(e: FleetChange) => void>();
  const fleet: FleetChange = {
    hosts: [host('h1'), host('h2', 'error')],
    containers: [{ host: 'h1', list: [ctr('h1', 'aaaaaaaaaaaa'), ctr('h1', 'bbbbbbbbbbbb')] }],
    removedHosts: [],
  };
  const api: Api = {
    appInfo: async () => ({ version: 't', mode: 'browser', fleetSource: 'test' }),
    containerAction: async ({ host: h, id, action }) => {
      if (h !== 'h1') throw new Error(`host ${h} is not connected`);
      const list = fleet.containers[0]!.list.map((c) => (c.id === id ? { ...c, state: 'exited' as const } : c));
      setTimeout(() => listeners.forEach((l) => l({ hosts: [], containers: [{ host: 'h1', list }], removedHosts: [] })), 0);
      return { ok: true, action, host: h, id, message: 'done' };
    },
    fleetChanges: (_p, onEvent) => {
      listeners.add(onEvent);
      setTimeout(() => onEvent(fleet), 0);
      return () => listeners.delete(onEvent);
    },
    // Terminals are not this store's business (see terminals.test.ts).
    terminalOpen: async () => ({ ok: false, reason: 'error', message: 'not in this test' }),
    terminalInput: async () => {},
    terminalResize: async () => {},
    terminalAck: async () => {},
    terminalClose: async () => {},
    trustHostKey: async () => ({ ok: false, message: 'not in this test' }),
    terminalOutput: () => () => {},
    // Stats are not this store's business (see stats.test.ts).
    statsFocus: async () => {},
    statsHistory: async ({ host: h, id }) => ({ host: h, id, points: [] }),
    statsHostHistory: async ({ host: h }) => ({ host: h, points: [] }),
    statsTicks: () => () => {},
    auditEntries: () => () => {},
  };
  (globalThis as unknown as { window: { fleetdeck: Api } }).window = { fleetdeck: api };
  afterAll(() => useFleet.getState().disconnect());

  it('connects, takes the first event as the whole fleet, runs an action and records its notice', async () => {
    await useFleet.getState().connect();
    await new Promise((r) => setTimeout(r, 10));
    expect(useFleet.getState().status).toBe('live');
    expect(useFleet.getState().hosts.size).toBe(2);
    expect(useFleet.getState().appInfo?.fleetSource).toBe('test');

    const done = useFleet.getState().runAction({ host: 'h1', id: 'aaaaaaaaaaaa' }, 'stop');
    expect(useFleet.getState().pending.get(containerKey({ host: 'h1', id: 'aaaaaaaaaaaa' }))).toBe('stop');
    expect((await done).ok).toBe(true);
    expect(useFleet.getState().pending.size).toBe(0);
    expect(useFleet.getState().notices[0]).toMatchObject({ ok: true, action: 'stop', host: 'h1', name: 'c-aaaaaaaaaaaa' });
    await new Promise((r) => setTimeout(r, 40));
    expect(useFleet.getState().containers.get('h1')?.[0]?.state).toBe('exited');
  });

  it('turns a failed call into a notice instead of throwing', async () => {
    const r = await useFleet.getState().runAction({ host: 'h2', id: 'cccccccccccc' }, 'start');
    expect(r).toMatchObject({ ok: false, message: 'host h2 is not connected' });
    expect(useFleet.getState().notices[0]).toMatchObject({ ok: false, host: 'h2' });
  });
});
