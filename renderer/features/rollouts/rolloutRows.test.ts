import { describe, expect, it } from 'vitest';
import type { RolloutSummary } from '../../../shared/rollout';
import { ordersFor, progress, rolloutTitle, stepWord, stoppedRollouts } from './rolloutRows';

const rollout = (id: string, startedAt: string, patch: Partial<RolloutSummary> = {}): RolloutSummary => ({
  id, action: 'deploy', service: 'web', startedBy: { user: 'carol', source: 'cli' }, startedAt, state: 'completed',
  containers: [{ host: 'h1', name: 'a', step: 'done', time: startedAt }, { host: 'h2', name: 'b', step: 'starting', time: startedAt }],
  ...patch,
});

describe('rollout rows', () => {
  it('offers the interrupted and paused rollouts, newest first', () => {
    const all = new Map([
      ['a', rollout('a', '2026-03-01T10:00:00.000Z', { state: 'interrupted' })],
      ['b', rollout('b', '2026-03-01T11:00:00.000Z')],
      ['c', rollout('c', '2026-03-01T12:00:00.000Z', { state: 'paused' })],
      ['d', rollout('d', '2026-03-01T13:00:00.000Z', { state: 'running' })],
    ]);
    expect(stoppedRollouts(all).map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('counts containers done of all, and words a rollout and its steps', () => {
    expect(progress(rollout('a', '2026-03-01T10:00:00.000Z'))).toEqual({ done: 1, total: 2 });
    expect(rolloutTitle(rollout('a', '2026-03-01T10:00:00.000Z'))).toBe('deploy of web');
    expect(rolloutTitle({ action: 'restart', containers: [{ host: 'h1', name: 'a', step: 'queued', time: '' }] })).toBe('restart of 1 container');
    expect(stepWord('waiting-healthy')).toBe('waiting healthy');
  });

  it('offers the orders a state takes, and none once it ended', () => {
    expect(ordersFor('running')).toEqual(['pause', 'abort', 'rollback']);
    expect(ordersFor('interrupted')).toEqual(['resume', 'abort', 'rollback']);
    for (const ended of ['completed', 'rolled-back', 'failed', 'aborted'] as const) expect(ordersFor(ended)).toEqual([]);
  });
});
