// Unit tests of a service's revision numbering (revisions.ts) over hand-made journal records.
import { describe, expect, it } from 'vitest';
import { revisionMadeBy, revisionPairs, revisionsOf, type RevisionSource } from './revisions';
import type { ContainerStep, RecordedRevision, RolloutAction, RolloutState } from './types';

const rev = (container: string, tag: string): RecordedRevision => ({ container, image: `reg/app:${tag}`, digest: `sha256:${tag}`, createConfig: { body: { Image: `reg/app:${tag}` } } });

interface Made {
  id: string;
  action?: RolloutAction;
  state?: RolloutState | 'interrupted';
  /** container -> [from tag, to tag] */
  change?: Record<string, [string, string]>;
  steps?: Record<string, ContainerStep>;
  service?: string;
}

function record({ id, action = 'deploy', state = 'completed', change = {}, steps = {}, service = 'api' }: Made): RevisionSource {
  const keys = Object.keys(change).length ? Object.keys(change) : Object.keys(steps);
  return {
    id,
    action,
    state,
    plan: { targets: keys.map((k) => ({ host: k.split('/')[0]!, name: k.split('/')[1]!, service })) },
    containers: keys.map((k) => ({ time: 't', container: k, step: steps[k] ?? (state === 'completed' ? 'done' : 'queued') })),
    revisions: Object.entries(change).flatMap(([k, [from, to]]) => [rev(k, from), rev(k, to)]),
  };
}

const digests = (r: { containers: { host: string; name: string; digest?: string }[] }) => r.containers.map((c) => `${c.host}/${c.name}@${c.digest}`);

describe('revisionsOf', () => {
  it('numbers 1 the from of the first image change, then one per completed deploy or rollback; restarts add none', () => {
    const revisions = revisionsOf([
      record({ id: 'r0', action: 'restart', steps: { 'h1/a': 'done', 'h2/b': 'done' } }),
      record({ id: 'd1', change: { 'h2/b': ['1.0', '1.1'], 'h1/a': ['1.0', '1.1'] } }),
      record({ id: 'r1', action: 'restart', steps: { 'h1/a': 'done', 'h2/b': 'done' } }),
      record({ id: 'd2', change: { 'h1/a': ['1.1', '2.0'], 'h2/b': ['1.1', '2.0'] } }),
      record({ id: 'b1', action: 'rollback', change: { 'h1/a': ['2.0', '1.0'], 'h2/b': ['2.0', '1.0'] } }),
    ]).get('api')!;
    expect(revisions.map((r) => [r.number, r.madeBy, r.current, digests(r)])).toEqual([
      [1, undefined, false, ['h1/a@sha256:1.0', 'h2/b@sha256:1.0']],
      [2, 'd1', false, ['h1/a@sha256:1.1', 'h2/b@sha256:1.1']],
      [3, 'd2', false, ['h1/a@sha256:2.0', 'h2/b@sha256:2.0']],
      [4, 'b1', true, ['h1/a@sha256:1.0', 'h2/b@sha256:1.0']],
    ]);
    expect(revisions[0]!.recordedBy).toBe('d1');
    expect(revisions[0]!.containers[0]).toEqual({ host: 'h1', name: 'a', image: 'reg/app:1.0', digest: 'sha256:1.0', createConfig: { body: { Image: 'reg/app:1.0' } } });
  });

  it('a rollout that did not complete adds no revision, but its from still makes revision 1', () => {
    const revisions = revisionsOf([
      record({ id: 'd1', state: 'rolled-back', change: { 'h1/a': ['1.0', 'bad'] }, steps: { 'h1/a': 'rolled-back' } }),
      record({ id: 'd2', state: 'interrupted', change: { 'h1/a': ['1.0', '1.1'] }, steps: { 'h1/a': 'stopping' } }),
      record({ id: 'd3', state: 'paused', change: { 'h1/a': ['1.0', '1.1'] }, steps: { 'h1/a': 'done' } }),
    ]).get('api')!;
    expect(revisions.map((r) => [r.number, r.recordedBy, r.current, digests(r)])).toEqual([[1, 'd1', true, ['h1/a@sha256:1.0']]]);
  });

  it('a completed rollout keeps the previous revision of a container that did not reach done (failure action continue), and of one outside its scope', () => {
    const revisions = revisionsOf([
      record({ id: 'd1', change: { 'h1/a': ['1.0', '1.1'], 'h1/b': ['1.0', '1.1'] } }),
      record({ id: 'd2', change: { 'h1/a': ['1.1', '2.0'], 'h1/b': ['1.1', '2.0'] }, steps: { 'h1/a': 'done', 'h1/b': 'failed' } }),
      record({ id: 'd3', change: { 'h1/b': ['1.1', '3.0'] } }),
      record({ id: 'd4', change: { 'h1/c': ['0.9', '3.0'] } }),
    ]).get('api')!;
    expect(revisions.map(digests)).toEqual([
      ['h1/a@sha256:1.0', 'h1/b@sha256:1.0'],
      ['h1/a@sha256:1.1', 'h1/b@sha256:1.1'],
      ['h1/a@sha256:2.0', 'h1/b@sha256:1.1'],
      ['h1/a@sha256:2.0', 'h1/b@sha256:3.0'],
      ['h1/a@sha256:2.0', 'h1/b@sha256:3.0', 'h1/c@sha256:3.0'],
    ]);
  });

  it('keeps services apart, and a rollout with nothing recorded (cut before its first step) makes none', () => {
    const all = revisionsOf([
      record({ id: 'x', state: 'failed', steps: { 'h1/a': 'failed' } }),
      record({ id: 'd1', change: { 'h1/a': ['1.0', '1.1'] } }),
      record({ id: 'w1', service: 'web', change: { 'h2/w': ['5', '6'] } }),
    ]);
    expect([...all.keys()]).toEqual(['api', 'web']);
    expect(all.get('api')!.map((r) => [r.number, r.recordedBy])).toEqual([[1, 'd1'], [2, 'd1']]);
    expect(revisionMadeBy(all)).toEqual(new Map([['d1', { service: 'api', revision: 2 }], ['w1', { service: 'web', revision: 2 }]]));
    expect(revisionsOf([]).size).toBe(0);
  });
});

describe('revisionPairs', () => {
  it('takes the first from and to per container: a resumed run journals them again', () => {
    const pairs = revisionPairs([rev('h1/a', '1.0'), rev('h1/a', '1.1'), rev('h1/b', '1.0'), rev('h1/a', '1.0'), rev('h1/a', '1.1')]);
    expect(pairs.get('h1/a')).toEqual({ from: rev('h1/a', '1.0'), to: rev('h1/a', '1.1') });
    expect(pairs.get('h1/b')).toEqual({ from: rev('h1/b', '1.0') });
  });
});
