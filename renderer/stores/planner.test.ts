import { describe, expect, it } from 'vitest';
import type { RolloutHistory, RolloutPlan, RolloutRequest } from '../../shared/rollout';
import type { FleetView } from '../features/planner/planModel';
import { createPlannerStore, type PlannerApi } from './planner';

const T = '2026-03-01T10:00:00.000Z';
const PARAMS: RolloutPlan['params'] = { parallelism: 1, delayMs: 0, monitorMs: 10_000, failureAction: 'rollback', maxFailureRatio: 0, order: 'stop-first' };

const target = (host: string, name: string) => ({ host, name, id: `${host}-${name}`, service: 'web', from: { image: 'app:1' }, to: { image: 'app:2' }, forcedStopFirst: true });
/** The engine's preview: in its default order already, but the store sorts for itself. */
const preview: RolloutPlan = { id: 'p1', action: 'deploy', service: 'web', targets: [target('h2', 'web-3'), target('h1', 'web-10'), target('h1', 'web-2')], mode: { kind: 'window' }, params: PARAMS, isRollback: false };

const fleet: FleetView = {
  hosts: new Map([['h1', { state: 'online' }], ['h2', { state: 'offline' }]]),
  containers: new Map([
    ['h1', [{ name: 'web-2', service: 'web', group: 'pay', ips: [{ network: 'br0', ip: '10.0.0.2', mac: '02:00:00:00:00:02' }] }, { name: 'web-10', service: 'web', ips: [] }]],
    ['h2', [{ name: 'web-3', service: 'web', ips: [] }]],
  ]),
};

/** A deferred answer, to see the store between asking and being answered. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup(overrides: Partial<PlannerApi> = {}) {
  const previews: RolloutRequest[] = [];
  const starts: RolloutRequest[] = [];
  const api: PlannerApi = {
    rolloutPreview: async (r) => (previews.push(r), preview),
    rolloutStart: async (r) => (starts.push(r), { id: 'r9' }),
    rolloutHistory: async ({ id }) => Promise.reject(Object.assign(new Error(`rollout ${id} is not on record`), { code: 'not-found' })),
    ...overrides,
  };
  const now = { fleet };
  const listeners = new Set<() => void>();
  const store = createPlannerStore(api, { fleet: () => now.fleet, onFleetChange: (l) => (listeners.add(l), () => listeners.delete(l)) });
  /** The fleet store changed to `next`. */
  const fleetChanged = (next: FleetView) => ((now.fleet = next), listeners.forEach((l) => l()));
  return { store, previews, starts, fleetChanged };
}

describe('planner store against a fake Api', () => {
  it('opens a preview in batch mode, one lane per card by host then name, with the fleet on each card and the warnings', async () => {
    const { store, previews } = setup();
    const opening = store.getState().open({ service: 'web', action: 'deploy', image: 'app:2' });
    expect(store.getState().status).toBe('loading');
    await opening;
    const s = store.getState();
    expect(previews).toEqual([{ action: 'deploy', service: 'web', image: 'app:2' }]);
    expect(s.status).toBe('editing');
    expect(s.mode).toBe('batches');
    expect(s.lanes).toEqual([['h1/web-2'], ['h1/web-10'], ['h2/web-3']]);
    expect(s.params).toEqual(PARAMS);
    expect(s.cards.get('h1/web-2')).toMatchObject({ group: 'pay', ip: '10.0.0.2', hostOnline: true });
    expect(s.warnings).toEqual(['h2 is offline']);
  });

  it('shows why a preview was refused', async () => {
    const { store } = setup({ rolloutPreview: async () => Promise.reject(Object.assign(new Error('no containers of service web'), { code: 'invalid' })) });
    await store.getState().open({ service: 'web', action: 'restart' });
    expect(store.getState()).toMatchObject({ status: 'error', error: 'no containers of service web' });
  });

  it('re-lays, moves and warns as it is edited, and keeps the warnings current', async () => {
    const { store } = setup();
    await store.getState().open({ service: 'web', action: 'restart' });
    const s = () => store.getState();
    s().applyPreset({ kind: 'all' });
    expect(s().lanes).toEqual([['h1/web-2', 'h1/web-10', 'h2/web-3']]);
    expect(s().warnings).toEqual(['Batch 1 takes every replica of web down at once', 'h2 is offline']);
    s().addLane();
    s().moveCard('h2/web-3', 1, 0);
    expect(s().lanes).toEqual([['h1/web-2', 'h1/web-10'], ['h2/web-3']]);
    expect(s().warnings).toEqual(['h2 is offline']);
    s().moveLane(1, 0);
    expect(s().lanes).toEqual([['h2/web-3'], ['h1/web-2', 'h1/web-10']]);
    s().removeLane(0);
    expect(s().lanes).toHaveLength(2);
    s().addLane();
    s().removeLane(2);
    expect(s().lanes).toEqual([['h2/web-3'], ['h1/web-2', 'h1/web-10']]);
    s().applyPreset({ kind: 'n', n: 2 });
    expect(s().lanes).toEqual([['h1/web-2', 'h1/web-10'], ['h2/web-3']]);
    s().applyPreset({ kind: 'host' });
    expect(s().lanes).toEqual([['h1/web-2', 'h2/web-3'], ['h1/web-10']]);
  });

  it('switches to window mode with one order, where presets lay the order and N sets the window', async () => {
    const { store } = setup();
    await store.getState().open({ service: 'web', action: 'restart' });
    const s = () => store.getState();
    s().setMode('window');
    expect(s().lanes).toEqual([['h1/web-2', 'h1/web-10', 'h2/web-3']]);
    s().applyPreset({ kind: 'n', n: 3 });
    expect(s().params.parallelism).toBe(3);
    expect(s().warnings).toEqual(['The window of 3 takes every replica of web down at once', 'h2 is offline']);
    s().setParams({ parallelism: 2 });
    expect(s().warnings).toEqual(['h2 is offline']);
    s().addLane();
    expect(s().lanes).toHaveLength(1);
    s().setMode('batches');
    expect(s().lanes).toEqual([['h1/web-2', 'h1/web-10'], ['h2/web-3']]);
  });

  it('runs batch mode as lanes (skipping the empty ones) and window mode as a sequence with its window', async () => {
    const { store, starts } = setup();
    await store.getState().open({ service: 'web', action: 'deploy', image: 'app:2' });
    store.getState().moveCard('h2/web-3', 0, 0); // its lane stays, empty
    store.getState().addLane();
    store.getState().setParams({ delayMs: 1_000 });
    await store.getState().run();
    expect(starts[0]).toEqual({
      action: 'deploy', service: 'web', image: 'app:2', lanes: [['h2/web-3', 'h1/web-2'], ['h1/web-10']],
      params: { delayMs: 1_000, monitorMs: 10_000, failureAction: 'rollback', maxFailureRatio: 0, order: 'stop-first' },
    });
    expect(store.getState()).toMatchObject({ status: 'running', rolloutId: 'r9' });
    // Running: the plan is no longer edited.
    store.getState().moveLane(1, 0);
    expect(store.getState().lanes).toEqual([['h2/web-3', 'h1/web-2'], ['h1/web-10'], [], []]);

    const window = setup();
    await window.store.getState().open({ containers: ['h1/web-2', 'h2/web-3'], action: 'restart' });
    window.store.getState().setMode('window');
    window.store.getState().setParams({ parallelism: 2 });
    await window.store.getState().run();
    expect(window.starts[0]).toMatchObject({ action: 'restart', containers: ['h1/web-2', 'h2/web-3'], sequence: ['h1/web-2', 'h1/web-10', 'h2/web-3'], params: { parallelism: 2 } });
  });

  it('is starting until the rollout is on record, and back to editing with the reason when refused', async () => {
    const answer = deferred<{ id: string }>();
    const { store } = setup({ rolloutStart: () => answer.promise });
    await store.getState().open({ service: 'web', action: 'restart' });
    const running = store.getState().run();
    expect(store.getState().status).toBe('starting');
    answer.reject(Object.assign(new Error('service web is being rolled out by rollout r0'), { code: 'conflict' }));
    await running;
    expect(store.getState()).toMatchObject({ status: 'editing', error: 'service web is being rolled out by rollout r0' });
    expect(store.getState().rolloutId).toBeUndefined();
  });

  it('opens a rollout on record with its plan’s lanes, as running', async () => {
    const history: RolloutHistory = {
      id: 'r5', action: 'restart', service: 'web', startedBy: { user: 'carol', source: 'cli' }, startedAt: T, state: 'interrupted', containers: [],
      plan: { ...preview, id: 'r5', action: 'restart', mode: { kind: 'batches', lanes: [[0], [1, 2]] } }, steps: [], revisions: [],
    };
    const { store } = setup({ rolloutHistory: async ({ id }) => ({ ...history, id }) });
    await store.getState().openRollout('r5');
    expect(store.getState()).toMatchObject({ status: 'running', rolloutId: 'r5', mode: 'batches', lanes: [['h2/web-3'], ['h1/web-10', 'h1/web-2']], request: { service: 'web', action: 'restart' }, params: PARAMS });
    expect(store.getState().cards.size).toBe(3);

    const missing = setup();
    await missing.store.getState().openRollout('r404');
    expect(missing.store.getState()).toMatchObject({ status: 'error', error: 'rollout r404 is not on record' });
  });

  it('follows the fleet while open: a host back online drops its warning', async () => {
    const { store, fleetChanged } = setup();
    await store.getState().open({ service: 'web', action: 'restart' });
    const before = store.getState().cards;
    fleetChanged({ ...fleet, hosts: new Map([['h1', { state: 'online' }], ['h2', { state: 'online' }]]) });
    expect(store.getState().warnings).toEqual([]);
    expect(store.getState().cards.get('h2/web-3')?.hostOnline).toBe(true);
    expect(store.getState().cards.get('h1/web-2')).toBe(before.get('h1/web-2'));
    store.getState().close();
    fleetChanged(fleet);
    expect(store.getState().warnings).toEqual([]);
  });

  it('drops an answer for a plan closed (or replaced) meanwhile', async () => {
    const answer = deferred<RolloutPlan>();
    const { store } = setup({ rolloutPreview: () => answer.promise });
    const opening = store.getState().open({ service: 'web', action: 'restart' });
    store.getState().close();
    answer.resolve(preview);
    await opening;
    expect(store.getState()).toMatchObject({ status: 'closed', lanes: [], warnings: [] });
    expect(store.getState().request).toBeUndefined();
  });
});
