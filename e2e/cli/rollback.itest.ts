// fleetdeck restart, rollback and rollouts on the lab: a throwaway service fd-rb-svc of two
// containers (h1, h2, static IP and MAC on br0; e2e/support/rolloutLab.ts FaultService) from lab/app:1.0. A rolling restart exits 0 and
// restarts each; deploys to 1.1 and to the token registry's 1.1 make revisions 2 and 3;
// `rollback --to-revision 99` exits 1 naming the valid ones; `rollback --to-revision 1` returns
// each container to 1.0's digest with its IP and MAC, nothing left behind, without a pull (the
// audit log); `rollouts --json` lists them with their revisions. A deploy left paused is what
// `rollback --service` rolls back. Its own data directory, removed after.
import { rmSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { lab, labRegistryEnv } from '../support/lab';
import { daemon, FaultService, type MemberState } from '../support/rolloutLab';

const SERVICE = 'fd-rb-svc';
const HOSTS = ['h1', 'h2'] as const;
/** One member per host at helper B's br0 addresses this session (.170–.179): .171 and .172. */
const svc = FaultService.withStaticMembers(SERVICE, 1, 171, HOSTS);
/** Each rollout recreates or restarts two containers one at a time, each watched 1 s (--monitor), then one more monitor. */
const ROLLOUT_TIMEOUT_MS = 120_000;
const MONITOR = ['--monitor', '1s'];

const info = lab();
let env: Record<string, string>;
let dataDir: string;
let initial: MemberState[];

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);

async function inspect(): Promise<Dockerode.ContainerInspectInfo[]> {
  return Promise.all(svc.members.map((m) => daemon(m.host).getContainer(m.name).inspect()));
}

async function digestOf(ref: string): Promise<string> {
  const res = await cli('digest', ref);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout.trim();
}

interface Summary {
  action: string;
  state: string;
  containers: { host: string; name: string; from: { image: string; digest?: string }; to: { image: string; digest?: string }; state: string }[];
}

async function run(...args: string[]): Promise<Summary> {
  const res = await cli(...args, ...MONITOR, '--json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Summary;
}

beforeAll(async () => {
  dataDir = freshDataDir('cli-rollback');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  await svc.create(info.images['1.0']!);
  initial = await svc.snapshot();
}, 60_000);

afterAll(async () => {
  await svc.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('fleetdeck restart, rollback and rollouts on the lab (fd-rb-svc on h1 and h2, static IP and MAC)', () => {
  it('restart --service exits 0: each container restarted in place (same id, StartedAt moved), its summary on the current image and digest', async () => {
    const before = await inspect();
    const digest10 = await digestOf(info.images['1.0']!);
    const summary = await run('restart', '--service', SERVICE);
    expect(summary).toMatchObject({ action: 'restart', state: 'completed' });
    expect(summary.containers.map((c) => [c.host, c.name, c.state, c.from, c.to])).toEqual(
      svc.members.map((m) => [m.host, m.name, 'done', { image: info.images['1.0'], digest: digest10 }, { image: info.images['1.0'], digest: digest10 }]),
    );
    await svc.assertInvariant(initial);
    const after = await inspect();
    after.forEach((c, i) => {
      expect(c.Id).toBe(before[i]!.Id);
      expect(c.State.Running).toBe(true);
      expect(Date.parse(c.State.StartedAt)).toBeGreaterThan(Date.parse(before[i]!.State.StartedAt));
    });
  }, ROLLOUT_TIMEOUT_MS);

  it('rollback with no recorded revision yet exits 1 before anything is touched', async () => {
    const res = await cli('rollback', '--service', SERVICE);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/service fd-rb-svc has no recorded revision to go back to/);
    const unknown = await cli('rollback', '--service', 'fd-rb-no-such-service');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no containers of service fd-rb-no-such-service/);
  }, 60_000);

  it('after 1.0 → 1.1 → the token registry’s 1.1: --to-revision 99 exits 1 naming 1, 2, 3; --to-revision 1 returns each to 1.0’s digest, same IP and MAC, nothing left behind, no pull', async () => {
    await run('deploy', '--service', SERVICE, '--image', info.images['1.1']!);
    await run('deploy', '--service', SERVICE, '--image', info.tokenImages['1.1']!);
    const [digest10, digestToken11] = [await digestOf(info.images['1.0']!), await digestOf(info.tokenImages['1.1']!)];

    const tooFar = await cli('rollback', '--service', SERVICE, '--to-revision', '99');
    expect(tooFar.code).toBe(1);
    expect(tooFar.stderr).toMatch(/service fd-rb-svc has no revision 99: its revisions are 1, 2, 3 \(3 is the current one\); nothing was changed/);

    // The default target is the revision before the current one: 2, 1.1 of the basic registry.
    const dry = await cli('rollback', '--service', SERVICE, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { action: string; isRollback: boolean; targets: { from: { digest?: string }; to: { image: string; digest?: string } }[] };
    expect(plan).toMatchObject({ action: 'rollback', isRollback: true });
    expect(plan.targets.map((t) => [t.from.digest, t.to.image])).toEqual(svc.members.map(() => [digestToken11, info.images['1.1']]));

    const startedAt = new Date().toISOString();
    const summary = await run('rollback', '--service', SERVICE, '--to-revision', '1');
    expect(summary).toMatchObject({ action: 'rollback', state: 'completed' });
    expect(summary.containers.map((c) => [c.host, c.name, c.state, c.to.digest])).toEqual(svc.members.map((m) => [m.host, m.name, 'done', digest10]));
    // Same names on the same hosts, same IP and MAC, all running, nothing left behind; on 1.0's digest.
    const now = await svc.assertInvariant(initial);
    expect(now.map((m) => m.digest)).toEqual(svc.members.map(() => digest10));
    expect(now.map((m) => m.id)).not.toEqual(initial.map((m) => m.id));
    for (const c of await inspect()) expect(c.Config.Image).toBe(info.images['1.0']);

    const audit = await cli('audit', '--json');
    expect(audit.code, audit.stderr).toBe(0);
    const ourActions = (JSON.parse(audit.stdout) as { time: string; action: string; target: { service?: string } }[]).filter((e) => e.target.service === SERVICE);
    const sinceRollback = ourActions.filter((e) => e.time >= startedAt).map((e) => e.action);
    expect(sinceRollback).toEqual(expect.arrayContaining(['stop', 'create', 'start', 'remove']));
    expect(sinceRollback).not.toContain('pull');
    // The check can fail: the deploys before it did pull.
    expect(ourActions.filter((e) => e.time < startedAt).map((e) => e.action)).toContain('pull');
  }, 4 * ROLLOUT_TIMEOUT_MS);

  it('rollouts --json lists them newest first with their final state and the revision each made (a restart makes none)', async () => {
    const res = await cli('rollouts', '--json');
    expect(res.code, res.stderr).toBe(0);
    const list = JSON.parse(res.stdout) as { action: string; service: string; state: string; revision?: number }[];
    expect(list.map((r) => [r.action, r.service, r.state, r.revision])).toEqual([
      ['rollback', SERVICE, 'completed', 4],
      ['deploy', SERVICE, 'completed', 3],
      ['deploy', SERVICE, 'completed', 2],
      ['restart', SERVICE, 'completed', undefined],
    ]);
    const table = await cli('rollouts');
    expect(table.stdout).toMatch(/^ID +ACTION +SERVICE +REVISION +STATE/);
  }, 60_000);

  it('a deploy left paused (the broken tag fails its health check): rollback --to-revision is refused naming it; rollback --service rolls THAT rollout back, exit 0, the invariant on 1.0', async () => {
    const digest10 = await digestOf(info.images['1.0']!);
    const broken = await cli('deploy', '--service', SERVICE, '--image', info.images['broken']!, ...MONITOR, '--json');
    expect(broken.code, broken.stderr).toBe(4);
    const paused = JSON.parse(broken.stdout) as Summary & { id: string };
    expect(paused.state).toBe('paused');

    const refused = await cli('rollback', '--service', SERVICE, '--to-revision', '1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`rollout ${paused.id} (deploy of ${SERVICE}) is paused: roll it back first`);

    const summary = (await run('rollback', '--service', SERVICE)) as Summary & { id: string };
    expect(summary).toMatchObject({ id: paused.id, action: 'deploy', state: 'rolled-back' });
    const now = await svc.assertInvariant(initial);
    expect(now.map((m) => m.digest)).toEqual(svc.members.map(() => digest10));
    const listed = JSON.parse((await cli('rollouts', '--json')).stdout) as { id: string; state: string; revision?: number }[];
    expect(listed[0]).toMatchObject({ id: paused.id, state: 'rolled-back' });
    expect(listed[0]!.revision).toBeUndefined();
  }, 2 * ROLLOUT_TIMEOUT_MS);
});
