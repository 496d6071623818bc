// The rollout executor: runs a plan through a ContainerUpdater on a Clock, as Swarm's updater does
// (swarmkit manager/orchestrator/update/updater.go): a sliding window of `parallelism` workers or
// explicit lanes; failures counted once per container this rollout changed, against all it is to
// change; the failure action (pause, rollback, continue), where a rollback never rolls back; one
// more monitor after the last container; pause, resume, abort and rollback by the operator; a host
// that goes offline pauses (its container not counted, picked up again on resume); and a start
// from a journal's per-container steps. Pure: Docker and the journal are behind its host.
import type { Clock } from '../clock/clock';
import { targetKey } from './plan';
import type { ContainerStep, ContainerUpdater, PlanTarget, RolloutPlan, RolloutState, StepReport } from './types';

/** One step of one container: the journal appends it, and the rolloutEvents stream sends it. */
export interface StepEvent {
  host: string;
  name: string;
  step: ContainerStep;
  /** The clock's now() when the step was reported. */
  time: number;
  detail?: Record<string, unknown>;
}

export interface ContainerOutcome {
  host: string;
  name: string;
  /** Its last step: done = on its new revision; queued or rolled-back = on its old one. */
  step: ContainerStep;
  error?: string;
}

export interface RolloutOutcome {
  state: RolloutState;
  /** In plan order. */
  containers: ContainerOutcome[];
  /** Containers counted as failed, each once. */
  failures: number;
  /** Why it paused, rolled back or stopped, for the operator. */
  reason?: string;
}

/** What the executor needs from its host. */
export interface ExecutorHost {
  clock: Clock;
  updater: ContainerUpdater;
  /** Awaited before each step is carried out (the journal's write-ahead); a rejection stops the rollout. */
  onStep?: (event: StepEvent) => Promise<void>;
  /** Each change of state: running, paused (once the steps in flight settled), and the final one. */
  onState?: (outcome: RolloutOutcome) => void;
  /**
   * Whether an update's or a monitor's error means the container's HOST is unreachable (its daemon
   * refuses, is gone, or does not answer), and then why: the rollout pauses instead of counting a
   * failure, and the container is taken again on resume. Undefined: the container's own failure.
   */
  hostDown?: (error: unknown, target: PlanTarget) => string | undefined | Promise<string | undefined>;
}

export interface ExecutorOptions {
  /**
   * Each container's last step, from a journal, keyed HOST/NAME (missing: queued). done and failed
   * ones are kept (failed ones counted), one caught in an update step is updated again (also on
   * abort(): it ends on its new revision), and rolled-back ones are left alone: call rollback()
   * before run() to finish rolling back.
   */
  resumeFrom?: Readonly<Record<string, ContainerStep>>;
  /** run() resolves 'paused' instead of waiting for resume(): the CLI exits, `resume ID` goes on from the journal. */
  endOnPause?: boolean;
}

const IN_UPDATE: ReadonlySet<ContainerStep> = new Set(['pulling', 'stopping', 'starting', 'waiting-healthy']);
const FINAL: ReadonlySet<RolloutState> = new Set(['completed', 'rolled-back', 'failed', 'aborted']);

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** The signal of an update that must run to its end whatever the rollout does (one caught mid-update, finished on abort). */
const NEVER = new AbortController().signal;

export class RolloutExecutor {
  private state: RolloutState = 'running';
  private readonly steps = new Map<string, ContainerStep>();
  private readonly errors = new Map<string, string>();
  /** Containers whose update began, in the order it began: a rollback reverts them in reverse. */
  private readonly touched = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly byKey = new Map<string, PlanTarget>();
  /** Not taken yet, in plan order. */
  private readonly queue: PlanTarget[];
  private pauseReason: string | undefined;
  private rollbackReason: string | undefined;
  private abortReason: string | undefined;
  private fatal: { error: unknown } | undefined;
  /** Aborted on abort() and when rolling back: cuts monitors and waits, and lets a pull give up. */
  private readonly cut = new AbortController();
  private readonly stopSignal = new Error('the rollout is stopping');
  private wake: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly plan: RolloutPlan,
    private readonly host: ExecutorHost,
    private readonly options: ExecutorOptions = {},
  ) {
    const from = options.resumeFrom ?? {};
    for (const t of plan.targets) {
      const key = targetKey(t);
      this.byKey.set(key, t);
      const step = from[key] ?? 'queued';
      this.steps.set(key, step);
      if (step === 'done' || step === 'failed' || IN_UPDATE.has(step)) this.touched.add(key);
      if (step === 'failed') this.failed.add(key);
    }
    this.queue = plan.targets.filter((t) => {
      const step = this.steps.get(targetKey(t))!;
      return step === 'queued' || IN_UPDATE.has(step);
    });
  }

  /** Runs the plan to its end: completed, rolled-back, failed or aborted (or paused, with endOnPause). */
  async run(): Promise<RolloutOutcome> {
    if (this.started) throw new Error(`rollout ${this.plan.id} is already running`);
    this.started = true;
    for (;;) {
      if (!this.stopping()) await (this.plan.mode.kind === 'window' ? this.window() : this.lanes(this.plan.mode.lanes));
      this.throwIfFatal();
      if (this.rollbackReason !== undefined) return this.revertTouched();
      if (this.abortReason !== undefined) {
        await this.finishCaught();
        this.throwIfFatal();
        if (this.rollbackReason !== undefined) return this.revertTouched();
        if (this.caught().length === 0) return this.end('aborted', this.abortReason);
        // A host went offline under a container caught mid-update: it ends once the host is back.
      }
      if (this.pauseReason !== undefined) {
        if (this.options.endOnPause) return this.setState('paused', this.pauseReason);
        await this.paused();
        continue;
      }
      // Every container is done or failed: keep watching for one more monitor before completing.
      await this.finalWatch();
      this.throwIfFatal();
      if (!this.stopping()) return this.end('completed');
    }
  }

  /** Stops taking new containers; the ones in flight finish (and their failures count). */
  pause(reason = 'paused by the operator'): void {
    if (!FINAL.has(this.state)) this.pauseReason ??= reason;
  }

  resume(): void {
    if (FINAL.has(this.state)) return;
    this.pauseReason = undefined;
    this.wakeUp();
  }

  /** Finishes the steps in flight, then stops: every container on its old revision or its new one. */
  abort(reason = 'aborted by the operator'): void {
    if (FINAL.has(this.state)) return;
    this.abortReason ??= reason;
    this.cut.abort(this.stopSignal);
    this.wakeUp();
  }

  /** Reverts every container the rollout touched, in reverse order (also before run(), on a journal's steps). */
  rollback(reason = 'rolled back by the operator'): void {
    if (FINAL.has(this.state)) return;
    this.rollbackReason ??= reason;
    this.cut.abort(this.stopSignal);
    this.wakeUp();
  }

  snapshot(): RolloutOutcome {
    const containers = this.plan.targets.map((t): ContainerOutcome => {
      const key = targetKey(t);
      const error = this.errors.get(key);
      return { host: t.host, name: t.name, step: this.steps.get(key)!, ...(error !== undefined ? { error } : {}) };
    });
    const reason = this.rollbackReason ?? this.abortReason ?? this.pauseReason;
    return { state: this.state, containers, failures: this.failed.size, ...(reason !== undefined ? { reason } : {}) };
  }

  private throwIfFatal(): void {
    if (this.fatal) throw this.fatal.error;
  }

  private stopping(): boolean {
    return this.pauseReason !== undefined || this.rollbackReason !== undefined || this.abortReason !== undefined || this.fatal !== undefined;
  }

  /** Sliding window: each worker takes the next container once its previous one is done and `delay` passed. */
  private async window(): Promise<void> {
    const { parallelism, delayMs } = this.plan.params;
    const width = parallelism === 0 ? this.queue.length : Math.min(parallelism, this.queue.length);
    const worker = async (): Promise<void> => {
      for (let target = this.take(); target; target = this.take()) {
        await this.one(target);
        if (this.queue.length > 0 && delayMs > 0 && !this.stopping()) await this.sleep(delayMs);
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
  }

  /** Lanes one after another: all of a lane at once; the next once the whole lane passed its monitor, plus `delay`. */
  private async lanes(lanes: number[][]): Promise<void> {
    for (const lane of lanes) {
      const members = lane.map((i) => this.plan.targets[i]!).filter((t) => this.queue.includes(t));
      if (members.length === 0) continue;
      if (this.stopping()) return;
      for (const t of members) this.queue.splice(this.queue.indexOf(t), 1);
      await Promise.all(members.map((t) => this.one(t)));
      if (this.queue.length > 0 && this.plan.params.delayMs > 0 && !this.stopping()) await this.sleep(this.plan.params.delayMs);
    }
  }

  private take(): PlanTarget | undefined {
    return this.stopping() ? undefined : this.queue.shift();
  }

  /** The queued containers caught in an update step (from a journal, or by a host gone offline). */
  private caught(): PlanTarget[] {
    return this.queue.filter((t) => IN_UPDATE.has(this.steps.get(targetKey(t))!));
  }

  /** On abort: updates the containers caught mid-update to their end, so none is left on neither revision. */
  private async finishCaught(): Promise<void> {
    const caught = this.caught();
    for (const t of caught) this.queue.splice(this.queue.indexOf(t), 1);
    await Promise.all(caught.map((t) => this.one(t, NEVER)));
  }

  /** Updates one container and watches it for `monitor`: it ends done or failed (or queued, if it gave up unchanged). */
  private async one(target: PlanTarget, updateSignal: AbortSignal = this.cut.signal): Promise<void> {
    const key = targetKey(target);
    const { updater } = this.host;
    this.touched.delete(key);
    this.touched.add(key);
    this.errors.delete(key);
    const report: StepReport = (step, detail) => this.step(target, step, detail);
    try {
      await updater.update(target, report, updateSignal);
    } catch (e) {
      // The journal failed: what the updater did is what the journal says, for whoever resumes it.
      if (this.fatal) return;
      if (e === this.stopSignal) {
        this.touched.delete(key);
        return this.guard(() => this.step(target, 'queued'));
      }
      if (await this.offline(target, e)) return;
      return this.guard(() => this.fail(target, e));
    }
    await this.guard(async () => {
      if (this.steps.get(key) !== 'waiting-healthy') await this.step(target, 'waiting-healthy');
      try {
        await updater.monitor(target, this.plan.params.monitorMs, this.cut.signal);
      } catch (e) {
        if (!this.cut.signal.aborted) {
          if (await this.offline(target, e)) return;
          return this.fail(target, e);
        }
      }
      await this.step(target, 'done');
    });
  }

  /**
   * Where the error means the container's host is offline: pauses the rollout, not counting it; the
   * container keeps its last (journaled) step and goes back to the head of the queue, for resume.
   */
  private async offline(target: PlanTarget, e: unknown, requeue = true): Promise<boolean> {
    const why = await this.host.hostDown?.(e, target);
    if (why === undefined) return false;
    this.errors.set(targetKey(target), `host ${target.host} is offline: ${why}`);
    this.pauseReason ??= `host ${target.host} is offline: ${why}`;
    if (requeue) this.queue.unshift(target);
    return true;
  }

  /** A step the journal could not record is not carried out: the steps in flight end, and run() throws it. */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.stopFor(error);
    }
  }

  private stopFor(error: unknown): void {
    this.fatal ??= { error };
    this.cut.abort(this.stopSignal);
  }

  private async step(target: PlanTarget, step: ContainerStep, detail?: Record<string, unknown>): Promise<void> {
    this.steps.set(targetKey(target), step);
    const event: StepEvent = { host: target.host, name: target.name, step, time: this.host.clock.now(), ...(detail ? { detail } : {}) };
    try {
      await this.host.onStep?.(event);
    } catch (error) {
      this.stopFor(error);
      throw error;
    }
  }

  /** Counts a failure once per container, and fires the failure action past maxFailureRatio. */
  private async fail(target: PlanTarget, e: unknown): Promise<void> {
    const key = targetKey(target);
    const error = message(e);
    this.errors.set(key, error);
    // A failed container is neither taken again nor watched again, so each counts once.
    this.failed.add(key);
    this.failureAction(key, error);
    await this.step(target, 'failed', { error });
  }

  private failureAction(key: string, error: string): void {
    const { failureAction, maxFailureRatio } = this.plan.params;
    const total = this.plan.targets.length;
    if (this.failed.size / total <= maxFailureRatio || failureAction === 'continue') return;
    const why = `${key} failed (${error}): ${this.failed.size} of ${total} failed, more than the max failure ratio ${maxFailureRatio}`;
    if (failureAction === 'pause') this.pauseReason ??= `paused: ${why}`;
    else if (this.plan.isRollback) this.pauseReason ??= `paused (a rollback never rolls back): ${why}`;
    else {
      this.rollbackReason ??= `rolling back: ${why}`;
      this.cut.abort(this.stopSignal);
    }
  }

  /** After the last container: every updated one is watched for one more monitor, at once. */
  private async finalWatch(): Promise<void> {
    const updated = this.plan.targets.filter((t) => this.steps.get(targetKey(t)) === 'done');
    await Promise.all(
      updated.map(async (target) => {
        try {
          await this.host.updater.monitor(target, this.plan.params.monitorMs, this.cut.signal);
          this.errors.delete(targetKey(target));
        } catch (e) {
          // Offline in the final watch: it stays done, and the watch runs again on resume.
          if (!this.cut.signal.aborted && !(await this.offline(target, e, false))) await this.guard(() => this.fail(target, e));
        }
      }),
    );
  }

  private async revertTouched(): Promise<RolloutOutcome> {
    this.setState('running', this.rollbackReason);
    let allReverted = true;
    for (const key of [...this.touched].reverse()) {
      const target = this.byKey.get(key)!;
      try {
        await this.host.updater.revert(target, (step, detail) => this.step(target, step, detail));
        await this.step(target, 'rolled-back');
      } catch (e) {
        allReverted = false;
        this.errors.set(key, `rollback failed: ${message(e)}`);
        await this.step(target, 'failed', { error: this.errors.get(key) }).catch(() => undefined);
      }
    }
    return this.end(allReverted ? 'rolled-back' : 'failed', this.rollbackReason);
  }

  /** The final state; a completed or aborted rollout removes the old revisions of the updated containers. */
  private async end(state: RolloutState, reason?: string): Promise<RolloutOutcome> {
    if (state === 'completed' || state === 'aborted') {
      // One host at a time each, the hosts at once (bench:rollout: 12 removals on 3 hosts, 0.65 s one by one).
      const byHost = new Map<string, PlanTarget[]>();
      for (const key of this.touched) {
        if (this.steps.get(key) !== 'done') continue;
        const target = this.byKey.get(key)!;
        byHost.set(target.host, [...(byHost.get(target.host) ?? []), target]);
      }
      await Promise.all(
        [...byHost.values()].map(async (targets) => {
          for (const target of targets) await this.host.updater.finish(target).catch((e: unknown) => this.errors.set(targetKey(target), `cleanup failed: ${message(e)}`));
        }),
      );
    }
    return this.setState(state, reason);
  }

  private async paused(): Promise<void> {
    this.setState('paused', this.pauseReason);
    await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.pauseReason === undefined && this.abortReason === undefined && this.rollbackReason === undefined) this.setState('running');
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private setState(state: RolloutState, reason?: string): RolloutOutcome {
    this.state = state;
    const outcome = { ...this.snapshot(), ...(reason !== undefined ? { reason } : {}) };
    this.host.onState?.(outcome);
    return outcome;
  }

  /** Waits `ms` on the clock, or less when the rollout is aborted or rolls back. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.host.clock.clearTimeout(timer);
        this.cut.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.host.clock.setTimeout(done, ms);
      this.cut.signal.addEventListener('abort', done, { once: true });
    });
  }
}
