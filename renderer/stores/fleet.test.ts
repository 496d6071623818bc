import { describe, expect, it, vi } from 'vitest';
import type { Container, FleetChange, Host } from '../../shared/model';
import { applyFleetChanges, containerKey, createFleetStore, type ContainerMap, type FleetApi, type HostMap } from './fleet';
import { testStream } from './testStream';

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
  const fleet: FleetChange = {
    hosts: [host('h1'), host('h2', 'error')],
    containers: [{ host: 'h1', list: [ctr('h1', 'aaaaaaaaaaaa'), ctr('h1', 'bbbbbbbbbbbb')] }],
    removedHosts: [],
  };
  function setup() {
    const changes = testStream<FleetChange>();
    const { emit } = changes;
    const api: FleetApi = {
      appInfo: async () => ({ version: 't', mode: 'browser', fleetSource: 'test' }),
      containerAction: async ({ host: h, id, action }) => {
        if (h !== 'h1') throw new Error(`host ${h} is not connected`);
        const list = fleet.containers[0]!.list.map((c) => (c.id === id ? { ...c, state: 'exited' as const } : c));
        emit({ hosts: [], containers: [{ host: 'h1', list }], removedHosts: [] });
        return { ok: true, action, host: h, id, message: 'done' };
      },
      fleetChanges: changes.subscribe,
    };
    let link: ((up: boolean) => void) | undefined;
    const store = createFleetStore(api, (l) => { link = l; return () => { link = undefined; }; });
    return { store, emit, end: changes.end, listeners: changes.listeners, link: (up: boolean) => link?.(up) };
  }

  it('connects, takes the first event as the whole fleet, runs an action and records its notice', async () => {
    vi.useFakeTimers();
    try {
      const { store, emit } = setup();
      await store.getState().connect();
      expect(store.getState()).toMatchObject({ status: 'connecting', appInfo: { fleetSource: 'test' } });
      emit(fleet);
      expect(store.getState().status).toBe('live');
      expect(store.getState().hosts.size).toBe(2);

      const done = store.getState().runAction({ host: 'h1', id: 'aaaaaaaaaaaa' }, 'stop');
      expect(store.getState().pending.get(containerKey({ host: 'h1', id: 'aaaaaaaaaaaa' }))).toBe('stop');
      expect((await done).ok).toBe(true);
      expect(store.getState().pending.size).toBe(0);
      expect(store.getState().notices[0]).toMatchObject({ ok: true, action: 'stop', host: 'h1', name: 'c-aaaaaaaaaaaa' });
      // Later changes are batched, then applied.
      expect(store.getState().containers.get('h1')?.[0]?.state).toBe('running');
      vi.runAllTimers();
      expect(store.getState().containers.get('h1')?.[0]?.state).toBe('exited');
      store.getState().disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a failed call into a notice instead of throwing', async () => {
    const { store } = setup();
    const r = await store.getState().runAction({ host: 'h2', id: 'cccccccccccc' }, 'start');
    expect(r).toMatchObject({ ok: false, message: 'host h2 is not connected' });
    expect(store.getState().notices[0]).toMatchObject({ ok: false, host: 'h2' });
  });

  it('says when the link drops, and takes the first event after it comes back as the whole fleet', async () => {
    const { store, emit, link, listeners } = setup();
    await store.getState().connect();
    emit(fleet);
    link(false);
    expect(store.getState().status).toBe('reconnecting');
    expect(store.getState().hosts.size).toBe(2); // the last known state stays
    link(true);
    // h2 went away while the link was down: the renewed subscription's first event no longer lists it.
    emit({ hosts: [host('h1')], containers: [], removedHosts: [] });
    expect(store.getState().status).toBe('live');
    expect([...store.getState().hosts.keys()]).toEqual(['h1']);
    store.getState().disconnect();
    expect(listeners.size).toBe(0);
  });

  it('shows why the core ended the fleet stream, keeps the last state, and reconnects on demand', async () => {
    const { store, emit, end, listeners } = setup();
    await store.getState().connect();
    emit(fleet);
    end({ message: 'fleetChanges: params: Unrecognized key', code: 'bad-request' });
    expect(store.getState()).toMatchObject({ status: 'failed', error: 'fleetChanges: params: Unrecognized key' });
    expect(store.getState().hosts.size).toBe(2);
    expect(listeners.size).toBe(0);
    await store.getState().connect();
    expect(listeners.size).toBe(1);
  });
});
