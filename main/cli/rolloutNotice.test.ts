import { describe, expect, it } from 'vitest';
import type { RolloutSummary } from '../rollout/journal';
import { unfinishedLine, unfinishedNotice } from './rolloutNotice';

const step = (container: string, s: RolloutSummary['containers'][number]['step']) => ({ time: '2026-12-01T00:00:00.000Z', container, step: s });

function summary(id: string, state: RolloutSummary['state'], over: Partial<RolloutSummary> = {}): RolloutSummary {
  return {
    id,
    action: 'deploy',
    service: 'web',
    startedBy: { user: 'alice', source: 'cli' },
    startedAt: '2026-12-01T00:00:00.000Z',
    state,
    process: { pid: 1, startTime: '1' },
    processAlive: false,
    containers: [step('h1/a', 'done'), step('h2/b', 'stopping'), step('h3/c', 'queued')],
    ...over,
  };
}

describe('the unfinished-rollout notice', () => {
  it('names an interrupted rollout, each container’s state, and what carries it on or reverts it', () => {
    expect(unfinishedLine(summary('r1', 'interrupted'))).toBe(
      'fleetdeck: rollout r1 (deploy of web) was interrupted: h1/a done, h2/b stopping, h3/c queued: fleetdeck resume r1, fleetdeck abort r1, or fleetdeck rollback --service web\n',
    );
  });

  it('says why a paused one paused; without a service there is no rollback --service to offer', () => {
    const { service: _service, ...listed } = summary('r2', 'paused', { reason: 'host h3 is offline: connect ECONNREFUSED', action: 'restart' });
    expect(unfinishedLine(listed)).toBe(
      'fleetdeck: rollout r2 (restart) is paused (host h3 is offline: connect ECONNREFUSED): h1/a done, h2/b stopping, h3/c queued: fleetdeck resume r2, or fleetdeck abort r2\n',
    );
  });

  it('lists only interrupted and paused rollouts, not the one the command names, and nothing for an unreadable journal', () => {
    const list = [summary('r4', 'running'), summary('r3', 'paused'), summary('r2', 'completed'), summary('r1', 'interrupted')];
    expect(unfinishedNotice({ list: () => list }).split('\n').filter(Boolean).map((l) => l.split(' ')[2])).toEqual(['r3', 'r1']);
    expect(unfinishedNotice({ list: () => list }, 'r1').split('\n').filter(Boolean).map((l) => l.split(' ')[2])).toEqual(['r3']);
    expect(
      unfinishedNotice({
        list: () => {
          throw new Error('EACCES');
        },
      }),
    ).toBe('');
  });
});
