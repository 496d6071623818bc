import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../shared/rollout';
import { FakeClock } from '../clock/fakeClock';
import { tempDirs } from '../files/fixtures/tempDirs';
import type { RolloutOutcome } from './executor';
import { RolloutJournal } from './journal';
import { JOURNAL_POLL_MS, RolloutJournalFeed } from './journalFeed';
import type { RolloutStepEvent } from './rolloutService';
import type { RolloutPlan } from './types';

const cli = { user: 'carol', source: 'cli' } as const;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const newDataDir = tempDirs('fleetdeck-feed-');

function plan(id: string, names = ['a', 'b']): RolloutPlan {
  return {
    id,
    action: 'deploy',
    service: 'web',
    targets: names.map((name) => ({ host: 'h1', name, id: `${name}-id`, service: 'web', from: { image: 'app:1.0' }, to: { image: 'app:1.1' }, forcedStopFirst: true, order: 'stop-first' })),
    mode: { kind: 'window' },
    params: { parallelism: 1, delayMs: 0, monitorMs: 5_000, failureAction: 'pause', maxFailureRatio: 0, order: 'stop-first' },
    isRollback: false,
  };
}

function setup() {
  const clock = new FakeClock(T0);
  // This process, as the journal sees it; `alive = false` makes it look gone (its rollouts interrupted).
  let alive = true;
  const processes = { startTime: (pid: number) => (pid === process.pid && alive ? 'boot-1' : undefined) };
  const journal = new RolloutJournal({ dataDir: newDataDir(), clock, processes });
  const bus = new EventEmitter();
  const service = {
    onStep: (l: (e: RolloutStepEvent) => void) => (bus.on('step', l), () => void bus.off('step', l)),
    onState: (l: (e: { rolloutId: string; outcome: RolloutOutcome }) => void) => (bus.on('state', l), () => void bus.off('state', l)),
  };
  const feed = new RolloutJournalFeed({ journal, service, clock });
  const events: RolloutEvent[] = [];
  return {
    clock,
    journal,
    bus,
    feed,
    events,
    die: () => void (alive = false),
    subscribe: () => feed.subscribe((e) => events.push(e)),
    /** One look at the journal's directory. */
    tick: () => clock.advance(JOURNAL_POLL_MS),
  };
}

describe('rollout journal feed', () => {
  it('sends the whole list first, newest first, then a rollout another process starts, its steps and its end', async () => {
    const s = setup();
    s.journal.begin(plan('r-old'), cli).end('completed');
    await s.clock.advance(60_000);
    s.journal.begin(plan('r-new'), cli);
    s.subscribe();
    expect(s.events).toHaveLength(1);
    const [first] = s.events;
    expect(first?.kind === 'list' && first.rollouts.map((r) => [r.id, r.state])).toEqual([
      ['r-new', 'running'],
      ['r-old', 'completed'],
    ]);
    s.events.length = 0;

    const writer = s.journal.begin(plan('r-cli', ['a']), cli);
    await s.tick();
    expect(s.events).toMatchObject([{ kind: 'state', rolloutId: 'r-cli', state: 'running', rollout: { startedBy: cli, containers: [{ host: 'h1', name: 'a', step: 'queued' }] } }]);

    s.events.length = 0;
    writer.step({ host: 'h1', name: 'a' }, 'stopping');
    await s.tick();
    expect(s.events).toMatchObject([{ kind: 'step', rolloutId: 'r-cli', host: 'h1', name: 'a', step: 'stopping' }]);

    s.events.length = 0;
    writer.step({ host: 'h1', name: 'a' }, 'failed', { error: 'exited with code 3' });
    writer.end('failed', 'a failed: exited with code 3');
    await s.tick();
    expect(s.events).toMatchObject([{ kind: 'state', rolloutId: 'r-cli', state: 'failed', reason: 'a failed: exited with code 3', rollout: { containers: [{ step: 'failed', error: 'exited with code 3' }] } }]);
    expect(s.events[0]?.kind === 'state' && s.events[0].rollout.endedAt).toBeTruthy();

    s.events.length = 0;
    await s.tick();
    expect(s.events).toEqual([]);
  });

  it('tells a running rollout whose process is gone as interrupted, though its file did not change', async () => {
    const s = setup();
    s.journal.begin(plan('r1'), cli).step({ host: 'h1', name: 'a' }, 'starting');
    s.subscribe();
    s.events.length = 0;
    s.die();
    await s.tick();
    expect(s.events).toMatchObject([{ kind: 'state', rolloutId: 'r1', state: 'interrupted', rollout: { containers: [{ name: 'a', step: 'starting' }, { name: 'b', step: 'queued' }] } }]);
  });

  it("sends this process's steps as they are reported, once, and a new rollout whole before its first step", async () => {
    const s = setup();
    s.subscribe();
    s.events.length = 0;
    const writer = s.journal.begin(plan('r1'), cli);
    // The service journals a step, then tells its listeners.
    writer.step({ host: 'h1', name: 'a' }, 'pulling');
    s.bus.emit('step', { rolloutId: 'r1', host: 'h1', name: 'a', step: 'pulling', time: s.clock.now() } satisfies RolloutStepEvent);
    expect(s.events).toMatchObject([
      { kind: 'state', rolloutId: 'r1', state: 'running', rollout: { containers: [{ name: 'a', step: 'pulling' }, { name: 'b', step: 'queued' }] } },
      { kind: 'step', rolloutId: 'r1', host: 'h1', name: 'a', step: 'pulling' },
    ]);

    s.events.length = 0;
    writer.step({ host: 'h1', name: 'a' }, 'stopping');
    s.bus.emit('step', { rolloutId: 'r1', host: 'h1', name: 'a', step: 'stopping', time: T0 } satisfies RolloutStepEvent);
    expect(s.events).toEqual([{ kind: 'step', rolloutId: 'r1', host: 'h1', name: 'a', step: 'stopping', time: new Date(T0).toISOString() }]);

    s.events.length = 0;
    await s.tick();
    expect(s.events).toEqual([]);
  });

  it("gives a pause of this process's rollout its reason", async () => {
    const s = setup();
    const writer = s.journal.begin(plan('r1'), cli);
    s.subscribe();
    s.events.length = 0;
    writer.paused();
    s.bus.emit('state', { rolloutId: 'r1', outcome: { state: 'paused', containers: [], failures: 1, reason: 'h1/a failed: not healthy within 30 s' } });
    expect(s.events).toMatchObject([{ kind: 'state', rolloutId: 'r1', state: 'paused', reason: 'h1/a failed: not healthy within 30 s' }]);
  });

  it('looks at the journal only while someone follows it', async () => {
    const s = setup();
    const stopA = s.subscribe();
    const stopB = s.feed.subscribe(() => {});
    expect(s.clock.pending).toHaveLength(1);
    expect(s.bus.listenerCount('step')).toBe(1);
    stopA();
    expect(s.clock.pending).toHaveLength(1);
    stopB();
    expect(s.clock.pending).toHaveLength(0);
    expect(s.bus.listenerCount('step') + s.bus.listenerCount('state')).toBe(0);
  });
});
