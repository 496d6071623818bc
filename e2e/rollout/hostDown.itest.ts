// Rollout fault (c) of issue 11 on the lab: a host dies mid-rollout. A service fd-fault-off of
// three members (one per host, static IP and MAC .200–.202 on br0) from lab/app:1.0 is deployed to
// 1.1 one at a time in the order h1, h3, h2; when the journal shows h3's member being stopped or
// started, h3's dockerd is SIGKILLed (lab.sh kill-dockerd, its containers go with it). The rollout
// pauses (exit 4, state paused, h1 done, h3 caught mid-update and not failed, h2 queued); h3 comes
// back (start-dockerd, in a finally and in afterAll: this file alone may stop a dockerd, and only
// h3's); `fleetdeck resume ID` completes with the invariant (e2e/support/rolloutLab.ts).
// Its own file: integration files run one at a time, so h3 going down disturbs no other test.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutSummary } from '../../main/rollout/journal';
import type { RolloutRunSummary } from '../../main/rollout/rolloutService';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { lab, labRegistryEnv, labSh } from '../support/lab';
import { FAULT_MONITOR as MONITOR, FaultService, IN_UPDATE_STEPS, labDigests, waitForStep } from '../support/rolloutLab';

const info = lab();
const svc = FaultService.withStaticMembers('fd-fault-off', 1, 200);
const [onH1, onH2, onH3] = svc.keys() as [string, string, string];
/** h3 in the middle: one done before it goes down, one still queued. */
const SEQUENCE = [onH1, onH3, onH2];
/** Three members one at a time (≈ 4 s each), h3’s restart (≈ 2 s), and the resume; 2 min on a loaded lab. */
const TIMEOUT_MS = 120_000;

let env: Record<string, string>;
let dataDir: string;
let digest11: string;

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);
const states = async () => {
  const listed = await cli('rollouts', '--json');
  expect(listed.code, listed.stderr).toBe(0);
  return (JSON.parse(listed.stdout) as RolloutSummary[]).map((r) => [r.id, r.state]);
};
/** Waits for /_ping; a no-op when h3 already runs. */
const bringBackH3 = () => labSh('start-dockerd', 'h3');

beforeAll(async () => {
  dataDir = freshDataDir('rollout-host-down');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  digest11 = (await labDigests(cli, ['1.1']))['1.1']!;
  await svc.create(info.images['1.0']!);
}, 90_000);

afterAll(async () => {
  await bringBackH3();
  await svc.remove();
  rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

describe('a host dies mid-rollout (fd-fault-off on h1, h2, h3; h3’s dockerd SIGKILLed)', () => {
  it('(c) the rollout pauses with each container’s state, h3’s not failed; once h3 is back, resume completes', async () => {
    const started = Date.now();
    const before = await svc.snapshot();
    const deploying = cli('deploy', '--service', svc.service, '--image', info.images['1.1']!, '--sequence', SEQUENCE.join(','), '--monitor', MONITOR, '--json');
    let summary: RolloutRunSummary;
    try {
      const caught = await waitForStep(dataDir, (s) => s.container === onH3 && (s.step === 'stopping' || s.step === 'starting'), 60_000);
      await labSh('kill-dockerd', 'h3');
      console.log(`(c) h3 killed at ${caught.container} ${caught.step}`);
      const res = await deploying;
      expect(res.code, res.stderr).toBe(4);
      expect(res.stderr).toMatch(/host h3 is offline/);
      summary = JSON.parse(res.stdout) as RolloutRunSummary;
      expect([summary.id, summary.state]).toEqual([caught.rolloutId, 'paused']);
      const byKey = Object.fromEntries(summary.containers.map((c) => [`${c.host}/${c.name}`, c]));
      expect(byKey[onH1]!.state).toBe('done');
      expect(IN_UPDATE_STEPS).toContain(byKey[onH3]!.state);
      expect(byKey[onH3]!.error).toMatch(/host h3 is offline/);
      expect(byKey[onH2]!.state).toBe('queued');
    } finally {
      await deploying;
      await bringBackH3();
    }
    expect(await states()).toEqual([[summary.id, 'paused']]);

    const res = await cli('resume', summary.id, '--json');
    expect(res.code, res.stderr).toBe(0);
    const resumed = JSON.parse(res.stdout) as RolloutRunSummary;
    expect([resumed.id, resumed.state]).toEqual([summary.id, 'completed']);
    expect(resumed.containers.map((c) => [`${c.host}/${c.name}`, c.state, c.to.digest])).toEqual(SEQUENCE.map((k) => [k, 'done', digest11]));
    const after = await svc.assertInvariant(before);
    expect(after.map((s) => s.digest)).toEqual(svc.members.map(() => digest11));

    expect(await states()).toEqual([[summary.id, 'completed']]);
    console.log(`(c) host down, resumed: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, TIMEOUT_MS);
});
