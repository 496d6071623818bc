import { describe, expect, it } from 'vitest';
import type { RolloutPlan } from '../../../shared/rollout';
import {
  addLane, cardsOf, defaultLanes, refreshCards, lanesOfPlan, moveCard, moveLane, openOfPlan, planWarnings, presetLanes, presetWindow, relayForMode, removeLane, startRequest,
  type FleetView, type PlanCard, type PlanParams,
} from './planModel';

const PARAMS: PlanParams = { parallelism: 1, delayMs: 0, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' };

/** h1: web-1, web-2, web-10, db-1; h2: web-3, db-2; h10: web-4 (h10 sorts after h2, web-10 after web-2). */
type Member = { host: string; name: string; service: string | undefined; group: string | undefined };
const members: Member[] = [
  { host: 'h2', name: 'web-3', service: 'web', group: 'pay' },
  { host: 'h1', name: 'web-10', service: 'web', group: 'pay' },
  { host: 'h1', name: 'web-2', service: 'web', group: 'pay' },
  { host: 'h10', name: 'web-4', service: 'web', group: 'pay' },
  { host: 'h1', name: 'db-1', service: 'db', group: 'core' },
  { host: 'h2', name: 'db-2', service: 'db', group: 'core' },
  { host: 'h1', name: 'tools', group: undefined, service: undefined },
];

function fleetOf(list: Member[], states: Record<string, 'online' | 'offline' | 'error'> = {}): FleetView {
  const containers = new Map<string, FleetView['containers'] extends ReadonlyMap<string, infer V> ? V : never>();
  list.forEach((m, i) => {
    const ip = `10.0.0.${i + 2}`;
    containers.set(m.host, [...(containers.get(m.host) ?? []), { name: m.name, ips: [{ network: 'br0', ip, mac: `02:00:00:00:00:0${i}` }], ...(m.service ? { service: m.service } : {}), ...(m.group ? { group: m.group } : {}) }]);
  });
  const hosts = new Map(['h1', 'h2', 'h10'].map((h) => [h, { state: states[h] ?? 'online' }]));
  return { hosts, containers };
}

const plan = (list: Member[]): Pick<RolloutPlan, 'targets'> => ({
  targets: list.map((m, i) => ({ host: m.host, name: m.name, id: `id${i}`, ...(m.service ? { service: m.service } : {}), from: { image: 'app:1', digest: 'sha256:1' }, to: { image: 'app:2' }, forcedStopFirst: true })),
});

const FLEET = fleetOf(members);
const CARDS = cardsOf(plan(members), FLEET);

describe('cards and the default lanes', () => {
  it('takes each target with what the fleet knows of it (group, first address, host state)', () => {
    const card = CARDS.get('h1/web-2')!;
    expect(card).toEqual<PlanCard>({ key: 'h1/web-2', host: 'h1', name: 'web-2', id: 'id2', service: 'web', group: 'pay', ip: '10.0.0.4', mac: '02:00:00:00:00:02', from: { image: 'app:1', digest: 'sha256:1' }, to: { image: 'app:2' }, forcedStopFirst: true, hostOnline: true });
    const offline = cardsOf(plan(members), fleetOf(members, { h2: 'offline' }));
    expect(offline.get('h2/web-3')?.hostOnline).toBe(false);
    expect(offline.get('h1/web-2')?.hostOnline).toBe(true);
  });

  it('follows the fleet: a host gone offline, a new address; the same cards when nothing changed', () => {
    expect(refreshCards(CARDS, FLEET)).toBe(CARDS);
    const later = fleetOf(members.map((m) => (m.name === 'web-2' ? { ...m, group: 'ops' } : m)), { h2: 'offline' });
    const next = refreshCards(CARDS, later);
    expect(next.get('h2/web-3')?.hostOnline).toBe(false);
    expect(next.get('h1/web-2')).toMatchObject({ group: 'ops', hostOnline: true, from: { image: 'app:1', digest: 'sha256:1' } });
    expect(next.get('h1/db-1')).toBe(CARDS.get('h1/db-1'));
  });

  it('opens one lane per card, by host then name, naturally', () => {
    expect(defaultLanes(CARDS)).toEqual([['h1/db-1'], ['h1/tools'], ['h1/web-2'], ['h1/web-10'], ['h2/db-2'], ['h2/web-3'], ['h10/web-4']]);
  });
});

describe('presets', () => {
  it('one host at a time: lane i holds the i-th container of each host', () => {
    expect(presetLanes(CARDS, { kind: 'host' })).toEqual([
      ['h1/db-1', 'h2/db-2', 'h10/web-4'],
      ['h1/tools', 'h2/web-3'],
      ['h1/web-2'],
      ['h1/web-10'],
    ]);
  });

  it('one business line at a time: a lane per group by name, the ungrouped last', () => {
    expect(presetLanes(CARDS, { kind: 'group' })).toEqual([
      ['h1/db-1', 'h2/db-2'],
      ['h1/web-2', 'h1/web-10', 'h2/web-3', 'h10/web-4'],
      ['h1/tools'],
    ]);
  });

  it('N at a time: the default order cut in lanes of N (a bad N counts as 1)', () => {
    expect(presetLanes(CARDS, { kind: 'n', n: 3 })).toEqual([['h1/db-1', 'h1/tools', 'h1/web-2'], ['h1/web-10', 'h2/db-2', 'h2/web-3'], ['h10/web-4']]);
    expect(presetLanes(CARDS, { kind: 'n', n: 0 })).toEqual(defaultLanes(CARDS));
  });

  it('all at once: one lane', () => {
    expect(presetLanes(CARDS, { kind: 'all' })).toEqual([defaultLanes(CARDS).flat()]);
    expect(presetLanes(new Map(), { kind: 'all' })).toEqual([]);
  });

  it('in window mode, lays the order; N and all at once also set the window', () => {
    expect(presetWindow(CARDS, { kind: 'host' })).toEqual({ order: presetLanes(CARDS, { kind: 'host' }).flat() });
    expect(presetWindow(CARDS, { kind: 'n', n: 2 })).toEqual({ order: defaultLanes(CARDS).flat(), parallelism: 2 });
    expect(presetWindow(CARDS, { kind: 'all' })).toEqual({ order: defaultLanes(CARDS).flat(), parallelism: 0 });
  });
});

describe('moves', () => {
  const lanes = [['a', 'b', 'c'], ['d'], []];

  it('moves a card within its lane', () => {
    expect(moveCard(lanes, 'a', 0, 2)).toEqual([['b', 'c', 'a'], ['d'], []]);
    expect(moveCard(lanes, 'c', 0, 0)).toEqual([['c', 'a', 'b'], ['d'], []]);
    expect(moveCard(lanes, 'b', 0, 99)).toEqual([['a', 'c', 'b'], ['d'], []]);
  });

  it('moves a card to another lane, an empty one, or a new lane at the end; the lane it left stays', () => {
    expect(moveCard(lanes, 'd', 0, 1)).toEqual([['a', 'd', 'b', 'c'], [], []]);
    expect(moveCard(lanes, 'a', 2, 0)).toEqual([['b', 'c'], ['d'], ['a']]);
    expect(moveCard(lanes, 'b', 3, 0)).toEqual([['a', 'c'], ['d'], [], ['b']]);
  });

  it('leaves the lanes as they are for a move that is none', () => {
    expect(moveCard(lanes, 'a', 0, 0)).toBe(lanes);
    expect(moveCard(lanes, 'zz', 0, 0)).toBe(lanes);
    expect(moveCard(lanes, 'a', 4, 0)).toBe(lanes);
    expect(moveCard(lanes, 'a', -1, 0)).toBe(lanes);
  });

  it('moves a lane', () => {
    expect(moveLane(lanes, 0, 2)).toEqual([['d'], [], ['a', 'b', 'c']]);
    expect(moveLane(lanes, 2, 0)).toEqual([[], ['a', 'b', 'c'], ['d']]);
    expect(moveLane(lanes, 1, 1)).toBe(lanes);
    expect(moveLane(lanes, 5, 0)).toBe(lanes);
  });

  it('adds an empty lane at the end and removes only an empty one', () => {
    expect(addLane(lanes)).toEqual([['a', 'b', 'c'], ['d'], [], []]);
    expect(removeLane(lanes, 2)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(removeLane(lanes, 1)).toBe(lanes);
    expect(removeLane(lanes, 7)).toBe(lanes);
  });

  it('turns lanes into the window order and back, cut by the window size', () => {
    expect(relayForMode([['a', 'b'], [], ['c']], 'batches', 'window', 2)).toEqual([['a', 'b', 'c']]);
    expect(relayForMode([['a', 'b', 'c']], 'window', 'batches', 2)).toEqual([['a', 'b'], ['c']]);
    expect(relayForMode([['a', 'b', 'c']], 'window', 'batches', 0)).toEqual([['a', 'b', 'c']]);
    const same = [['a']];
    expect(relayForMode(same, 'window', 'window', 1)).toBe(same);
  });
});

describe('warnings', () => {
  const lanes = defaultLanes(CARDS);

  it('warns of no lane that leaves a replica up, and an empty lane is fine', () => {
    expect(planWarnings(CARDS, [...lanes, []], 'batches', PARAMS, FLEET)).toEqual([]);
  });

  it('warns of a lane that takes every replica of a service down, counting the replicas in the fleet', () => {
    const both = moveCard(lanes, 'h2/db-2', 0, 1);
    expect(planWarnings(CARDS, both, 'batches', PARAMS, FLEET)).toEqual(['Batch 1 takes every replica of db down at once']);
    // Scope: only web-2 and web-10, but the fleet runs four web replicas: all at once is not all of web.
    const scoped = cardsOf(plan(members.filter((m) => m.host === 'h1' && m.service === 'web')), FLEET);
    expect(planWarnings(scoped, presetLanes(scoped, { kind: 'all' }), 'batches', PARAMS, FLEET)).toEqual([]);
    expect(planWarnings(CARDS, presetLanes(CARDS, { kind: 'all' }), 'batches', PARAMS, FLEET)).toEqual(['Batch 1 takes every replica of db down at once', 'Batch 1 takes every replica of web down at once']);
  });

  it('does not count a card that starts first; a static address forces stop-first', () => {
    const dynamic = new Map([...CARDS].map(([k, c]) => [k, { ...c, forcedStopFirst: k !== 'h1/db-1' }]));
    const all = presetLanes(CARDS, { kind: 'all' });
    expect(planWarnings(dynamic, all, 'batches', { ...PARAMS, order: 'start-first' }, FLEET)).toEqual(['Batch 1 takes every replica of web down at once']);
    const allDynamic = new Map([...CARDS].map(([k, c]) => [k, { ...c, forcedStopFirst: false }]));
    expect(planWarnings(allDynamic, all, 'batches', { ...PARAMS, order: 'start-first' }, FLEET)).toEqual([]);
  });

  it('in window mode, warns of a window wide enough to hold every replica of a service at once', () => {
    // db-1 tools web-2 web-10 db-2 web-3 web-4: the dbs span 5, the webs 5 (from web-2 to web-4).
    const order = [defaultLanes(CARDS).flat()];
    expect(planWarnings(CARDS, order, 'window', { ...PARAMS, parallelism: 4 }, FLEET)).toEqual([]);
    expect(planWarnings(CARDS, order, 'window', { ...PARAMS, parallelism: 5 }, FLEET)).toEqual(['The window of 5 takes every replica of db down at once', 'The window of 5 takes every replica of web down at once']);
    const dbsApart = moveCard(order, 'h2/db-2', 0, 6);
    expect(planWarnings(CARDS, dbsApart, 'window', { ...PARAMS, parallelism: 5 }, FLEET)).toEqual(['The window of 5 takes every replica of web down at once']);
    expect(planWarnings(CARDS, order, 'window', { ...PARAMS, parallelism: 0 }, FLEET)).toEqual(['The window of 7 takes every replica of db down at once', 'The window of 7 takes every replica of web down at once']);
  });

  it('warns of each host that is not online', () => {
    const fleet = fleetOf(members, { h2: 'offline', h10: 'error' });
    expect(planWarnings(cardsOf(plan(members), fleet), lanes, 'batches', PARAMS, fleet)).toEqual(['h2 is offline', 'h10 is in error']);
    const unknown = cardsOf(plan([{ host: 'h9', name: 'x', service: undefined, group: undefined }]), FLEET);
    expect(planWarnings(unknown, [['h9/x']], 'batches', PARAMS, FLEET)).toEqual(['h9 is not in the fleet']);
  });
});

describe('the rolloutStart request', () => {
  it('sends batch mode as its non-empty lanes, without the window size', () => {
    expect(startRequest({ service: 'web', action: 'restart' }, 'batches', [['h1/a'], [], ['h2/b', 'h1/c']], { ...PARAMS, delayMs: 2_000 })).toEqual({
      action: 'restart', service: 'web', lanes: [['h1/a'], ['h2/b', 'h1/c']],
      params: { delayMs: 2_000, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' },
    });
  });

  it('sends window mode as a sequence with the window size', () => {
    expect(startRequest({ containers: ['h1/a', 'h2/b'], action: 'deploy', image: 'app:2' }, 'window', [['h2/b', 'h1/a']], { ...PARAMS, parallelism: 2, failureAction: 'rollback' })).toEqual({
      action: 'deploy', containers: ['h1/a', 'h2/b'], image: 'app:2', sequence: ['h2/b', 'h1/a'],
      params: { parallelism: 2, delayMs: 0, monitorMs: 5_000, failureAction: 'rollback', maxFailureRatio: 0, order: 'stop-first' },
    });
  });

  it('carries a rollback revision', () => {
    expect(startRequest({ service: 'web', action: 'rollback', toRevision: 3 }, 'batches', [['h1/a']], PARAMS)).toMatchObject({ action: 'rollback', service: 'web', toRevision: 3, lanes: [['h1/a']] });
    expect(startRequest({ service: 'web', action: 'rollback' }, 'batches', [['h1/a']], PARAMS)).not.toHaveProperty('toRevision');
  });
});

describe('a recorded plan', () => {
  const recorded: Pick<RolloutPlan, 'action' | 'service' | 'targets' | 'mode'> = { action: 'deploy', service: 'web', ...plan(members.slice(0, 3)), mode: { kind: 'batches', lanes: [[0, 2], [1]] } };

  it('gives its lanes back as card keys, or its window order', () => {
    expect(lanesOfPlan(recorded)).toEqual({ mode: 'batches', lanes: [['h2/web-3', 'h1/web-2'], ['h1/web-10']] });
    expect(lanesOfPlan({ ...recorded, mode: { kind: 'window' } })).toEqual({ mode: 'window', lanes: [['h2/web-3', 'h1/web-10', 'h1/web-2']] });
  });

  it('says what it was opened as', () => {
    expect(openOfPlan(recorded)).toEqual({ service: 'web', action: 'deploy', image: 'app:2' });
    expect(openOfPlan({ action: 'restart', targets: recorded.targets })).toEqual({ containers: ['h2/web-3', 'h1/web-10', 'h1/web-2'], action: 'restart' });
  });
});
