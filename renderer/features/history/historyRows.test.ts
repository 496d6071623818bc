import { describe, expect, it } from 'vitest';
import type { RolloutHistory, RolloutSummary, ServiceRevision } from '../../../shared/rollout';
import { defaultRevision, historyRows, imagesText, paramsText, revisionRows, rolloutDuration, serviceRollouts } from './historyRows';

const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 10, min)).toISOString();
const summary = (id: string, startMin: number, patch: Partial<RolloutSummary> = {}): RolloutSummary => ({
  id, action: 'deploy', service: 'web', startedBy: { user: 'carol', source: 'cli' }, startedAt: at(startMin), state: 'completed',
  containers: [{ host: 'h1', name: 'web-1', step: 'done', time: at(startMin) }, { host: 'h2', name: 'web-2', step: 'failed', time: at(startMin) }],
  ...patch,
});
const PARAMS = { parallelism: 2, delayMs: 1_500, monitorMs: 5_000, failureAction: 'rollback', maxFailureRatio: 0.25, order: 'start-first' } as const;

describe('a service history', () => {
  it('lists only the service, newest first', () => {
    const rollouts = new Map([summary('a', 1), summary('b', 30), summary('c', 20, { service: 'db' }), summary('d', 5, { service: undefined })].map((r) => [r.id, r]));
    expect(serviceRollouts(rollouts, 'web').map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('takes the duration from start to end, to now while running or paused, and none once cut off', () => {
    const now = Date.parse(at(50));
    expect(rolloutDuration({ startedAt: at(10), endedAt: at(12), state: 'completed' }, now)).toBe(120_000);
    expect(rolloutDuration({ startedAt: at(10), state: 'running' }, now)).toBe(40 * 60_000);
    expect(rolloutDuration({ startedAt: at(10), state: 'paused' }, now)).toBe(40 * 60_000);
    expect(rolloutDuration({ startedAt: at(10), state: 'interrupted' }, now)).toBeUndefined();
    expect(rolloutDuration({ startedAt: 'garbage', endedAt: at(12), state: 'completed' }, now)).toBeUndefined();
  });

  it('says the parameters in words, window or batches', () => {
    expect(paramsText({ mode: { kind: 'window' }, params: PARAMS })).toBe('2 at a time · delay 1s · monitor 5s · on failure rollback · max failures 25% · start-first');
    expect(paramsText({ mode: { kind: 'window' }, params: { ...PARAMS, parallelism: 0, delayMs: 0, maxFailureRatio: 0.125 } })).toMatch(/^all at once · delay 0s · .* max failures 12\.5%/);
    expect(paramsText({ mode: { kind: 'batches', lanes: [[0], [1, 2], [3]] }, params: PARAMS })).toMatch(/^3 batches · /);
    expect(paramsText({ mode: { kind: 'batches', lanes: [[0, 1]] }, params: PARAMS })).toMatch(/^1 batch · /);
  });

  it('makes rows with counts, and parameters once the rollout history has come', () => {
    const plan = { mode: { kind: 'window' }, params: PARAMS } as unknown as RolloutHistory['plan'];
    const rows = historyRows([summary('a', 1, { endedAt: at(3) }), summary('b', 5)], new Map([['a', { value: { plan } as RolloutHistory }], ['b', {}]]), Date.parse(at(9)));
    expect(rows.map((r) => [r.rollout.id, r.durationMs, r.done, r.failed, r.params?.slice(0, 10)])).toEqual([['a', 120_000, 1, 1, '2 at a tim'], ['b', undefined, 1, 1, undefined]]);
  });
});

describe('revisions', () => {
  const rev = (number: number, current: boolean, madeBy?: string, digests: (string | undefined)[] = ['sha256:' + 'a'.repeat(64)]): ServiceRevision => ({
    number, current, ...(madeBy ? { madeBy } : {}),
    containers: digests.map((d, i) => ({ host: `h${i + 1}`, name: `web-${i + 1}`, image: `app:${number}`, ...(d ? { digest: d } : {}) })),
  });

  it('lists them newest first with distinct images and short digests, and the rollout that made each', () => {
    const rollouts = new Map([['r2', summary('r2', 1)]]);
    const rows = revisionRows([rev(1, false), rev(2, true, 'r2', ['sha256:' + 'b'.repeat(64), 'sha256:' + 'b'.repeat(64), undefined]), rev(3, false, 'gone')], rollouts);
    expect(rows.map((r) => r.number)).toEqual([3, 2, 1]);
    expect(rows[1]).toEqual({ number: 2, current: true, containers: 3, images: ['app:2'], digests: ['sha256:bbbbbbbbbbbb'], madeBy: 'r2', madeByTitle: 'deploy of web' });
    expect(rows[0]).toMatchObject({ madeBy: 'gone', madeByTitle: undefined });
  });

  it('offers first the newest revision before the current one', () => {
    expect(defaultRevision([rev(1, false), rev(2, false), rev(3, true)])).toBe(2);
    expect(defaultRevision([rev(1, true)])).toBeUndefined();
    expect(defaultRevision([rev(1, false), rev(2, false)])).toBe(2);
    expect(defaultRevision([])).toBeUndefined();
  });
});

describe('images in words', () => {
  it('names one repository once with its tags, and several in full', () => {
    expect(imagesText(['registry.internal:5000/user/session:2024.11.3', 'registry.internal:5000/user/session:v3.12.1'])).toBe('session:2024.11.3, v3.12.1');
    expect(imagesText(['198.18.0.1:5000/lab/app'])).toBe('app');
    expect(imagesText(['a/app:1', 'b/app:1'])).toBe('a/app:1, b/app:1');
    expect(imagesText([])).toBe('');
  });
});
