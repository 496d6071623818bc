import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RolloutControlOp } from '../../shared/rollout';
import { createDispatcher } from '../core/dispatch';
import { stubApi } from '../core/fixtures/stubApi';
import { bindRollout, type RolloutBindDeps, type RolloutConsole } from './bind';
import type { RolloutRecord } from './journal';
import { RolloutLockedError } from './lock';
import { PlanError } from './plan';
import type { ServiceRevision } from './revisions';
import { RolloutError, type RolloutStepEvent } from './rolloutService';
import type { RolloutPlan } from './types';

const cli = { user: 'carol', source: 'cli' } as const;
const TIME = '2026-03-01T10:00:00.000Z';

const enginePlan: RolloutPlan = {
  id: 'r1',
  action: 'deploy',
  service: 'web',
  targets: [
    // A target may carry more for the engine (a rollback's recorded config): it stays in main.
    { host: 'h1', name: 'a', id: 'a-id', service: 'web', from: { image: 'app:1.0', digest: 'sha256:aaa' }, to: { image: 'app:1.1', digest: 'sha256:bbb' }, forcedStopFirst: true, order: 'stop-first', createConfig: { Env: ['TOKEN=s3cret'] } } as RolloutPlan['targets'][number],
  ],
  mode: { kind: 'window' },
  params: { parallelism: 1, delayMs: 0, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' },
  isRollback: false,
};

const record: RolloutRecord = {
  id: 'r1',
  action: 'deploy',
  service: 'web',
  startedBy: cli,
  startedAt: TIME,
  state: 'interrupted',
  process: { pid: 1, startTime: 'x' },
  processAlive: false,
  containers: [{ time: TIME, container: 'h1/a', step: 'starting' }],
  plan: enginePlan,
  steps: [{ time: TIME, container: 'h1/a', step: 'starting', detail: { fromConfigDigest: 'sha256:c1' } }],
  revisions: [{ container: 'h1/a', image: 'app:1.0', digest: 'sha256:aaa', configDigest: 'sha256:c1', createConfig: { Env: ['TOKEN=s3cret'] } }],
};

const revisions: ServiceRevision[] = [
  { number: 1, recordedBy: 'r0', current: false, containers: [{ host: 'h1', name: 'a', image: 'app:1.0', digest: 'sha256:aaa', createConfig: { Env: ['TOKEN=s3cret'] } }] },
  { number: 2, recordedBy: 'r0', madeBy: 'r1', current: true, containers: [{ host: 'h1', name: 'a', image: 'app:1.1', createConfig: { Env: ['TOKEN=s3cret'] } }] },
];

function setup(overrides: Partial<RolloutConsole> = {}) {
  const bus = new EventEmitter();
  const logged: string[] = [];
  const controls: [string, RolloutControlOp][] = [];
  const service: RolloutConsole = {
    preview: async () => enginePlan,
    start: async () => ({ id: 'r1', done: new Promise(() => {}) }),
    control: async (id, op) => void controls.push([id, op]),
    revisions: (name) => (name === 'web' ? revisions : []),
    onStep: (l) => (bus.on('step', l), () => void bus.off('step', l)),
    onState: (l) => (bus.on('state', l), () => void bus.off('state', l)),
    ...overrides,
  };
  const deps: RolloutBindDeps = {
    service,
    journal: { read: (id) => (id === 'r1' ? record : undefined), list: () => [record] },
    feed: { subscribe: () => () => {} },
    log: (m) => logged.push(m),
  };
  return { api: bindRollout(deps), bus, logged, controls };
}

describe('rollout slice binding', () => {
  it('sends the plan with only what the contract names', async () => {
    const plan = await setup().api.rolloutPreview({ action: 'deploy', service: 'web', image: 'app:1.1' });
    expect(plan.targets[0]).toEqual({ host: 'h1', name: 'a', id: 'a-id', service: 'web', from: { image: 'app:1.0', digest: 'sha256:aaa' }, to: { image: 'app:1.1', digest: 'sha256:bbb' }, forcedStopFirst: true, order: 'stop-first' });
    expect(JSON.stringify(plan)).not.toContain('s3cret');
  });

  it('sends a history with its revisions but never their create configs', async () => {
    const history = await setup().api.rolloutHistory({ id: 'r1' });
    expect(history.revisions).toEqual([{ container: 'h1/a', image: 'app:1.0', digest: 'sha256:aaa', configDigest: 'sha256:c1' }]);
    expect(history.containers).toEqual([{ host: 'h1', name: 'a', step: 'starting', time: TIME }]);
    expect(history).not.toHaveProperty('process');
    expect(JSON.stringify(history)).not.toContain('s3cret');
    await expect(setup().api.rolloutHistory({ id: 'r404' })).rejects.toMatchObject({ code: 'not-found', message: 'rollout r404 is not on record' });
  });

  it("sends a service's revisions with their images and digests but never their create configs", async () => {
    const { api } = setup();
    await expect(api.rolloutRevisions({ service: 'web' })).resolves.toEqual({
      revisions: [
        { number: 1, current: false, containers: [{ host: 'h1', name: 'a', image: 'app:1.0', digest: 'sha256:aaa' }] },
        { number: 2, current: true, madeBy: 'r1', containers: [{ host: 'h1', name: 'a', image: 'app:1.1' }] },
      ],
    });
    expect(JSON.stringify(await api.rolloutRevisions({ service: 'web' }))).not.toContain('s3cret');
    await expect(api.rolloutRevisions({ service: 'db' })).resolves.toEqual({ revisions: [] });
    const dispatcher = createDispatcher({ ...stubApi, ...api });
    await expect(dispatcher.call('rolloutRevisions', { service: '' })).rejects.toBeTruthy();
  });

  it("gives the engine's refusals a code the page can tell apart", async () => {
    const refusing = (err: Error) => setup({ preview: async () => Promise.reject(err), start: async () => Promise.reject(err) }).api;
    const locked = new RolloutLockedError('web', { pid: 7, startTime: 'x', rolloutId: 'r0', user: 'carol', source: 'cli', since: TIME });
    await expect(refusing(locked).rolloutStart({ action: 'restart', service: 'web' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('rollout r0') });
    await expect(refusing(new RolloutError('no containers of service web')).rolloutPreview({ action: 'restart', service: 'web' })).rejects.toMatchObject({ code: 'invalid', message: 'no containers of service web' });
    await expect(refusing(new PlanError('sequence: h1/x is not in the scope')).rolloutStart({ action: 'restart', service: 'web' })).rejects.toMatchObject({ code: 'invalid' });
    const other = await refusing(new Error('EACCES')).rolloutStart({ action: 'restart', service: 'web' }).catch((e: unknown) => e);
    expect(other).toMatchObject({ message: 'EACCES' });
    expect(other).not.toHaveProperty('code');
  });

  it('answers a start once the rollout is on record, and logs a later failure of the engine', async () => {
    let fail!: (err: Error) => void;
    const { api, logged } = setup({ start: async () => ({ id: 'r9', done: new Promise((_, reject) => (fail = reject)) }) });
    await expect(api.rolloutStart({ action: 'deploy', service: 'web', image: 'app:1.1' })).resolves.toEqual({ id: 'r9' });
    fail(new Error('the journal could not be written'));
    await new Promise((r) => setImmediate(r));
    expect(logged).toEqual(['rollout r9 failed: the journal could not be written']);
  });

  it('answers a control order once it took: at once, or at the first step of a rollout it carries on', async () => {
    const direct = setup();
    await expect(direct.api.rolloutControl({ id: 'r1', op: 'pause' })).resolves.toEqual({});
    expect(direct.controls).toEqual([['r1', 'pause']]);

    // Resuming an interrupted rollout runs it here: control() settles only at its end.
    const carried = setup({ control: () => new Promise(() => {}) });
    let answered = false;
    const call = carried.api.rolloutControl({ id: 'r1', op: 'resume' }).then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    carried.bus.emit('step', { rolloutId: 'other', host: 'h1', name: 'z', step: 'pulling', time: 0 } satisfies RolloutStepEvent);
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    carried.bus.emit('step', { rolloutId: 'r1', host: 'h1', name: 'a', step: 'pulling', time: 0 } satisfies RolloutStepEvent);
    await call;
    expect(carried.bus.listenerCount('step') + carried.bus.listenerCount('state')).toBe(0);

    const ended = setup({ control: async () => Promise.reject(new RolloutError('rollout r1 already ended (completed)')) });
    await expect(ended.api.rolloutControl({ id: 'r1', op: 'abort' })).rejects.toMatchObject({ code: 'invalid', message: 'rollout r1 already ended (completed)' });
    expect(ended.logged).toEqual([]);
  });

  it('takes only well-formed requests, and never who acts, from the page', async () => {
    const { api } = setup();
    const dispatcher = createDispatcher({ ...stubApi, ...api });
    await expect(dispatcher.call('rolloutStart', { action: 'deploy', service: 'web', image: 'app:1.1' })).resolves.toEqual({ id: 'r1' });
    const refused = [
      { action: 'deploy', service: 'web', image: 'app:1.1', actor: { user: 'root', source: 'cli' } },
      { action: 'deploy', service: 'web' },
      { action: 'restart', service: 'web', image: 'app:1.1' },
      { action: 'wipe', service: 'web' },
      { action: 'restart', containers: ['h1/a b'] },
      { action: 'restart', service: 'web', params: { parallelism: -1 } },
      { action: 'restart', service: 'web', params: { maxFailureRatio: 2 } },
      { action: 'rollback', service: 'web', toRevision: 0 },
    ];
    for (const request of refused) await expect(dispatcher.call('rolloutStart', request), JSON.stringify(request)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatcher.call('rolloutControl', { id: '../../etc/passwd', op: 'resume' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(dispatcher.call('rolloutControl', { id: 'r1', op: 'delete' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
