import { describe, expect, it } from 'vitest';
import type { RolloutHistory, ServiceRevision } from '../../shared/rollout';
import { createServiceHistoryStore, type ServiceHistoryApi } from './serviceHistory';

const T = '2026-03-01T10:00:00.000Z';
const history = (id: string): RolloutHistory => ({
  id, action: 'deploy', service: 'web', startedBy: { user: 'carol', source: 'cli' }, startedAt: T, state: 'completed', containers: [],
  plan: { id, action: 'deploy', targets: [], mode: { kind: 'window' }, params: { parallelism: 2, delayMs: 0, monitorMs: 0, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' }, isRollback: false },
  steps: [], revisions: [],
});
const revision = (number: number, current = false): ServiceRevision => ({ number, current, containers: [{ host: 'h1', name: 'web-1', image: `app:${number}` }] });

/** Each call waits until the test resolves or rejects it. */
function deferredApi() {
  const waiting: { what: string; resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  const wait = <T,>(what: string) => new Promise<T>((resolve, reject) => waiting.push({ what, resolve: resolve as (v: unknown) => void, reject }));
  const api: ServiceHistoryApi = {
    rolloutRevisions: ({ service }) => wait(`revisions ${service}`),
    rolloutHistory: ({ id }) => wait(`history ${id}`),
  };
  return { api, waiting };
}

describe('service history store against a fake Api', () => {
  it('keeps the last revisions while asking again, drops an older answer, and keeps them on failure', async () => {
    const { api, waiting } = deferredApi();
    const store = createServiceHistoryStore(api);
    const first = store.getState().loadRevisions('web');
    expect(store.getState().revisions.get('web')).toEqual({ status: 'loading' });
    waiting[0]!.resolve({ revisions: [revision(1), revision(2, true)] });
    await first;
    expect(store.getState().revisions.get('web')).toMatchObject({ status: 'ok', value: [{ number: 1 }, { number: 2, current: true }] });

    const older = store.getState().loadRevisions('web');
    const newer = store.getState().loadRevisions('web');
    expect(store.getState().revisions.get('web')).toMatchObject({ status: 'loading', value: [{ number: 1 }, { number: 2 }] });
    waiting[2]!.reject(Object.assign(new Error('journal unreadable'), { code: 'internal' }));
    await newer;
    waiting[1]!.resolve({ revisions: [revision(9)] });
    await older;
    expect(store.getState().revisions.get('web')).toMatchObject({ status: 'error', error: 'journal unreadable', value: [{ number: 1 }, { number: 2 }] });
  });

  it('asks each rollout history once, and says which failed', async () => {
    const { api, waiting } = deferredApi();
    const store = createServiceHistoryStore(api);
    const loading = store.getState().loadHistories(['r1', 'r2']);
    void store.getState().loadHistories(['r1', 'r2']);
    expect(waiting.map((w) => w.what)).toEqual(['history r1', 'history r2']);
    waiting[0]!.resolve(history('r1'));
    waiting[1]!.reject(new Error('rollout r2 is not on record'));
    await loading;
    expect(store.getState().histories.get('r1')).toMatchObject({ status: 'ok', value: { id: 'r1' } });
    expect(store.getState().histories.get('r2')).toEqual({ status: 'error', error: 'rollout r2 is not on record' });
    await store.getState().loadHistories(['r1', 'r2']);
    expect(waiting).toHaveLength(2);
  });
});
