// The executor on a FakeClock with a fake ContainerUpdater: window and lanes, the failure ratio,
// pause/resume/abort, rollback (and never rolling back a rollback), the final monitor, and a start
// from a journal's steps. Times are virtual: they say what waited for what, never how fast.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { RolloutExecutor, type ExecutorOptions, type RolloutOutcome, type StepEvent } from './executor';
import { buildPlan, targetKey } from './plan';
import type { ContainerUpdater, PlanTarget, RolloutParams, RolloutPlan } from './types';

const UPDATE_MS = 1_000;
const MONITOR_MS = 5_000;

interface Behaviour {
  /** How long each container's update takes (default UPDATE_MS). */
  updateMs?: Record<string, number>;
  failUpdate?: Set<string>;
  /** Fails the nth monitor of a container (1: the one after its update, 2: the final watch). */
  failMonitor?: Record<string, number>;
  /** Waits this long in its pull before changing anything, giving up there when the signal is aborted. */
  pullMs?: Record<string, number>;
}

type Call = [time: number, what: 'update' | 'updated' | 'monitored' | 'revert' | 'finish', key: string];

/** What the fake updater throws for a container on a host in `down`. */
class HostOffline extends Error {
  constructor(readonly host: string) {
    super(`connect ECONNREFUSED ${host}:2376`);
  }
}

/** The hostDown a service gives: the fake's offline error is the host's, anything else the container's. */
const hostDown = (e: unknown): string | undefined => (e instanceof HostOffline ? e.message : undefined);

class FakeUpdater implements ContainerUpdater {
  readonly calls: Call[] = [];
  /** Hosts whose daemon is gone: an update or monitor on them rejects at its end. */
  readonly down = new Set<string>();
  /** The signal each update was given, by key (the last one). */
  readonly signals = new Map<string, AbortSignal>();
  busy = 0;
  maxBusy = 0;
  private readonly monitors = new Map<string, number>();

  constructor(
    private readonly clock: FakeClock,
    private readonly behaviour: Behaviour = {},
  ) {}

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (this.clock.clearTimeout(timer), resolve()), { once: true });
    });
  }

  private log(what: Call[1], t: PlanTarget): void {
    this.calls.push([this.clock.now(), what, targetKey(t)]);
  }

  async update(t: PlanTarget, report: (step: 'pulling' | 'stopping' | 'starting') => Promise<void>, signal: AbortSignal): Promise<void> {
    const key = targetKey(t);
    this.log('update', t);
    this.signals.set(key, signal);
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    await report('pulling');
    const pull = this.behaviour.pullMs?.[key];
    if (pull !== undefined) {
      await this.wait(pull, signal);
      if (signal.aborted) {
        this.busy--;
        throw signal.reason;
      }
    }
    await report('stopping');
    await report('starting');
    await this.wait(this.behaviour.updateMs?.[key] ?? UPDATE_MS);
    if (this.down.has(t.host)) {
      this.busy--;
      throw new HostOffline(t.host);
    }
    if (this.behaviour.failUpdate?.has(key)) {
      this.busy--;
      throw new Error(`${key} exited with code 1`);
    }
    this.log('updated', t);
  }

  async monitor(t: PlanTarget, monitorMs: number, signal: AbortSignal): Promise<void> {
    const key = targetKey(t);
    const nth = (this.monitors.get(key) ?? 0) + 1;
    this.monitors.set(key, nth);
    await this.wait(monitorMs, signal);
    if (nth === 1) this.busy--;
    if (this.down.has(t.host) && !signal.aborted) throw new HostOffline(t.host);
    this.log('monitored', t);
    if (this.behaviour.failMonitor?.[key] === nth && !signal.aborted) throw new Error(`${key} is unhealthy`);
  }

  async revert(t: PlanTarget, report: (step: 'stopping' | 'starting') => Promise<void>): Promise<void> {
    this.log('revert', t);
    await report('stopping');
    await report('starting');
    await this.wait(UPDATE_MS);
  }

  async finish(t: PlanTarget): Promise<void> {
    this.log('finish', t);
  }

  of(what: Call[1]): [number, string][] {
    return this.calls.filter((c) => c[1] === what).map(([time, , key]) => [time, key]);
  }
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `h1/c${i + 1}`);

function plan(n: number, params: Partial<RolloutParams> = {}, over: { lanes?: string[][]; isRollback?: boolean } = {}): RolloutPlan {
  const targets = names(n).map((key) => {
    const [host, name] = key.split('/') as [string, string];
    return { host, name, id: name, from: { image: 'app:1.0' }, to: { image: 'app:1.1' }, forcedStopFirst: false };
  });
  return buildPlan({ id: 'r1', action: 'deploy', targets, params: { monitorMs: MONITOR_MS, ...params }, ...over });
}

/** A plan over HOST/NAME keys on several hosts, in that order. */
function planOf(keys: string[], params: Partial<RolloutParams> = {}): RolloutPlan {
  const targets = keys.map((key) => {
    const [host, name] = key.split('/') as [string, string];
    return { host, name, id: name, from: { image: 'app:1.0' }, to: { image: 'app:1.1' }, forcedStopFirst: false };
  });
  return buildPlan({ id: 'r1', action: 'deploy', targets, params: { monitorMs: MONITOR_MS, ...params }, sequence: keys });
}

interface StartWith {
  clock?: FakeClock;
  updater?: FakeUpdater;
  /** Called on the executor before run(). */
  before?: (executor: RolloutExecutor) => void;
}

function start(p: RolloutPlan, behaviour: Behaviour = {}, options: ExecutorOptions = {}, onStep?: (e: StepEvent) => Promise<void>, { clock = new FakeClock(), updater = new FakeUpdater(clock, behaviour), before }: StartWith = {}) {
  const steps: StepEvent[] = [];
  const states: RolloutOutcome[] = [];
  const executor = new RolloutExecutor(
    p,
    { clock, updater, hostDown, onStep: onStep ?? (async (e) => void steps.push(e)), onState: (o) => states.push(o) },
    options,
  );
  before?.(executor);
  let outcome: RolloutOutcome | undefined;
  const running = executor.run().then((o) => (outcome = o));
  return { clock, updater, steps, states, executor, running, result: () => outcome };
}

const stepsOf = (o: RolloutOutcome) => Object.fromEntries(o.containers.map((c) => [`${c.host}/${c.name}`, c.step]));

/** Fires every timer, each in turn, until none is pending. */
async function drain(clock: FakeClock): Promise<void> {
  while ((await clock.next()) !== undefined) {
    /* next timer */
  }
}

// Drives a started run to its end on virtual time.
async function finish(run: ReturnType<typeof start>): Promise<RolloutOutcome> {
  while (!run.result() && (await run.clock.next()) !== undefined) {
    /* next timer */
  }
  await run.running;
  return run.result()!;
}

describe('RolloutExecutor, window mode', () => {
  it('never runs more than `parallelism` at once, and refills a slot as soon as its container is done and `delay` passed', async () => {
    const run = start(plan(5, { parallelism: 2, delayMs: 500 }), { updateMs: { 'h1/c2': 3_000 } });
    await finish(run);
    expect(run.updater.maxBusy).toBe(2);
    // c1 is done at 1000 + 5000; its slot takes c3 at 6500, while c2 (done at 8000) still holds the other.
    expect(run.updater.of('update')).toEqual([
      [0, 'h1/c1'],
      [0, 'h1/c2'],
      [6_500, 'h1/c3'],
      [8_500, 'h1/c4'],
      [13_000, 'h1/c5'],
    ]);
    expect(run.result()!.state).toBe('completed');
  });

  it('takes the order of the plan, one at a time by default', async () => {
    const run = start(plan(3));
    await finish(run);
    expect(run.updater.maxBusy).toBe(1);
    expect(run.updater.of('update')).toEqual([
      [0, 'h1/c1'],
      [6_000, 'h1/c2'],
      [12_000, 'h1/c3'],
    ]);
  });

  it('parallelism 0 runs all at once', async () => {
    const run = start(plan(4, { parallelism: 0 }));
    await finish(run);
    expect(run.updater.maxBusy).toBe(4);
    expect(run.updater.of('update').map(([time]) => time)).toEqual([0, 0, 0, 0]);
  });

  it('reports each step before it is carried out, and awaits the report', async () => {
    const clock = new FakeClock();
    const journal: string[] = [];
    const seenAtUpdate: string[][] = [];
    const updater = new FakeUpdater(clock);
    const update = updater.update.bind(updater);
    updater.update = async (t, report, signal) => {
      await update(t, async (step) => {
        await report(step);
        seenAtUpdate.push([...journal]);
      }, signal);
    };
    // The journal's fsync takes (virtual) time: a step not awaited would run before its line is written.
    const onStep = (e: StepEvent) => new Promise<void>((resolve) => clock.setTimeout(() => (journal.push(`${e.name}:${e.step}`), resolve()), 10));
    const executor = new RolloutExecutor(plan(1), { clock, updater, onStep });
    const running = executor.run();
    await drain(clock);
    expect((await running).state).toBe('completed');
    expect(seenAtUpdate.map((seen) => seen.at(-1))).toEqual(['c1:pulling', 'c1:stopping', 'c1:starting']);
    expect(journal).toEqual(['c1:pulling', 'c1:stopping', 'c1:starting', 'c1:waiting-healthy', 'c1:done']);
  });
});

describe('RolloutExecutor, batches mode', () => {
  it('starts the next lane only after the whole lane passed its monitor, plus delay', async () => {
    const lanes = [['h1/c1', 'h1/c2'], ['h1/c3'], ['h1/c4', 'h1/c5']];
    const run = start(plan(5, { delayMs: 500, parallelism: 1 }, { lanes }), { updateMs: { 'h1/c2': 3_000 } });
    await finish(run);
    // Lane 1: c1 done at 6000, c2 at 8000; lane 2 starts at 8500 (not 6500), ends 14500; lane 3 at 15000.
    expect(run.updater.of('update')).toEqual([
      [0, 'h1/c1'],
      [0, 'h1/c2'],
      [8_500, 'h1/c3'],
      [15_000, 'h1/c4'],
      [15_000, 'h1/c5'],
    ]);
    expect(run.updater.maxBusy).toBe(2);
    expect(run.result()!.state).toBe('completed');
  });
});

describe('RolloutExecutor, failures', () => {
  it('ratio 0: one failure fires the action (pause) and no new container is taken', async () => {
    const run = start(plan(4), { failUpdate: new Set(['h1/c2']) });
    await run.clock.advance(60_000);
    expect(run.result()).toBeUndefined();
    expect(run.states.at(-1)).toMatchObject({ state: 'paused', failures: 1 });
    expect(run.states.at(-1)!.reason).toMatch(/^paused: h1\/c2 failed \(h1\/c2 exited with code 1\): 1 of 4 failed/);
    expect(stepsOf(run.executor.snapshot())).toEqual({ 'h1/c1': 'done', 'h1/c2': 'failed', 'h1/c3': 'queued', 'h1/c4': 'queued' });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2']);
  });

  it('ratio 0.5 with 1 of 4 failing: the action does not fire, and the rollout completes', async () => {
    const run = start(plan(4, { maxFailureRatio: 0.5 }), { failMonitor: { 'h1/c3': 1 } });
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'completed', failures: 1 });
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done', 'h1/c3': 'failed', 'h1/c4': 'done' });
    expect(run.updater.of('finish').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2', 'h1/c4']);
  });

  it('fires only past the ratio: 1 of 4 at 0.25 does not, 2 of 4 does', async () => {
    const one = await finish(start(plan(4, { maxFailureRatio: 0.25 }), { failUpdate: new Set(['h1/c1']) }));
    expect(one).toMatchObject({ state: 'completed', failures: 1 });
    const two = start(plan(4, { maxFailureRatio: 0.25 }), { failUpdate: new Set(['h1/c1', 'h1/c3']) });
    await two.clock.advance(60_000);
    expect(two.executor.snapshot()).toMatchObject({ state: 'paused', failures: 2 });
    expect(stepsOf(two.executor.snapshot())['h1/c4']).toBe('queued');
  });

  it('continue: a failure in the final watch counts, and the rollout completes', async () => {
    const run = start(plan(2, { failureAction: 'continue' }), { failMonitor: { 'h1/c2': 2 } });
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'completed', failures: 1 });
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'failed' });
  });

  it('continue: every container is tried, whatever fails', async () => {
    const run = start(plan(3, { failureAction: 'continue' }), { failUpdate: new Set(['h1/c1', 'h1/c2']) });
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'completed', failures: 2 });
    expect(run.updater.of('update')).toHaveLength(3);
  });
});

describe('RolloutExecutor, rollback', () => {
  it('reverts every container it touched, in reverse order, and only those', async () => {
    // c3 fails while c4 is still pulling (nothing changed yet): c4 gives up and is left alone, as are c5 and c6.
    const run = start(plan(6, { parallelism: 2, failureAction: 'rollback' }), { failUpdate: new Set(['h1/c3']), pullMs: { 'h1/c4': 10_000 } });
    const outcome = await finish(run);
    expect(outcome.state).toBe('rolled-back');
    expect(outcome.reason).toMatch(/^rolling back: h1\/c3 failed/);
    expect(run.updater.of('revert').map(([, key]) => key)).toEqual(['h1/c3', 'h1/c2', 'h1/c1']);
    expect(stepsOf(outcome)).toEqual({
      'h1/c1': 'rolled-back',
      'h1/c2': 'rolled-back',
      'h1/c3': 'rolled-back',
      'h1/c4': 'queued',
      'h1/c5': 'queued',
      'h1/c6': 'queued',
    });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2', 'h1/c3', 'h1/c4']);
    expect(run.updater.of('finish')).toEqual([]);
  });

  it('waits for the update in flight before reverting it', async () => {
    const run = start(plan(3, { parallelism: 2, failureAction: 'rollback' }), { failUpdate: new Set(['h1/c1']), updateMs: { 'h1/c2': 4_000 } });
    await finish(run);
    const updated = run.updater.of('updated').find(([, key]) => key === 'h1/c2')!;
    const reverted = run.updater.of('revert').find(([, key]) => key === 'h1/c2')!;
    expect(reverted[0]).toBeGreaterThanOrEqual(updated[0]);
    expect(run.updater.of('revert').map(([, key]) => key)).toEqual(['h1/c2', 'h1/c1']);
  });

  it('never rolls back a rollback: a failing rollback pauses', async () => {
    const run = start(plan(3, { failureAction: 'rollback' }, { isRollback: true }), { failUpdate: new Set(['h1/c2']) });
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 1 });
    expect(run.executor.snapshot().reason).toMatch(/^paused \(a rollback never rolls back\): h1\/c2 failed/);
    expect(run.updater.of('revert')).toEqual([]);
  });

  it('a failed revert ends the rollout failed, after trying every other one', async () => {
    const clock = new FakeClock();
    const updater = new FakeUpdater(clock, { failUpdate: new Set(['h1/c3']) });
    const revert = updater.revert.bind(updater);
    updater.revert = async (t, report) => {
      await revert(t, report);
      if (t.name === 'c2') throw new Error('rename failed');
    };
    const executor = new RolloutExecutor(plan(3, { failureAction: 'rollback' }), { clock, updater });
    const running = executor.run();
    await drain(clock);
    const outcome = await running;
    expect(outcome.state).toBe('failed');
    expect(outcome.containers.find((c) => c.name === 'c2')).toMatchObject({ step: 'failed', error: 'rollback failed: rename failed' });
    expect(stepsOf(outcome)).toMatchObject({ 'h1/c1': 'rolled-back', 'h1/c3': 'rolled-back' });
  });

  it('the operator can roll back a paused rollout', async () => {
    const run = start(plan(4), { failUpdate: new Set(['h1/c3']) });
    await run.clock.advance(60_000);
    expect(run.executor.snapshot().state).toBe('paused');
    run.executor.rollback();
    const outcome = await finish(run);
    expect(outcome.state).toBe('rolled-back');
    expect(run.updater.of('revert').map(([, key]) => key)).toEqual(['h1/c3', 'h1/c2', 'h1/c1']);
  });
});

describe('RolloutExecutor, pause, resume and abort', () => {
  it('pause lets the containers in flight finish and takes no new one; resume goes on', async () => {
    const run = start(plan(5, { parallelism: 2 }));
    await run.clock.advance(500);
    run.executor.pause();
    await run.clock.advance(60_000);
    expect(run.executor.snapshot().state).toBe('paused');
    expect(stepsOf(run.executor.snapshot())).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done', 'h1/c3': 'queued', 'h1/c4': 'queued', 'h1/c5': 'queued' });
    run.executor.resume();
    const outcome = await finish(run);
    expect(outcome.state).toBe('completed');
    expect(run.states.map((s) => s.state)).toEqual(['paused', 'running', 'completed']);
    // Each container updated exactly once.
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(names(5));
  });

  it('endOnPause: run() resolves paused', async () => {
    const run = start(plan(3), { failUpdate: new Set(['h1/c1']) }, { endOnPause: true });
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'paused', failures: 1 });
  });

  it('abort finishes the update in flight, then stops: each container on its old or its new revision', async () => {
    const run = start(plan(5, { parallelism: 2 }));
    await run.clock.advance(7_000); // c1, c2 done at 6000; c3, c4 mid-update
    run.executor.abort();
    const outcome = await finish(run);
    expect(outcome.state).toBe('aborted');
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done', 'h1/c3': 'done', 'h1/c4': 'done', 'h1/c5': 'queued' });
    for (const c of outcome.containers) expect(['done', 'queued']).toContain(c.step);
    // The updates in flight ran to their end; c5 was never touched; the old revisions of the updated ones are removed.
    expect(run.updater.of('updated').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2', 'h1/c3', 'h1/c4']);
    expect(run.updater.of('finish').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2', 'h1/c3', 'h1/c4']);
  });

  it('abort while paused stops at once', async () => {
    const run = start(plan(3), { failUpdate: new Set(['h1/c2']) });
    await run.clock.advance(60_000);
    run.executor.abort();
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'aborted', failures: 1 });
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'failed', 'h1/c3': 'queued' });
  });
});

describe('RolloutExecutor, the final monitor', () => {
  it('keeps watching for one more monitor after the last container before completing', async () => {
    const run = start(plan(2));
    // c2 is done at 12000; the final watch ends at 17000.
    await run.clock.advance(17_000 - 1);
    expect(run.result()).toBeUndefined();
    expect(stepsOf(run.executor.snapshot())).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done' });
    await run.clock.advance(1);
    expect(run.result()!.state).toBe('completed');
    expect(run.updater.of('monitored').filter(([time]) => time === 17_000).map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2']);
  });

  it('a failure in the final watch fires the action', async () => {
    const run = start(plan(2, { failureAction: 'rollback' }), { failMonitor: { 'h1/c1': 2 } });
    const outcome = await finish(run);
    expect(outcome.state).toBe('rolled-back');
    expect(run.updater.of('revert').map(([, key]) => key)).toEqual(['h1/c2', 'h1/c1']);
  });
});

describe('RolloutExecutor, from a journal', () => {
  const journal = { 'h1/c1': 'done', 'h1/c2': 'starting', 'h1/c3': 'failed' } as const;

  it('keeps done and failed containers, updates the interrupted one again, then the rest', async () => {
    const run = start(plan(5, { maxFailureRatio: 0.5 }), {}, { resumeFrom: journal });
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'completed', failures: 1 });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/c2', 'h1/c4', 'h1/c5']);
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done', 'h1/c3': 'failed', 'h1/c4': 'done', 'h1/c5': 'done' });
  });

  it('counts the journal’s failures: with ratio 0 the next failure pauses again', async () => {
    const run = start(plan(5), { failUpdate: new Set(['h1/c4']) }, { resumeFrom: journal });
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 2 });
  });

  it('rolls back the touched ones from a journal, in reverse order', async () => {
    const clock = new FakeClock();
    const updater = new FakeUpdater(clock);
    const executor = new RolloutExecutor(plan(5), { clock, updater }, { resumeFrom: journal });
    executor.rollback();
    const running = executor.run();
    await drain(clock);
    const outcome = await running;
    expect(outcome.state).toBe('rolled-back');
    expect(updater.of('revert').map(([, key]) => key)).toEqual(['h1/c3', 'h1/c2', 'h1/c1']);
    expect(updater.of('update')).toEqual([]);
  });
});

describe('RolloutExecutor, a journal that cannot write', () => {
  it('stops the rollout and run() rejects with the journal’s error, after the step in flight', async () => {
    const run = start(plan(3), {}, {}, async (e) => {
      if (e.name === 'c2' && e.step === 'pulling') throw new Error('ENOSPC: no space left on device');
    });
    const rejected = run.running.then(() => undefined, (e: unknown) => e);
    await drain(run.clock);
    expect(await rejected).toMatchObject({ message: 'ENOSPC: no space left on device' });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2']);
  });
});

describe('RolloutExecutor, a host that goes offline', () => {
  const keys = ['h1/a', 'h3/c', 'h1/b', 'h2/d'];

  it('pauses instead of failing: the container keeps its step, the others in flight finish, and endOnPause resolves paused', async () => {
    const run = start(planOf(keys, { parallelism: 2 }), {}, { endOnPause: true });
    await run.clock.advance(500); // a and c mid-update
    run.updater.down.add('h3');
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'paused', failures: 0, reason: 'host h3 is offline: connect ECONNREFUSED h3:2376' });
    expect(stepsOf(outcome)).toEqual({ 'h1/a': 'done', 'h3/c': 'starting', 'h1/b': 'queued', 'h2/d': 'queued' });
    expect(outcome.containers.find((c) => c.name === 'c')!.error).toBe('host h3 is offline: connect ECONNREFUSED h3:2376');
    expect(run.steps.filter((e) => e.name === 'c').map((e) => e.step)).toEqual(['pulling', 'stopping', 'starting']);
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/a', 'h3/c']);

    // Resumed from what the journal holds, once the host is back: c first, then the rest.
    const again = start(planOf(keys, { parallelism: 2 }), {}, { resumeFrom: stepsOf(outcome) });
    const resumed = await finish(again);
    expect(resumed).toMatchObject({ state: 'completed', failures: 0 });
    expect(again.updater.of('update').map(([, key]) => key)).toEqual(['h3/c', 'h1/b', 'h2/d']);
    expect(resumed.containers.every((c) => c.error === undefined)).toBe(true);
  });

  it('in a long-running process, resume() takes the container on the offline host again first', async () => {
    const run = start(planOf(keys), {});
    await run.clock.advance(6_500); // a done at 6000; c mid-update
    run.updater.down.add('h3');
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 0 });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/a', 'h3/c']);
    run.updater.down.delete('h3');
    run.executor.resume();
    const outcome = await finish(run);
    expect(outcome).toMatchObject({ state: 'completed', failures: 0 });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/a', 'h3/c', 'h3/c', 'h1/b', 'h2/d']);
  });

  it('a monitor on an offline host pauses too, and the container is updated again on resume', async () => {
    const run = start(planOf(['h3/c', 'h1/a']), {});
    await run.clock.advance(2_000); // c's update done at 1000; its monitor runs to 6000
    run.updater.down.add('h3');
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 0, reason: 'host h3 is offline: connect ECONNREFUSED h3:2376' });
    expect(stepsOf(run.executor.snapshot())).toEqual({ 'h3/c': 'waiting-healthy', 'h1/a': 'queued' });
    run.updater.down.delete('h3');
    run.executor.resume();
    expect(await finish(run)).toMatchObject({ state: 'completed', failures: 0 });
  });

  it('offline in the final watch: stays done, pauses, and watches again on resume', async () => {
    const run = start(planOf(['h3/c', 'h1/a']), {});
    await run.clock.advance(12_500); // both done at 12000; the final watch runs to 17000
    run.updater.down.add('h3');
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 0 });
    expect(stepsOf(run.executor.snapshot())).toEqual({ 'h3/c': 'done', 'h1/a': 'done' });
    run.updater.down.delete('h3');
    run.executor.resume();
    expect(await finish(run)).toMatchObject({ state: 'completed', failures: 0 });
    expect(run.updater.of('update')).toHaveLength(2);
  });

  it('an error hostDown does not claim counts as the container’s failure', async () => {
    const run = start(planOf(keys), { failUpdate: new Set(['h3/c']) });
    await run.clock.advance(60_000);
    expect(run.executor.snapshot()).toMatchObject({ state: 'paused', failures: 1 });
    expect(run.executor.snapshot().reason).toMatch(/^paused: h3\/c failed/);
  });
});

describe('RolloutExecutor, abort of a rollout taken over from a journal', () => {
  const keys = ['h1/a', 'h3/c', 'h1/b'];

  it('updates the container caught mid-update to its end (with a signal that is never cut), then ends aborted', async () => {
    const run = start(plan(4), {}, { resumeFrom: { 'h1/c1': 'done', 'h1/c2': 'stopping' } }, undefined, { before: (e) => e.abort() });
    const outcome = await finish(run);
    expect(outcome.state).toBe('aborted');
    expect(stepsOf(outcome)).toEqual({ 'h1/c1': 'done', 'h1/c2': 'done', 'h1/c3': 'queued', 'h1/c4': 'queued' });
    expect(run.updater.of('update').map(([, key]) => key)).toEqual(['h1/c2']);
    expect(run.updater.signals.get('h1/c2')!.aborted).toBe(false);
    expect(run.updater.of('finish').map(([, key]) => key)).toEqual(['h1/c1', 'h1/c2']);
  });

  it('with the caught container’s host offline it stays paused, and ends aborted once the host is back', async () => {
    const clock = new FakeClock();
    const updater = new FakeUpdater(clock);
    updater.down.add('h3');
    const from = { 'h1/a': 'done', 'h3/c': 'starting' } as const;
    const first = start(planOf(keys), {}, { resumeFrom: from, endOnPause: true }, undefined, { clock, updater, before: (e) => e.abort() });
    const paused = await finish(first);
    expect(paused).toMatchObject({ state: 'paused', reason: 'host h3 is offline: connect ECONNREFUSED h3:2376' });
    expect(stepsOf(paused)['h3/c']).toBe('starting');
    updater.down.delete('h3');
    const second = start(planOf(keys), {}, { resumeFrom: stepsOf(paused) }, undefined, { clock, updater, before: (e) => e.abort() });
    const outcome = await finish(second);
    expect(outcome.state).toBe('aborted');
    expect(stepsOf(outcome)).toEqual({ 'h1/a': 'done', 'h3/c': 'done', 'h1/b': 'queued' });
  });
});
