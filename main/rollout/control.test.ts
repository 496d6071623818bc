// Cross-process control on a FakeClock over a real journal in a temporary data directory: the
// running process's follower applies each control line another journal appends, once, in order,
// from its own part of the file on; applyControl names who asked.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fakeClock';
import { tempDirs } from '../files/fixtures/tempDirs';
import { applyControl, CONTROL_POLL_MS, followControls, type Controllable } from './control';
import { RolloutJournal } from './journal';
import type { RolloutPlan } from './types';

const newDataDir = tempDirs('fleetdeck-control-');
const alice = { user: 'alice', source: 'console' } as const;
const bob = { user: 'bob', source: 'cli' } as const;

const plan: RolloutPlan = {
  id: 'r1',
  action: 'deploy',
  service: 'web',
  targets: [{ host: 'h1', name: 'web-1', id: 'web-1-id', from: { image: 'app:1.0' }, to: { image: 'app:1.1' }, forcedStopFirst: false }],
  mode: { kind: 'window' },
  params: { parallelism: 1, delayMs: 0, monitorMs: 5000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' },
  isRollback: false,
};

function recorder(): Controllable & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    pause: (reason) => void calls.push(`pause: ${reason}`),
    resume: () => void calls.push('resume'),
    abort: (reason) => void calls.push(`abort: ${reason}`),
    rollback: (reason) => void calls.push(`rollback: ${reason}`),
  };
}

describe('applyControl', () => {
  it('gives each order to the executor with who asked', () => {
    const executor = recorder();
    for (const op of ['pause', 'resume', 'abort', 'rollback'] as const) applyControl(executor, op, bob);
    expect(executor.calls).toEqual(['pause: paused by bob (cli)', 'resume', 'abort: aborted by bob (cli)', 'rollback: rolled back by bob (cli)']);
  });
});

describe('followControls', () => {
  it('applies the requests another process appends at the next poll, each once and in order, until stopped', async () => {
    const dataDir = newDataDir();
    const clock = new FakeClock();
    const runner = new RolloutJournal({ dataDir });
    const asker = new RolloutJournal({ dataDir });
    const writer = runner.begin(plan, alice);
    const executor = recorder();
    const stop = followControls({ journal: runner, clock }, 'r1', writer.since, (r) => applyControl(executor, r.op, r.by));

    asker.request('r1', 'pause', bob);
    writer.step(plan.targets[0]!, 'pulling');
    expect(executor.calls).toEqual([]);
    await clock.advance(CONTROL_POLL_MS);
    expect(executor.calls).toEqual(['pause: paused by bob (cli)']);

    asker.request('r1', 'resume', bob);
    asker.request('r1', 'abort', alice);
    await clock.advance(CONTROL_POLL_MS);
    await clock.advance(CONTROL_POLL_MS);
    expect(executor.calls).toEqual(['pause: paused by bob (cli)', 'resume', 'abort: aborted by alice (console)']);

    stop();
    asker.request('r1', 'rollback', bob);
    await clock.advance(10 * CONTROL_POLL_MS);
    expect(executor.calls).toHaveLength(3);
    expect(clock.pending).toEqual([]);
  });

  it('ignores what was asked before its own part of the file (of a process it took over from)', async () => {
    const dataDir = newDataDir();
    const clock = new FakeClock();
    const elsewhere = { startTime: (pid: number) => (pid === process.pid ? 'another-process' : undefined) };
    const first = new RolloutJournal({ dataDir });
    first.begin(plan, alice).paused();
    first.request('r1', 'abort', bob);
    const taker = new RolloutJournal({ dataDir, processes: elsewhere });
    const { writer } = taker.resume('r1', alice);
    const executor = recorder();
    const stop = followControls({ journal: taker, clock }, 'r1', writer.since, (r) => applyControl(executor, r.op, r.by));
    await clock.advance(CONTROL_POLL_MS);
    expect(executor.calls).toEqual([]);
    first.request('r1', 'pause', bob);
    await clock.advance(CONTROL_POLL_MS);
    expect(executor.calls).toEqual(['pause: paused by bob (cli)']);
    stop();
  });

  it('logs a read that fails and tries again on the next poll', async () => {
    const clock = new FakeClock();
    const logs: string[] = [];
    let fail = true;
    const journal = {
      controlsSince: (_id: string, offset: number) => {
        if (fail) throw new Error('EIO: i/o error');
        return { requests: [{ kind: 'control' as const, time: '', op: 'pause' as const, by: bob }], offset: offset + 1 };
      },
    };
    const executor = recorder();
    const stop = followControls({ journal, clock, log: (m) => logs.push(m) }, 'r1', 0, (r) => applyControl(executor, r.op, r.by));
    await clock.advance(CONTROL_POLL_MS);
    expect(logs).toEqual(['rollout r1: cannot read its control requests: EIO: i/o error']);
    fail = false;
    await clock.advance(CONTROL_POLL_MS);
    expect(executor.calls).toEqual(['pause: paused by bob (cli)']);
    stop();
  });
});
