// The rollout slice: plan (a dry run), start, control, list and history of rollouts (deploy,
// rolling restart, rollback), and the rolloutEvents stream of per-container progress and rollout
// states. Main runs them on one rollout engine (main/rollout) over the journal the CLI shares, so
// a rollout started in either shows in both. Requests are checked strictly: the page is not
// trusted, and who acts is fixed by the core, never sent by the page.
import { z } from 'zod';
import { Actor } from './audit';
import { call, empty, stream } from './slice';

/** The live step of one container (main/rollout/types.ts CONTAINER_STEPS). */
export const RolloutStep = z.enum(['queued', 'pulling', 'stopping', 'starting', 'waiting-healthy', 'done', 'failed', 'rolled-back']);
export type RolloutStep = z.infer<typeof RolloutStep>;

/** A rollout's state; `interrupted`: on record without an end, its process gone. */
export const RolloutState = z.enum(['running', 'paused', 'completed', 'rolled-back', 'failed', 'aborted', 'interrupted']);
export type RolloutState = z.infer<typeof RolloutState>;

export const RolloutAction = z.enum(['deploy', 'restart', 'rollback']);
export type RolloutAction = z.infer<typeof RolloutAction>;

export const RolloutControlOp = z.enum(['pause', 'resume', 'abort', 'rollback']);
export type RolloutControlOp = z.infer<typeof RolloutControlOp>;

// Bounds on what the page may send: far above any real fleet's rollout, low enough that a bad
// page cannot make main parse or plan megabytes.
const MAX_CONTAINERS = 5_000;
const name = z.string().min(1).max(255);
/** HOST/NAME, as the CLI's --containers, --sequence and --batches spell a container. */
const hostName = z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'give HOST/NAME').max(511);
/** main/rollout/journal.ts SAFE_ID: rollout ids are file names. */
export const RolloutId = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/).max(128);

/** Swarm's update_config (issue 11); each left out takes the engine's default. Durations in ms. */
export const RolloutParams = z
  .object({
    parallelism: z.number().int().min(0).max(MAX_CONTAINERS),
    delayMs: z.number().int().min(0).max(86_400_000),
    monitorMs: z.number().int().min(0).max(86_400_000),
    failureAction: z.enum(['pause', 'rollback', 'continue']),
    maxFailureRatio: z.number().min(0).max(1),
    order: z.enum(['stop-first', 'start-first']),
  })
  .partial()
  .strict();
export type RolloutParams = z.infer<typeof RolloutParams>;

/** What every request may say: a scope (a service, or listed containers), parameters, an order. */
const scoped = {
  service: name.optional(),
  containers: z.array(hostName).min(1).max(MAX_CONTAINERS).optional(),
  params: RolloutParams.optional(),
  /** An explicit order: every container in scope, each once. */
  sequence: z.array(hostName).max(MAX_CONTAINERS).optional(),
  /** Explicit batches, run one after another. */
  lanes: z.array(z.array(hostName).max(MAX_CONTAINERS)).max(MAX_CONTAINERS).optional(),
};
/** Run in each new container once healthy; a non-zero exit fails it. */
const probe = z.array(z.string().max(4_096)).min(1).max(64).optional();

export const RolloutRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('deploy'), ...scoped, image: z.string().min(1).max(1_024), probe }).strict(),
  z.object({ action: z.literal('restart'), ...scoped, probe }).strict(),
  /** Back to a recorded revision of the service (default: the one before the current). */
  z.object({ action: z.literal('rollback'), ...scoped, toRevision: z.number().int().min(1).optional() }).strict(),
]);
export type RolloutRequest = z.infer<typeof RolloutRequest>;

const ImageSide = z.object({ image: z.string(), digest: z.string().optional() });

export const PlanTarget = z.object({
  host: z.string(),
  name: z.string(),
  id: z.string(),
  service: z.string().optional(),
  from: ImageSide,
  to: ImageSide,
  /** A static IP or MAC forces stop-first: the address is unique. */
  forcedStopFirst: z.boolean(),
  order: z.enum(['stop-first', 'start-first']).optional(),
});
export type PlanTarget = z.infer<typeof PlanTarget>;

export const RolloutPlan = z.object({
  id: z.string(),
  action: RolloutAction,
  service: z.string().optional(),
  /** In order: the window walks it; batch lanes index into it. */
  targets: z.array(PlanTarget),
  mode: z.discriminatedUnion('kind', [z.object({ kind: z.literal('window') }), z.object({ kind: z.literal('batches'), lanes: z.array(z.array(z.number().int())) })]),
  params: RolloutParams.required(),
  isRollback: z.boolean(),
});
export type RolloutPlan = z.infer<typeof RolloutPlan>;

/** One container of a rollout: its last step, when (ISO 8601 UTC) and why it failed. */
export const RolloutContainer = z.object({ host: z.string(), name: z.string(), step: RolloutStep, time: z.string(), error: z.string().optional() });
export type RolloutContainer = z.infer<typeof RolloutContainer>;

/** One rollout on record, as the list shows it. Times are ISO 8601 UTC. */
export const RolloutSummary = z.object({
  id: z.string(),
  action: RolloutAction,
  service: z.string().optional(),
  startedBy: Actor,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  state: RolloutState,
  /** Why it ended as it did (its journal's end line), or why it paused when this console knows. */
  reason: z.string().optional(),
  /** Every container in plan order, with its last step. */
  containers: z.array(RolloutContainer),
});
export type RolloutSummary = z.infer<typeof RolloutSummary>;

/** A recorded revision of one container, without its create config (which stays in main). */
export const RolloutRevision = z.object({ container: z.string(), image: z.string(), digest: z.string().optional(), configDigest: z.string().optional() });
export type RolloutRevision = z.infer<typeof RolloutRevision>;

export const RolloutHistory = RolloutSummary.extend({
  plan: RolloutPlan,
  /** Every step journaled, in order. */
  steps: z.array(z.object({ container: z.string(), step: RolloutStep, time: z.string(), error: z.string().optional() })),
  revisions: z.array(RolloutRevision),
});
export type RolloutHistory = z.infer<typeof RolloutHistory>;

/** One recorded revision of a service (main/rollout/revisions.ts), its create configs left in main. */
export const ServiceRevision = z.object({
  /** 1.. in journal order. */
  number: z.number().int().min(1),
  /** What the service runs since its last completed deploy or rollback. */
  current: z.boolean(),
  /** The completed rollout whose `to` this is; absent for revision 1. */
  madeBy: z.string().optional(),
  /** By host, then name. */
  containers: z.array(z.object({ host: z.string(), name: z.string(), image: z.string(), digest: z.string().optional() })),
});
export type ServiceRevision = z.infer<typeof ServiceRevision>;

/**
 * The first event after subscribing is the whole list (newest first); then a container's step as
 * it is reported, and a rollout's summary whenever its state changes (a new one included), from
 * this console or from another process sharing the journal.
 */
export const RolloutEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('list'), rollouts: z.array(RolloutSummary) }),
  z.object({ kind: z.literal('step'), rolloutId: z.string(), host: z.string(), name: z.string(), step: RolloutStep, time: z.string(), error: z.string().optional() }),
  z.object({ kind: z.literal('state'), rolloutId: z.string(), state: RolloutState, reason: z.string().optional(), rollout: RolloutSummary }),
]);
export type RolloutEvent = z.infer<typeof RolloutEvent>;

export const rolloutSlice = {
  calls: {
    /** The plan a request would run, checked against the fleet and the registry; changes nothing. */
    rolloutPreview: call(RolloutRequest, RolloutPlan),
    /** Resolves once the rollout is on record; it runs on, followed on rolloutEvents. */
    rolloutStart: call(RolloutRequest, z.object({ id: z.string() })),
    /** Resolves once the rollout took the order (a rollout carried on from the journal runs on). */
    rolloutControl: call(z.object({ id: RolloutId, op: RolloutControlOp }).strict(), empty),
    rolloutList: call(empty, z.object({ rollouts: z.array(RolloutSummary) })),
    rolloutHistory: call(z.object({ id: RolloutId }).strict(), RolloutHistory),
    /** A service's recorded revisions, oldest first; none for a service never deployed. */
    rolloutRevisions: call(z.object({ service: name }).strict(), z.object({ revisions: z.array(ServiceRevision) })),
  },
  streams: {
    rolloutEvents: stream(empty, RolloutEvent),
  },
};
