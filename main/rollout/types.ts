// The seams between the rollout engine's pieces, so each is built and tested on its own:
// plans and executors (plan.ts, executor.ts: pure, on a Clock), the per-container Docker steps
// (hostSteps.ts: through the action path), the create-config carry-over (createConfig.ts: pure),
// and the journal with its locks (journal.ts: the data directory's rollouts/).

export type RolloutAction = 'deploy' | 'restart' | 'rollback';
export type FailureAction = 'pause' | 'rollback' | 'continue';
export type UpdateOrder = 'stop-first' | 'start-first';

/** Swarm's update_config, where it applies. Defaults: parallelism 1, delay 0, monitor 5 s, pause, 0, stop-first. */
export interface RolloutParams {
  /** 0: all at once. */
  parallelism: number;
  delayMs: number;
  monitorMs: number;
  failureAction: FailureAction;
  maxFailureRatio: number;
  order: UpdateOrder;
}

/** One container of a plan: where it is, what it runs now, and what it will run. */
export interface PlanTarget {
  host: string;
  name: string;
  id: string;
  service?: string;
  from: { image: string; digest?: string };
  to: { image: string; digest?: string };
  /** A static IP or MAC forces stop-first (the address is unique); the plan says so. */
  forcedStopFirst: boolean;
  /** The order this container is updated in: set by plan.ts (params.order, or stop-first when forced). */
  order?: UpdateOrder;
}

export type PlanMode = { kind: 'window' } | { kind: 'batches'; lanes: number[][] /* indexes into targets */ };

export interface RolloutPlan {
  id: string;
  action: RolloutAction;
  service?: string;
  /** In order: the window mode walks it; batch lanes index into it. */
  targets: PlanTarget[];
  mode: PlanMode;
  params: RolloutParams;
  /** Set on a rollback rollout: never roll back a rollback (a failing one pauses). */
  isRollback: boolean;
}

/** The live step of one container, as the rolloutEvents stream and the journal name them. */
export const CONTAINER_STEPS = ['queued', 'pulling', 'stopping', 'starting', 'waiting-healthy', 'done', 'failed', 'rolled-back'] as const;
export type ContainerStep = (typeof CONTAINER_STEPS)[number];

/**
 * Reports a step BEFORE it is carried out: await it (the journal appends and fsyncs the step, and
 * the rolloutEvents stream sends it, before the Docker call it names).
 */
export type StepReport = (step: ContainerStep, detail?: Record<string, unknown>) => Promise<void>;

/**
 * What the executor asks of the outside world for one container; hostSteps.ts provides it.
 * `signal` is aborted when the rollout is aborted or starts rolling back. update() may then give up
 * only while it has changed nothing yet (e.g. during the pull), rejecting with `signal.reason`: the
 * container stays on its old revision and is not counted. Once it has stopped anything, it finishes.
 * monitor() may end early on it (the executor then ignores its verdict).
 */
export interface ContainerUpdater {
  /**
   * Changes the container (pull, stop/rename, create, start…), reporting steps; resolves when it runs.
   * Called again for a container whose update was interrupted (a resumed journal): pick up from there.
   */
  update(target: PlanTarget, report: StepReport, signal: AbortSignal): Promise<void>;
  /**
   * Watches the updated container for `monitorMs`: rejects when it exits, restarts, is not healthy
   * in time, or fails its probe (a failure, counted once).
   */
  monitor(target: PlanTarget, monitorMs: number, signal: AbortSignal): Promise<void>;
  /**
   * Returns the container to its previous revision (remove the new one, rename the old back, start it).
   * Called for every container the rollout touched, including one whose update failed part-way or
   * before it changed anything (nothing to undo then).
   */
  revert(target: PlanTarget, report: StepReport): Promise<void>;
  /** After the rollout finished: removes the old revisions kept for a rollback. */
  finish(target: PlanTarget): Promise<void>;
}

export const ROLLOUT_STATES = ['running', 'paused', 'completed', 'rolled-back', 'failed', 'aborted'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** A rollout on record whose process is gone before it wrote its end line (a crash, a kill). */
export type RecordedRolloutState = RolloutState | 'interrupted';

/** What a journal step line may say beyond its step. */
export interface StepDetail {
  /** Digests of the create config before and after (createConfig.ts computes them). */
  fromConfigDigest?: string;
  toConfigDigest?: string;
  error?: string;
  [key: string]: unknown;
}

/** One revision of one container, as the journal keeps it so that a rollback can recreate it exactly. */
export interface RecordedRevision {
  /** host/name. */
  container: string;
  image: string;
  digest?: string;
  configDigest?: string;
  /** The full create config of the revision (createConfig.ts produces it). */
  createConfig: Record<string, unknown>;
}
