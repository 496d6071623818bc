// Binds the rollout slice to the console's rollout service and the journal it shares with the CLI.
// What crosses to the page is the plan, the states and steps, and the revisions' images and
// digests: never a create config (env, mounts… stay in main). The engine's refusals reach the page
// with a code: 'invalid' (a bad request or a plan that cannot run, an unknown or ended rollout),
// 'conflict' (the service is being rolled out), 'not-found' (no such rollout on record).
import type { RolloutControlOp, RolloutEvent, RolloutHistory, RolloutPlan, ServiceRevision, rolloutSlice } from '../../shared/rollout';
import type { ApiOf } from '../../shared/slice';
import type { RolloutRecord, RolloutSummary as JournalSummary } from './journal';
import { toSummary, type FeedService } from './journalFeed';
import { RolloutLockedError } from './lock';
import { PlanError } from './plan';
import type { ServiceRevision as EngineRevision } from './revisions';
import { RolloutError, type RolloutRequest as ServiceRequest } from './rolloutService';
import type { RolloutPlan as EnginePlan } from './types';

/** What the slice needs of main/rollout's RolloutService (its own actor and journal; see main/core). */
export interface RolloutConsole extends FeedService {
  preview(request: ServiceRequest): Promise<EnginePlan>;
  start(request: ServiceRequest): Promise<{ id: string; done: Promise<unknown> }>;
  /** Settles when the order was applied, or once a rollout it carries on from the journal ends. */
  control(id: string, op: RolloutControlOp): Promise<unknown>;
  /** A service's recorded revisions, oldest first. */
  revisions(service: string): EngineRevision[];
}

export interface RolloutBindDeps {
  service: RolloutConsole;
  journal: { read(id: string): RolloutRecord | undefined; list(): JournalSummary[] };
  /** The rolloutEvents stream (main/rollout/journalFeed.ts). */
  feed: { subscribe(listener: (event: RolloutEvent) => void): () => void };
  log?: (message: string) => void;
}

/** An error whose `code` the bridge carries (main/core/dispatch's toRemoteError). */
class RolloutCallError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid' | 'conflict' | 'not-found',
  ) {
    super(message);
  }
}

function coded(err: unknown): unknown {
  if (err instanceof RolloutLockedError) return new RolloutCallError(err.message, 'conflict');
  if (err instanceof RolloutError || err instanceof PlanError) return new RolloutCallError(err.message, 'invalid');
  return err;
}

async function codedCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw coded(err);
  }
}

const side = (s: { image: string; digest?: string }) => ({ image: s.image, ...(s.digest ? { digest: s.digest } : {}) });

/** The plan with only what the contract names (a target may carry more for the engine). */
export function toPlan(plan: EnginePlan): RolloutPlan {
  return {
    id: plan.id,
    action: plan.action,
    ...(plan.service !== undefined ? { service: plan.service } : {}),
    targets: plan.targets.map((t) => ({
      host: t.host,
      name: t.name,
      id: t.id,
      ...(t.service !== undefined ? { service: t.service } : {}),
      from: side(t.from),
      to: side(t.to),
      forcedStopFirst: t.forcedStopFirst,
      ...(t.order ? { order: t.order } : {}),
    })),
    mode: plan.mode.kind === 'batches' ? { kind: 'batches', lanes: plan.mode.lanes } : { kind: 'window' },
    params: { ...plan.params },
    isRollback: plan.isRollback,
  };
}

/** A rollout in full, its revisions without their create configs. */
export function toHistory(record: RolloutRecord): RolloutHistory {
  return {
    ...toSummary(record),
    plan: toPlan(record.plan),
    steps: record.steps.map((s) => ({ container: s.container, step: s.step, time: s.time, ...(typeof s.detail?.error === 'string' ? { error: s.detail.error } : {}) })),
    revisions: record.revisions.map((r) => ({ container: r.container, image: r.image, ...(r.digest ? { digest: r.digest } : {}), ...(r.configDigest ? { configDigest: r.configDigest } : {}) })),
  };
}

/** A revision as the page sees it: each container's image and digest, never its create config. */
export function toRevision(revision: EngineRevision): ServiceRevision {
  return {
    number: revision.number,
    current: revision.current,
    ...(revision.madeBy !== undefined ? { madeBy: revision.madeBy } : {}),
    containers: revision.containers.map((c) => ({ host: c.host, name: c.name, ...side(c) })),
  };
}

/**
 * Runs a control order and resolves once it took: when control() settles (applied, or delivered to
 * the process that runs the rollout), or, for a rollout this process carries on from the journal
 * (control() settles only at its end), at its first step or state. A later failure is logged.
 */
async function applied(deps: RolloutBindDeps, id: string, op: RolloutControlOp): Promise<void> {
  const unhook: (() => void)[] = [];
  const heard = new Promise<void>((resolve) => {
    unhook.push(deps.service.onStep((e) => e.rolloutId === id && resolve()));
    unhook.push(deps.service.onState((e) => e.rolloutId === id && resolve()));
  });
  let answered = false;
  try {
    const done = deps.service.control(id, op);
    done.catch((err: unknown) => answered && deps.log?.(`rollout ${id}: ${op} failed: ${(err as Error).message}`));
    await Promise.race([done, heard]);
  } finally {
    answered = true;
    for (const u of unhook) u();
  }
}

export function bindRollout(deps: RolloutBindDeps): ApiOf<typeof rolloutSlice> {
  return {
    rolloutPreview: (request) => codedCall(async () => toPlan(await deps.service.preview(request))),
    rolloutStart: (request) =>
      codedCall(async () => {
        const { id, done } = await deps.service.start(request);
        // It runs on: its end shows on rolloutEvents; a failure of the engine itself goes to the log.
        done.catch((err: unknown) => deps.log?.(`rollout ${id} failed: ${(err as Error).message}`));
        return { id };
      }),
    rolloutControl: ({ id, op }) =>
      codedCall(async () => {
        await applied(deps, id, op);
        return {};
      }),
    rolloutList: async () => ({ rollouts: deps.journal.list().map((s) => toSummary(s)) }),
    rolloutHistory: ({ id }) =>
      codedCall(async () => {
        const record = deps.journal.read(id);
        if (!record) throw new RolloutCallError(`rollout ${id} is not on record`, 'not-found');
        return toHistory(record);
      }),
    rolloutRevisions: async ({ service }) => ({ revisions: deps.service.revisions(service).map(toRevision) }),
    rolloutEvents: (_params, onEvent) => deps.feed.subscribe(onEvent),
  };
}
