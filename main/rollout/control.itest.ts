// Rollout control across processes on the lab: a throwaway service fd-ctl-svc of two containers (h1,
// h2; static IP and MAC on br0, .160/.161) from lab/app:1.0. (i) A deploy to 1.1 runs in a CLI
// process; control(id, 'abort') from this process's RolloutService reaches it through the journal
// and it ends aborted, each container on its old or its new revision. (ii) A CLI SIGKILLed while a
// container is stopping or starting leaves the rollout interrupted; `fleetdeck abort ID` from a
// fresh CLI takes it over, finishes that container and ends aborted. (iii) Another one killed the
// same way is rolled back through control(id, 'rollback'): every container back on 1.0's digest.
// After each, the invariant: the same names on the same hosts, same IP and MAC, all running, and
// nothing left behind. Its own data directory, removed after.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeckWith } from '../../e2e/support/cli';
import { freshDataDir } from '../../e2e/support/dataDir';
import { lab, labRegistryEnv } from '../../e2e/support/lab';
import { FaultService, journaledSteps, startFleetdeck, waitForStep, type MemberState } from '../../e2e/support/rolloutLab';
import { systemClock } from '../clock/clock';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { processFleetEnv } from '../fleet/environment';
import { createCredentialStore } from '../registry/credentials';
import { RolloutJournal } from './journal';
import { ServiceLocks } from './lock';
import { pullAuthFrom } from './pullAuth';
import { RolloutService } from './rolloutService';

const SERVICE = 'fd-ctl-svc';
/** Helper A's addresses on br0 are .160–.169; h3 is left to the fault tests that stop its daemon. */
const svc = FaultService.withStaticMembers(SERVICE, 1, 160, ['h1', 'h2']);
/**
 * (i): long enough that the CLI is still watching h1's new container when the abort arrives (the
 * control poll is 500 ms), short enough that a lost abort fails the test within its timeout.
 */
const LONG_MONITOR = '30s';
/** (ii), (iii): the kill comes mid-update, so the monitor only has to let the lab app turn healthy. */
const SHORT_MONITOR = '1s';
/** Two recreates of the lab app (pull, stop, create, start, ~5 s to healthy) and a takeover. */
const TEST_TIMEOUT_MS = 150_000;

const info = lab();
let env: Record<string, string>;
let dataDir: string;
let core: Core;
let service: RolloutService;
let digests: Record<string, string>;
const savedEnv = { ...process.env };

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);
const deployArgs = (monitor: string, ...more: string[]) => ['--fleet', info.fleetFile, 'deploy', '--service', SERVICE, '--image', info.images['1.1']!, '--monitor', monitor, '--json', ...more];
const onH1 = `h1/${SERVICE}-h1-1`;

interface Listed {
  id: string;
  state: string;
  containers: { container: string; step: string }[];
}

async function listed(id: string): Promise<Listed> {
  const res = await cli('rollouts', '--json');
  expect(res.code, res.stderr).toBe(0);
  const found = (JSON.parse(res.stdout) as Listed[]).find((r) => r.id === id);
  if (!found) throw new Error(`rollout ${id} is not listed`);
  return found;
}

/** The rollouts on record now: a wait for a step of the next one skips theirs. */
const known = () => new Set(journaledSteps(dataDir).map((s) => s.rolloutId));
const steps = (r: Pick<Listed, 'containers'>) => r.containers.map((c) => [c.container, c.step]);
const digestsOf = (states: MemberState[]) => states.map((s) => [s.host, s.digest]);

beforeAll(async () => {
  dataDir = freshDataDir('rollout-control');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  Object.assign(process.env, env);
  await svc.create(info.images['1.0']!);
  const opened = await openFleet({ fleetFile: info.fleetFile, mode: 'browser', source: 'cli' });
  core = opened.core;
  expect(await core.settled(10_000)).toEqual([]);
  service = new RolloutService({
    fleet: { hostNames: () => core.hosts.map((h) => h.spec.name), containers: (h) => core.model.containers(h), host: (h) => core.model.host(h) },
    actions: core.actions,
    journal: new RolloutJournal({ dataDir }),
    locks: new ServiceLocks({ dataDir }),
    resolve: (image) => core.registry.resolve(image),
    pullAuth: pullAuthFrom(createCredentialStore({ registries: opened.spec.registries, env: processFleetEnv(), clock: systemClock })),
    clock: systemClock,
    actor: { user: 'itest', source: 'console' },
  });
  // What the lab registry gives each tag now, as the rollout resolves it.
  digests = Object.fromEntries(await Promise.all(['1.0', '1.1'].map(async (tag) => [tag, (await core.registry.resolve(info.images[tag]!)).digest] as const)));
}, 90_000);

afterAll(async () => {
  await svc.remove();
  await core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('rollout control across processes on the lab (fd-ctl-svc on h1 and h2, static IP and MAC)', () => {
  it('(i) control(id, "abort") from another process reaches the CLI running the deploy: it ends aborted, each container on its old or new revision', async () => {
    const before = await svc.snapshot();
    const earlier = known();
    const run = startFleetdeck(env, ...deployArgs(LONG_MONITOR));
    let id: string;
    try {
      ({ rolloutId: id } = await waitForStep(dataDir, (s) => !earlier.has(s.rolloutId) && s.container === onH1 && s.step === 'waiting-healthy', 60_000));
      expect(await service.control(id, 'abort')).toBeUndefined();
      expect((await run.exited).code).toBe(4);
    } finally {
      run.kill();
    }
    const record = await listed(id);
    expect(record.state).toBe('aborted');
    expect(steps(record)).toEqual([
      [onH1, 'done'],
      [`h2/${SERVICE}-h2-1`, 'queued'],
    ]);
    const after = await svc.assertInvariant(before);
    expect(digestsOf(after)).toEqual([
      ['h1', digests['1.1']],
      ['h2', digests['1.0']],
    ]);
    // Ended: another order is refused, naming its end.
    await expect(service.control(id, 'abort')).rejects.toThrow(`rollout ${id} already ended (aborted)`);
  }, TEST_TIMEOUT_MS);

  it('(ii) a CLI SIGKILLed mid-update leaves the rollout interrupted; `fleetdeck abort ID` finishes the container caught and ends aborted', async () => {
    await svc.create(info.images['1.0']!);
    const before = await svc.snapshot();
    const earlier = known();
    const run = startFleetdeck(env, ...deployArgs(SHORT_MONITOR));
    let id: string;
    try {
      ({ rolloutId: id } = await waitForStep(dataDir, (s) => !earlier.has(s.rolloutId) && s.container === onH1 && (s.step === 'stopping' || s.step === 'starting'), 60_000));
    } finally {
      run.kill();
    }
    expect((await run.exited).signal).toBe('SIGKILL');
    const interrupted = await listed(id);
    expect(interrupted.state).toBe('interrupted');
    expect(['stopping', 'starting']).toContain(interrupted.containers[0]!.step);

    const res = await cli('abort', id, '--json');
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { id: string; state: string; containers: { host: string; state: string }[] };
    expect([summary.id, summary.state]).toEqual([id, 'aborted']);
    expect(summary.containers.map((c) => [c.host, c.state])).toEqual([
      ['h1', 'done'],
      ['h2', 'queued'],
    ]);
    expect((await listed(id)).state).toBe('aborted');
    const after = await svc.assertInvariant(before);
    expect(digestsOf(after)).toEqual([
      ['h1', digests['1.1']],
      ['h2', digests['1.0']],
    ]);
    const again = await cli('abort', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(`rollout ${id} already ended (aborted)`);
  }, TEST_TIMEOUT_MS);

  it('(iii) control(id, "rollback") on an interrupted rollout takes it over and returns every container to 1.0’s digest', async () => {
    await svc.create(info.images['1.0']!);
    const before = await svc.snapshot();
    const earlier = known();
    const run = startFleetdeck(env, ...deployArgs(SHORT_MONITOR, '--parallelism', '2'));
    let id: string;
    try {
      ({ rolloutId: id } = await waitForStep(dataDir, (s) => !earlier.has(s.rolloutId) && s.step === 'starting', 60_000));
    } finally {
      run.kill();
    }
    expect((await run.exited).signal).toBe('SIGKILL');
    // The notice every rollout command starts with names it, with each container's step.
    const notice = await cli('rollouts');
    expect(notice.stderr).toMatch(new RegExp(`fleetdeck: rollout ${id} \\(deploy of ${SERVICE}\\) was interrupted: h1/${SERVICE}-h1-1 \\S+, h2/${SERVICE}-h2-1 \\S+: fleetdeck resume ${id}, fleetdeck abort ${id}, or fleetdeck rollback --service ${SERVICE}`));

    await Promise.all(['h1', 'h2'].map((h) => core.model.refresh(h)));
    const summary = await service.control(id, 'rollback');
    expect(summary?.state).toBe('rolled-back');
    expect((await listed(id)).state).toBe('rolled-back');
    const after = await svc.assertInvariant(before);
    expect(digestsOf(after)).toEqual([
      ['h1', digests['1.0']],
      ['h2', digests['1.0']],
    ]);
  }, TEST_TIMEOUT_MS);
});
