import { describe, expect, it } from 'vitest';
import type { Api } from '../shared/contract';
import type { FleetChange } from '../shared/model';
import { deferredApi, deferredWatch } from './deferredApi';

/** A promise with its resolve, to say when "the bridge is up". */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}
const flush = () => new Promise((r) => setTimeout(r, 0));
const change: FleetChange = { hosts: [], containers: [], removedHosts: [] };

describe('deferredApi', () => {
  it('lets calls wait for the bridge, and starts subscriptions once it is up', async () => {
    const bridge = later<Api>();
    const api = deferredApi(bridge.promise);
    const subscribed: string[] = [];
    let onChange: ((c: FleetChange) => void) | undefined;
    const events: FleetChange[] = [];
    const info = api.appInfo({});
    const stop = api.fleetChanges({}, (e) => events.push(e));
    await flush();
    expect(subscribed).toEqual([]);

    bridge.resolve({
      appInfo: async () => ({ version: '1', mode: 'browser', fleetSource: 'x' }),
      fleetChanges: (_p: unknown, l: (c: FleetChange) => void) => {
        subscribed.push('fleetChanges');
        onChange = l;
        return () => subscribed.push('unsubscribed');
      },
    } as unknown as Api);
    expect(await info).toMatchObject({ fleetSource: 'x' });
    await flush();
    onChange?.(change);
    expect(events).toEqual([change]);
    stop();
    expect(subscribed).toEqual(['fleetChanges', 'unsubscribed']);
  });

  it('never subscribes what was stopped before the bridge came up', async () => {
    const bridge = later<Api>();
    let subscribed = 0;
    deferredApi(bridge.promise).fleetChanges({}, () => {})();
    bridge.resolve({ fleetChanges: () => { subscribed++; return () => {}; } } as unknown as Api);
    await flush();
    expect(subscribed).toBe(0);
  });

  it('watches the link once the bridge exists', async () => {
    const bridge = later<void>();
    const seen: boolean[] = [];
    let tell: ((up: boolean) => void) | undefined;
    const stop = deferredWatch(bridge.promise, (l) => { tell = l; return () => { tell = undefined; }; })((up) => seen.push(up));
    expect(tell).toBeUndefined();
    bridge.resolve();
    await flush();
    tell?.(false);
    tell?.(true);
    expect(seen).toEqual([false, true]);
    stop();
    expect(tell).toBeUndefined();
  });
});
