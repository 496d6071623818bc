// The rollout fault tests of issue 11 on the lab, driven through the fleetdeck CLI with a fresh
// data directory: a service fd-fault-svc of six members (two per host on h1–h3, static IP and MAC
// .190–.195 on br0) from lab/app:1.0, and fd-fault-sf (one member on h1 with a dynamic address).
// In order, each on the state the one before left:
//  (a) deploy 1.1, --parallelism 2: all on 1.1's digest, exit 0, never more than 2 down at once;
//  (b) deploy the broken tag, --failure-action rollback: all back on 1.1, exit 4, rolled-back;
//  (e) a second deploy while one runs is refused naming it; the first completes (on 1.0);
//  (f) restart --sequence in a non-default order: docker events show exactly that order;
//  (d) the CLI SIGKILLed mid-rollout: rollouts shows it interrupted, resume completes;
//  (g) start-first on fd-fault-sf: the new container is healthy before the old one stops;
// then `rollouts --json` lists each with its final state. After each, the invariant holds
// (e2e/support/rolloutLab.ts). (c), h3's dockerd killed mid-rollout, is hostDown.itest.ts.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutSummary } from '../../main/rollout/journal';
import type { RolloutRunSummary } from '../../main/rollout/rolloutService';
import { fleetdeckWith, type CliResult } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { lab, labRegistryEnv } from '../support/lab';
import { FAULT_HOSTS, FAULT_MONITOR as MONITOR, FaultService, type MemberState, IN_UPDATE_STEPS, journaledSteps, labDigests, memberOf, mostDownAtOnce, recordWhile, startFleetdeck, stopOrder, waitForStep } from '../support/rolloutLab';

const info = lab();
const svc = FaultService.withStaticMembers('fd-fault-svc', 2, 190);
const startFirst = new FaultService('fd-fault-sf', [{ host: 'h1', name: 'fd-fault-sf-h1-1' }]);
/** Six members, two at a time, each ≈ 4 s until healthy and monitored: ≈ 15 s; a restart one at a time ≈ 25 s; 2 min on a loaded lab. */
const ROLLOUT_TIMEOUT_MS = 120_000;
let env: Record<string, string>;
let dataDir: string;
let digests: Record<string, string>;
/** Each rollout of this file with the final state `rollouts --json` must show, oldest first. */
const finals: [string, string][] = [];

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);

async function rollouts(): Promise<RolloutSummary[]> {
  const listed = await cli('rollouts', '--json');
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as RolloutSummary[];
}

/**
 * A run's end as the scenario wants it: exit code and --json state (and id, where known), then the
 * invariant with every member on `onTag`'s digest; noted for the final `rollouts` check.
 */
async function expectEnd(res: CliResult, want: { code: number; state: string; id?: string }, fixture: FaultService, before: MemberState[], onTag: string) {
  expect(res.code, res.stderr).toBe(want.code);
  // The --json summary (the CLI leaves out `reason`, which goes to stderr).
  const summary = JSON.parse(res.stdout) as RolloutRunSummary;
  expect([summary.id, summary.state]).toEqual([want.id ?? summary.id, want.state]);
  const after = await fixture.assertInvariant(before);
  expect(after.map((s) => s.digest)).toEqual(fixture.members.map(() => digests[onTag]));
  finals.push([summary.id, want.state]);
  return { summary, after };
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

beforeAll(async () => {
  dataDir = freshDataDir('rollout-faults');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  digests = await labDigests(cli, ['1.0', '1.1']);
  await svc.create(info.images['1.0']!);
  await startFirst.create(info.images['1.0']!);
}, 90_000);

afterAll(async () => {
  await svc.remove();
  await startFirst.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('rollout faults on the lab (fd-fault-svc: 2 static members on each of h1, h2, h3)', () => {
  it('(a) deploy 1.1 with --parallelism 2: exit 0, all on 1.1’s digest, never more than 2 down at once', async () => {
    await timed('(a) parallel deploy', async () => {
      const before = await svc.snapshot();
      const { result: res, events: recorded } = await recordWhile(svc.service, FAULT_HOSTS, () =>
        cli('deploy', '--service', svc.service, '--image', info.images['1.1']!, '--parallelism', '2', '--monitor', MONITOR, '--json'),
      );
      const { summary } = await expectEnd(res, { code: 0, state: 'completed' }, svc, before, '1.1');
      expect(summary.containers.map((c) => [c.host, c.name, c.state, c.to.digest])).toEqual(svc.members.map((m) => [m.host, m.name, 'done', digests['1.1']]));
      // Every member went down once (the recorder saw it), and never more than two at a time.
      expect(new Set(recorded.filter((e) => e.action === 'die').map((e) => `${e.host}/${memberOf(e.name)}`))).toEqual(new Set(svc.keys()));
      const most = mostDownAtOnce(recorded, before);
      expect(most).toBeGreaterThanOrEqual(1);
      expect(most).toBeLessThanOrEqual(2);
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('(b) deploy the broken tag with --failure-action rollback: exit 4, rolled-back, every container back on 1.1 with its IP and MAC', async () => {
    await timed('(b) failed deploy rolled back', async () => {
      const before = await svc.snapshot();
      const res = await cli('deploy', '--service', svc.service, '--image', info.images.broken!, '--parallelism', '2', '--monitor', MONITOR, '--failure-action', 'rollback', '--json');
      const { summary, after } = await expectEnd(res, { code: 4, state: 'rolled-back' }, svc, before, '1.1');
      // The ones it touched were put back; the rest never left their old revision.
      expect(summary.containers.some((c) => c.state === 'rolled-back')).toBe(true);
      for (const c of summary.containers) expect(['rolled-back', 'queued'], `${c.host}/${c.name}`).toContain(c.state);
      // Back means the very containers of before (renamed back and started), not copies.
      expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('(e) a second deploy while one runs is refused naming the running rollout (exit 1); the first completes', async () => {
    await timed('(e) second deploy refused', async () => {
      const before = await svc.snapshot();
      const known = new Set(finals.map(([id]) => id));
      const first = cli('deploy', '--service', svc.service, '--image', info.images['1.0']!, '--parallelism', '2', '--monitor', MONITOR, '--json');
      const running = await waitForStep(dataDir, (s) => !known.has(s.rolloutId), 60_000);
      const second = await cli('deploy', '--service', svc.service, '--image', info.images['1.1']!, '--json');
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain(`rollout ${running.rolloutId}`);
      expect(second.stdout).toBe('');
      await expectEnd(await first, { code: 0, state: 'completed', id: running.rolloutId }, svc, before, '1.0');
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('(f) restart --sequence in a non-default order: the containers restart in exactly that order', async () => {
    await timed('(f) restart in sequence', async () => {
      const before = await svc.snapshot();
      // Not by host then name (the default): h3 first, then alternating hosts.
      const sequence = ['h3/fd-fault-svc-h3-2', 'h1/fd-fault-svc-h1-1', 'h2/fd-fault-svc-h2-2', 'h3/fd-fault-svc-h3-1', 'h2/fd-fault-svc-h2-1', 'h1/fd-fault-svc-h1-2'];
      expect([...sequence].sort()).toEqual([...svc.keys()].sort());
      const { result: res, events: recorded } = await recordWhile(svc.service, FAULT_HOSTS, () =>
        cli('restart', '--service', svc.service, '--sequence', sequence.join(','), '--monitor', MONITOR, '--json'),
      );
      const { summary, after } = await expectEnd(res, { code: 0, state: 'completed' }, svc, before, '1.0');
      expect(summary.action).toBe('restart');
      expect(after.map((s) => s.id)).toEqual(before.map((s) => s.id));
      expect(stopOrder(recorded)).toEqual(sequence);
      // One at a time (the default parallelism): each is running again before the next one stops.
      expect(mostDownAtOnce(recorded, before)).toBe(1);
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('(d) the CLI SIGKILLed mid-rollout: rollouts shows it interrupted with per-container steps; resume completes', async () => {
    await timed('(d) CLI killed, resumed', async () => {
      const before = await svc.snapshot();
      const known = new Set(finals.map(([id]) => id));
      const run = startFleetdeck(env, '--fleet', info.fleetFile, 'deploy', '--service', svc.service, '--image', info.images['1.1']!, '--parallelism', '2', '--monitor', MONITOR, '--json');
      const caught = await waitForStep(dataDir, (s) => !known.has(s.rolloutId) && (s.step === 'stopping' || s.step === 'starting'), 60_000).finally(() => run.kill());
      expect((await run.exited).signal).toBe('SIGKILL');
      console.log(`(d) killed at ${caught.container} ${caught.step}`);
      const entry = (await rollouts()).find((r) => r.id === caught.rolloutId)!;
      expect(entry.state).toBe('interrupted');
      expect(entry.containers.map((c) => c.container)).toEqual(svc.keys());
      // Each container's last journaled step, as the journal has it; the caught one mid-update.
      const last = new Map(journaledSteps(dataDir).filter((s) => s.rolloutId === caught.rolloutId).map((s) => [s.container, s.step]));
      expect(entry.containers.map((c) => c.step)).toEqual(svc.keys().map((k) => last.get(k) ?? 'queued'));
      expect(IN_UPDATE_STEPS).toContain(entry.containers.find((c) => c.container === caught.container)!.step);

      await expectEnd(await cli('resume', caught.rolloutId, '--json'), { code: 0, state: 'completed', id: caught.rolloutId }, svc, before, '1.1');
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('(g) --order start-first on a member without a static address: the new container is healthy before the old one stops', async () => {
    await timed('(g) start-first', async () => {
      const before = await startFirst.snapshot();
      const { result: res, events: recorded } = await recordWhile(startFirst.service, ['h1'], () =>
        cli('deploy', '--service', startFirst.service, '--image', info.images['1.1']!, '--order', 'start-first', '--monitor', MONITOR, '--json'),
      );
      const { after } = await expectEnd(res, { code: 0, state: 'completed' }, startFirst, before, '1.1');
      const oldId = before[0]!.id;
      const newId = after[0]!.id;
      expect(newId).not.toBe(oldId);
      const healthy = recorded.find((e) => e.id === newId && e.action === 'health_status: healthy');
      const oldStops = recorded.find((e) => e.id === oldId && ['kill', 'die', 'stop'].includes(e.action));
      expect(healthy, JSON.stringify(recorded)).toBeDefined();
      expect(oldStops, JSON.stringify(recorded)).toBeDefined();
      expect(healthy!.time).toBeLessThan(oldStops!.time);
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('rollouts --json lists every rollout of these tests, newest first, with its final state', async () => {
    expect((await rollouts()).map((r) => [r.id, r.state])).toEqual([...finals].reverse());
    expect(finals.map(([, state]) => state)).toEqual(['completed', 'rolled-back', 'completed', 'completed', 'completed', 'completed']);
  }, 60_000);
});
