import { describe, expect, it } from 'vitest';
import type { IpMapSnapshot } from '../../shared/ipmap';
import { createIpMapStore, type IpMapApi } from './ipmap';
import { testStream } from './testStream';

const map = (time: string, ips: string[]): IpMapSnapshot => ({
  time, segments: [], networks: [], conflicts: [], poolErrors: [],
  endpoints: ips.map((ip, i) => ({ segment: 's', host: 'h1', network: 'br0', container: `c${i}`, containerId: `id${i}`, ip, static: true, state: 'running' })),
});

describe('IP map store against a fake Api', () => {
  function setup() {
    const maps = testStream<IpMapSnapshot>();
    const api: IpMapApi = { ipMap: maps.subscribe };
    let link: ((up: boolean) => void) | undefined;
    const store = createIpMapStore(api, (l) => { link = l; return () => { link = undefined; }; });
    return { store, maps, link: (up: boolean) => link?.(up) };
  }

  it('takes each map whole, says when the link is down, and follows again after it is back', () => {
    const { store, maps, link } = setup();
    store.getState().connect();
    expect(store.getState().status).toBe('connecting');
    maps.emit(map('t1', ['10.0.0.5']));
    expect(store.getState()).toMatchObject({ status: 'live', snapshot: { time: 't1' } });
    maps.emit(map('t2', ['10.0.0.6', '10.0.0.7']));
    expect(store.getState().snapshot?.endpoints.map((e) => e.ip)).toEqual(['10.0.0.6', '10.0.0.7']);
    link(false);
    expect(store.getState().status).toBe('reconnecting');
    link(true);
    maps.emit(map('t3', []));
    expect(store.getState()).toMatchObject({ status: 'live', snapshot: { time: 't3', endpoints: [] } });
    store.getState().disconnect();
    expect(maps.listeners.size).toBe(0);
    expect(store.getState().status).toBe('idle');
  });

  it('says why when the core ends the stream, and follows it again on connect', () => {
    const { store, maps } = setup();
    store.getState().connect();
    maps.end({ message: 'ipmap: h2: connection refused', code: 'ECONNREFUSED' });
    expect(store.getState()).toMatchObject({ status: 'failed', error: 'ipmap: h2: connection refused' });
    expect(maps.listeners.size).toBe(0);
    store.getState().connect();
    expect(maps.listeners.size).toBe(1);
  });

  it('keeps the segment and address shown apart from the map, and counts the jumps that take the keyboard', () => {
    const { store } = setup();
    store.getState().show('198.18.4.0/24', '198.18.4.248');
    expect(store.getState()).toMatchObject({ segment: '198.18.4.0/24', ip: '198.18.4.248', focusSeq: 0 });
    store.getState().show('198.18.4.0/24', '198.18.4.7', true);
    expect(store.getState()).toMatchObject({ ip: '198.18.4.7', focusSeq: 1 });
    store.getState().show('dc1');
    expect(store.getState()).toMatchObject({ segment: 'dc1', ip: null, focusSeq: 1 });
  });
});
