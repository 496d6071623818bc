import { describe, expect, it } from 'vitest';
import type { IpMapSnapshot } from '../../shared/ipmap';
import { createDispatcher } from '../core/dispatch';
import { stubApi } from '../core/fixtures/stubApi';
import { bindIpMap, type IpMapFeed } from './bind';

const snap = (time: string): IpMapSnapshot => ({ time, segments: [], endpoints: [], networks: [], conflicts: [], poolErrors: [] });

function feed(): IpMapFeed & { push(s: IpMapSnapshot): void } {
  const listeners = new Set<(s: IpMapSnapshot) => void>();
  let current = snap('t0');
  return {
    snapshot: () => current,
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    next: (segment, name) => {
      if (segment !== 's') throw Object.assign(new Error(`no segment ${segment} on any host`), { code: 'not-found' });
      return name === 'web' ? '10.0.0.20' : '10.0.0.21';
    },
    push: (s) => {
      current = s;
      for (const l of listeners) l(s);
    },
  };
}

const create = { ipCreatePlan: stubApi.ipCreatePlan, ipCreate: stubApi.ipCreate };

describe('bindIpMap', () => {
  it('streams the whole map at once, then each change, until unsubscribed', () => {
    const map = feed();
    const api = bindIpMap(map, create);
    const got: string[] = [];
    const off = api.ipMap({}, (s) => got.push(s.time));
    map.push(snap('t1'));
    off();
    map.push(snap('t2'));
    expect(got).toEqual(['t0', 't1']);
  });

  it("answers ipNext from the model and carries its refusal's code across the dispatcher", async () => {
    const dispatcher = createDispatcher({ ...stubApi, ...bindIpMap(feed(), create) });
    await expect(dispatcher.call('ipNext', { segment: 's', name: 'web' })).resolves.toEqual({ ip: '10.0.0.20' });
    await expect(dispatcher.call('ipNext', { segment: 'x', name: 'web' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/no segment x/) });
    await expect(dispatcher.call('ipNext', { segment: 's', name: '' })).rejects.toBeTruthy();
  });
});
