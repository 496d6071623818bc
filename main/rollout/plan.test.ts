// Plans: defaults, the default order, explicit sequences and lanes, forced stop-first, bad input.
import { describe, expect, it } from 'vitest';
import { buildPlan, DEFAULT_PARAMS, PlanError, targetKey, type PlanInput } from './plan';

const target = (host: string, name: string, forcedStopFirst = false) => ({
  host,
  name,
  id: `${host}-${name}`,
  from: { image: 'app:1.0' },
  to: { image: 'app:1.1' },
  forcedStopFirst,
});

const scope = [target('h2', 'web-10'), target('h10', 'web-1'), target('h2', 'web-2'), target('h1', 'web-3', true)];
const input = (over: Partial<PlanInput> = {}): PlanInput => ({ id: 'r1', action: 'deploy', service: 'web', targets: scope, ...over });
const keys = (p: ReturnType<typeof buildPlan>) => p.targets.map(targetKey);

describe('buildPlan', () => {
  it("takes Swarm's defaults and orders by host, then name, naturally", () => {
    const plan = buildPlan(input());
    expect(plan.params).toEqual({ parallelism: 1, delayMs: 0, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' });
    expect(plan.params).toEqual(DEFAULT_PARAMS);
    expect(plan.mode).toEqual({ kind: 'window' });
    expect(keys(plan)).toEqual(['h1/web-3', 'h2/web-2', 'h2/web-10', 'h10/web-1']);
    expect(plan.isRollback).toBe(false);
    expect(plan.service).toBe('web');
  });

  it('keeps the given parameters and ignores undefined ones', () => {
    const plan = buildPlan(input({ params: { parallelism: 0, delayMs: 2_000, monitorMs: undefined, failureAction: 'rollback', maxFailureRatio: 0.5 } }));
    expect(plan.params).toMatchObject({ parallelism: 0, delayMs: 2_000, monitorMs: 5_000, failureAction: 'rollback', maxFailureRatio: 0.5 });
  });

  it('says a static-address container is stop-first even when start-first is asked', () => {
    const plan = buildPlan(input({ params: { order: 'start-first' } }));
    expect(plan.targets.map((t) => [targetKey(t), t.order])).toEqual([
      ['h1/web-3', 'stop-first'],
      ['h2/web-2', 'start-first'],
      ['h2/web-10', 'start-first'],
      ['h10/web-1', 'start-first'],
    ]);
  });

  it('follows an explicit sequence', () => {
    const plan = buildPlan(input({ sequence: ['h10/web-1', 'h2/web-10', 'h1/web-3', 'h2/web-2'] }));
    expect(keys(plan)).toEqual(['h10/web-1', 'h2/web-10', 'h1/web-3', 'h2/web-2']);
    expect(plan.mode).toEqual({ kind: 'window' });
  });

  it('makes lanes that index into the targets in lane order', () => {
    const plan = buildPlan(input({ lanes: [['h2/web-10', 'h1/web-3'], ['h10/web-1'], ['h2/web-2']] }));
    expect(keys(plan)).toEqual(['h2/web-10', 'h1/web-3', 'h10/web-1', 'h2/web-2']);
    expect(plan.mode).toEqual({ kind: 'batches', lanes: [[0, 1], [2], [3]] });
  });

  it('a rollback plan is marked so', () => {
    expect(buildPlan(input({ action: 'rollback' })).isRollback).toBe(true);
  });

  it.each<[string, Partial<PlanInput>, RegExp]>([
    ['negative parallelism', { params: { parallelism: -1 } }, /parallelism must be a whole number ≥ 0/],
    ['fractional parallelism', { params: { parallelism: 1.5 } }, /parallelism/],
    ['a ratio above 1', { params: { maxFailureRatio: 1.2 } }, /between 0 and 1, not 1.2/],
    ['a ratio below 0', { params: { maxFailureRatio: -0.1 } }, /between 0 and 1/],
    ['a NaN ratio', { params: { maxFailureRatio: NaN } }, /between 0 and 1/],
    ['a negative delay', { params: { delayMs: -5 } }, /delay must be ≥ 0/],
    ['a negative monitor', { params: { monitorMs: -1 } }, /monitor must be ≥ 0/],
    ['an unknown failure action', { params: { failureAction: 'retry' as never } }, /failure action must be pause, rollback or continue, not retry/],
    ['an unknown order', { params: { order: 'random' as never } }, /order must be/],
    ['an empty scope', { targets: [] }, /the scope has no containers/],
    ['a container in scope twice', { targets: [...scope, target('h2', 'web-2')] }, /h2\/web-2 is in the scope twice/],
    ['a sequence naming one outside the scope', { sequence: ['h1/web-3', 'h9/db-1'] }, /sequence: h9\/db-1 is not in the scope \(h2\/web-10, /],
    ['a sequence naming one twice', { sequence: ['h1/web-3', 'h1/web-3'] }, /sequence: h1\/web-3 is named twice/],
    ['a sequence leaving one out', { sequence: ['h1/web-3', 'h2/web-2', 'h2/web-10'] }, /sequence: h10\/web-1 left out/],
    ['batches naming one twice', { lanes: [['h1/web-3', 'h2/web-2'], ['h2/web-2', 'h2/web-10', 'h10/web-1']] }, /batches: h2\/web-2 is named twice/],
    ['an empty batch', { lanes: [['h1/web-3', 'h2/web-2', 'h2/web-10', 'h10/web-1'], []] }, /batches: batch 2 is empty/],
    ['both a sequence and batches', { sequence: ['h1/web-3'], lanes: [['h1/web-3']] }, /either a sequence or batches/],
  ])('refuses %s', (_what, over, message) => {
    expect(() => buildPlan(input(over))).toThrow(PlanError);
    expect(() => buildPlan(input(over))).toThrow(message);
  });
});
