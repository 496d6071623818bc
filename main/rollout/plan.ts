// Rollout plans: the containers to change, in order, with their mode (a sliding window or explicit
// lanes) and Swarm's update_config parameters with its defaults. Pure: every bad input is a
// PlanError with a message for the operator, before anything is touched.
import type { PlanMode, PlanTarget, RolloutAction, RolloutParams, RolloutPlan, UpdateOrder } from './types';

/** Swarm's update_config defaults (docker service create --help), as issue 11 asks. */
export const DEFAULT_PARAMS: RolloutParams = {
  parallelism: 1,
  delayMs: 0,
  monitorMs: 5_000,
  failureAction: 'pause',
  maxFailureRatio: 0,
  order: 'stop-first',
};

export class PlanError extends Error {
  override name = 'PlanError';
}

export interface PlanInput {
  id: string;
  action: RolloutAction;
  service?: string;
  /** The scope: every container the rollout changes, in any order. */
  targets: Omit<PlanTarget, 'order'>[];
  params?: Partial<RolloutParams>;
  /** An explicit order: HOST/NAME of every container in scope, each once. */
  sequence?: string[];
  /** Explicit lanes, run one after another: HOST/NAME of every container in scope, each once. */
  lanes?: string[][];
  isRollback?: boolean;
}

/** How a plan names a container: HOST/NAME (the CLI's --sequence and --batches spell it so). */
export const targetKey = (t: { host: string; name: string }): string => `${t.host}/${t.name}`;

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The default order: by host, then by name, naturally ("web-2" before "web-10"). */
export const byHostThenName = (a: { host: string; name: string }, b: { host: string; name: string }): number =>
  natural(a.host, b.host) || natural(a.name, b.name);

/** A static IP or MAC is unique, so its container is always stop-first, whatever the order asked. */
export const orderOf = (target: Pick<PlanTarget, 'forcedStopFirst'>, params: Pick<RolloutParams, 'order'>): UpdateOrder =>
  target.forcedStopFirst ? 'stop-first' : params.order;

export function buildPlan(input: PlanInput): RolloutPlan {
  if (input.sequence && input.lanes) throw new PlanError('give either a sequence or batches, not both');
  const params = checkParams({ ...DEFAULT_PARAMS, ...definedOnly(input.params ?? {}) });
  if (input.targets.length === 0) throw new PlanError('nothing to change: the scope has no containers');
  const byKey = new Map<string, Omit<PlanTarget, 'order'>>();
  for (const t of input.targets) {
    if (byKey.has(targetKey(t))) throw new PlanError(`${targetKey(t)} is in the scope twice`);
    byKey.set(targetKey(t), t);
  }

  let ordered: Omit<PlanTarget, 'order'>[];
  let mode: PlanMode = { kind: 'window' };
  if (input.lanes) {
    input.lanes.forEach((lane, i) => {
      if (lane.length === 0) throw new PlanError(`batches: batch ${i + 1} is empty`);
    });
    ordered = resolveNames(input.lanes.flat(), byKey, 'batches');
    let next = 0;
    mode = { kind: 'batches', lanes: input.lanes.map((lane) => lane.map(() => next++)) };
  } else if (input.sequence) {
    ordered = resolveNames(input.sequence, byKey, 'sequence');
  } else {
    ordered = [...input.targets].sort(byHostThenName);
  }

  return {
    id: input.id,
    action: input.action,
    ...(input.service !== undefined ? { service: input.service } : {}),
    targets: ordered.map((t) => ({ ...t, order: orderOf(t, params) })),
    mode,
    params,
    isRollback: input.isRollback ?? input.action === 'rollback',
  };
}

/** The named containers, in the given order: each in scope, each once, and none left out. */
function resolveNames(names: string[], byKey: Map<string, Omit<PlanTarget, 'order'>>, what: string): Omit<PlanTarget, 'order'>[] {
  const seen = new Set<string>();
  const out = names.map((name) => {
    const target = byKey.get(name);
    if (!target) throw new PlanError(`${what}: ${name} is not in the scope (${[...byKey.keys()].join(', ')})`);
    if (seen.has(name)) throw new PlanError(`${what}: ${name} is named twice`);
    seen.add(name);
    return target;
  });
  const missing = [...byKey.keys()].filter((k) => !seen.has(k));
  if (missing.length > 0) throw new PlanError(`${what}: ${missing.join(', ')} left out (name every container in the scope once)`);
  return out;
}

function definedOnly(p: Partial<RolloutParams>): Partial<RolloutParams> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<RolloutParams>;
}

function checkParams(p: RolloutParams): RolloutParams {
  if (!Number.isInteger(p.parallelism) || p.parallelism < 0) throw new PlanError(`parallelism must be a whole number ≥ 0 (0: all at once), not ${p.parallelism}`);
  if (!Number.isFinite(p.delayMs) || p.delayMs < 0) throw new PlanError(`delay must be ≥ 0, not ${p.delayMs} ms`);
  if (!Number.isFinite(p.monitorMs) || p.monitorMs < 0) throw new PlanError(`monitor must be ≥ 0, not ${p.monitorMs} ms`);
  if (!(p.maxFailureRatio >= 0 && p.maxFailureRatio <= 1)) throw new PlanError(`max failure ratio must be between 0 and 1, not ${p.maxFailureRatio}`);
  if (!['pause', 'rollback', 'continue'].includes(p.failureAction)) throw new PlanError(`failure action must be pause, rollback or continue, not ${String(p.failureAction)}`);
  if (!['stop-first', 'start-first'].includes(p.order)) throw new PlanError(`order must be stop-first or start-first, not ${String(p.order)}`);
  return p;
}
