import { describe, expect, it } from 'vitest';
import type { RolloutEvent, RolloutHistory, RolloutSummary } from '../../shared/rollout';
import { applyRolloutEvent, createRolloutsStore, type RolloutsApi } from './rollouts';
import { testStream } from './testStream';

const T = '2026-03-01T10:00:00.000Z';
const summary = (id: string, patch: Partial<RolloutSummary> = {}): RolloutSummary => ({
  id,
  action: 'deploy',
  service: 'web',
  startedBy: { user: 'carol', source: 'cli' },
  startedAt: T,
  state: 'running',
  containers: [
    { host: 'h1', name: 'a', step: 'queued', time: T },
    { host: 'h2', name: 'b', step: 'queued', time: T },
  ],
  ...patch,
});

describe('applyRolloutEvent', () => {
  it('takes the list whole, a summary by id, and a step into its container', () => {
    const listed = applyRolloutEvent(new Map([['gone', summary('gone')]]), { kind: 'list', rollouts: [summary('r1')] });
    expect([...listed.keys()]).toEqual(['r1']);
    const stepped = applyRolloutEvent(listed, { kind: 'step', rolloutId: 'r1', host: 'h2', name: 'b', step: 'stopping', time: T });
    expect(stepped.get('r1')?.containers.map((c) => c.step)).toEqual(['queued', 'stopping']);
    expect(listed.get('r1')?.containers[1]?.step).toBe('queued');
    // A step of a rollout not known yet waits for its summary.
    expect(applyRolloutEvent(stepped, { kind: 'step', rolloutId: 'r2', host: 'h1', name: 'a', step: 'pulling', time: T })).toBe(stepped);
    const ended = applyRolloutEvent(stepped, { kind: 'state', rolloutId: 'r1', state: 'completed', rollout: summary('r1', { state: 'completed' }) });
    expect(ended.get('r1')?.state).toBe('completed');
  });
});

describe('rollouts store against a fake Api', () => {
  function setup(control: RolloutsApi['rolloutControl'] = async () => ({})) {
    const events = testStream<RolloutEvent>();
    const asked: string[] = [];
    const api: RolloutsApi = {
      rolloutEvents: events.subscribe,
      rolloutHistory: async ({ id }) => {
        asked.push(id);
        return { ...summary(id), plan: { id, action: 'deploy', targets: [], mode: { kind: 'window' }, params: { parallelism: 1, delayMs: 0, monitorMs: 0, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' }, isRollback: false }, steps: [], revisions: [] } satisfies RolloutHistory;
      },
      rolloutControl: control,
    };
    const store = createRolloutsStore(api);
    return { store, emit: events.emit, asked };
  }

  it('follows the list live, and asks the selected rollout\'s history again when its state changes', async () => {
    const { store, emit, asked } = setup();
    store.getState().connect();
    expect(store.getState().status).toBe('connecting');
    emit({ kind: 'list', rollouts: [summary('r1')] });
    expect(store.getState().status).toBe('live');
    store.getState().select('r1');
    await Promise.resolve();
    expect(store.getState().history).toMatchObject({ id: 'r1', status: 'ok' });
    emit({ kind: 'step', rolloutId: 'r1', host: 'h1', name: 'a', step: 'pulling', time: T });
    expect(asked).toEqual(['r1']);
    emit({ kind: 'state', rolloutId: 'r1', state: 'completed', rollout: summary('r1', { state: 'completed' }) });
    expect(asked).toEqual(['r1', 'r1']);
    expect(store.getState().rollouts.get('r1')?.state).toBe('completed');
  });

  it('holds an order while it is in flight, and keeps a refusal with its reason', async () => {
    let answer!: () => void;
    const calls: string[] = [];
    const { store } = setup(({ id, op }) => {
      calls.push(`${op} ${id}`);
      if (op === 'rollback') return Promise.reject(Object.assign(new Error('rollout r1 already ended (completed)'), { code: 'invalid' }));
      return new Promise((resolve) => (answer = () => resolve({})));
    });
    const resuming = store.getState().control('r1', 'resume');
    expect(store.getState().pending.get('r1')).toBe('resume');
    void store.getState().control('r1', 'resume');
    expect(calls).toEqual(['resume r1']);
    answer();
    await resuming;
    expect(store.getState().pending.size).toBe(0);
    await store.getState().control('r1', 'rollback');
    expect(store.getState().refused.get('r1')).toEqual({ op: 'rollback', message: 'rollout r1 already ended (completed)' });
  });
});
