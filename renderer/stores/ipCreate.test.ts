import { describe, expect, it } from 'vitest';
import type { IpCreatePlan, IpCreateRequest } from '../../shared/ipmap';
import { createIpCreateStore, type IpCreateApi } from './ipCreate';

const SEGMENT = '198.18.4.0/24';
const request: IpCreateRequest = { kind: 'create', name: 'fd-ipn-a', image: 'app:1.0', host: 'h1', segment: SEGMENT };
const plan = (ip: string): IpCreatePlan => ({ name: 'fd-ipn-a', host: 'h1', segment: SEGMENT, ip, image: 'app:1.0', settings: [] });

/** Each call waits until the test resolves or rejects it. */
function deferredApi() {
  const waiting: { what: string; args: IpCreateRequest; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  const wait = <T,>(what: string, args: IpCreateRequest) => new Promise<T>((resolve, reject) => waiting.push({ what, args, resolve: resolve as (v: unknown) => void, reject }));
  const api: IpCreateApi = { ipCreatePlan: (r) => wait('plan', r), ipCreate: (r) => wait('create', r) };
  return { api, waiting };
}

describe('create/clone store against a fake Api', () => {
  it('opens on an ask, plans, then creates at the plan’s IP', async () => {
    const { api, waiting } = deferredApi();
    const store = createIpCreateStore(api);
    store.getState().open({ kind: 'create', segment: SEGMENT });
    expect(store.getState()).toMatchObject({ ask: { kind: 'create', segment: SEGMENT }, at: { step: 'form' } });
    const planning = store.getState().plan(request);
    expect(store.getState().at).toEqual({ step: 'planning', request });
    waiting[0]!.resolve(plan('198.18.4.30'));
    await planning;
    expect(store.getState().at).toMatchObject({ step: 'plan', plan: { ip: '198.18.4.30' } });

    const creating = store.getState().create();
    expect(waiting[1]).toMatchObject({ what: 'create', args: { ...request, ip: '198.18.4.30' } });
    waiting[1]!.resolve({ host: 'h1', name: 'fd-ipn-a', id: 'abc', ip: '198.18.4.30' });
    await creating;
    expect(store.getState().at).toMatchObject({ step: 'done', created: { id: 'abc', ip: '198.18.4.30' } });
  });

  it('keeps the plan and says why when the create is refused', async () => {
    const { api, waiting } = deferredApi();
    const store = createIpCreateStore(api);
    store.getState().open({ kind: 'create', segment: SEGMENT });
    const planning = store.getState().plan(request);
    waiting[0]!.resolve(plan('198.18.4.30'));
    await planning;
    const creating = store.getState().create();
    waiting[1]!.reject(new Error('198.18.4.30 is in use in 198.18.4.0/24: held by container x on h2 (running)'));
    await creating;
    expect(store.getState()).toMatchObject({ at: { step: 'plan' }, error: expect.stringContaining('held by container x on h2') });
  });

  it('drops an answer to an older plan, and a failed plan goes back to the form with its reason', async () => {
    const { api, waiting } = deferredApi();
    const store = createIpCreateStore(api);
    store.getState().open({ kind: 'create', segment: SEGMENT });
    const older = store.getState().plan(request);
    const newer = store.getState().plan({ ...request, name: 'fd-ipn-b' });
    waiting[1]!.reject(new Error('segment 198.18.4.0/24 has no IP pool in the fleet file'));
    await newer;
    waiting[0]!.resolve(plan('198.18.4.30'));
    await older;
    expect(store.getState()).toMatchObject({ at: { step: 'form' }, error: 'segment 198.18.4.0/24 has no IP pool in the fleet file' });
  });

  it('create without a plan asks nothing; close forgets the ask', async () => {
    const { api, waiting } = deferredApi();
    const store = createIpCreateStore(api);
    store.getState().open({ kind: 'clone', host: 'h1', container: 'web-1' });
    await store.getState().create();
    expect(waiting).toEqual([]);
    store.getState().close();
    expect(store.getState().ask).toBeNull();
  });
});
