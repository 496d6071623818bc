// fleetdeck deploy, rollouts on the lab: a throwaway service fd-g1-svc of two containers (h1, h2,
// static IP and MAC on br0) from lab/app:1.0. A dry run changes nothing; a deploy to 1.1 exits 0
// with both on 1.1's digest, same IP and MAC, nothing left behind; rollouts lists it completed; a
// tag the registry lacks exits 1 before anything is touched, as does resuming an unknown ID.
// Its own data directory, removed after.
import { rmSync } from 'node:fs';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { lab, labHost, labRegistryEnv } from '../support/lab';
import { assertFreeAddress, createStaticMember } from '../support/staticMember';

const SERVICE = 'fd-g1-svc';
const HOSTS = ['h1', 'h2'] as const;
type Host = (typeof HOSTS)[number];
/** In br0's static range (198.18.4.20–.63), away from the others' (rolloutService.itest's .51–.53). */
const ADDRESSES: Record<Host, { ip: string; mac: string }> = {
  h1: { ip: '198.18.4.54', mac: '02:fd:00:04:00:54' },
  h2: { ip: '198.18.4.55', mac: '02:fd:00:04:00:55' },
};
const nameOn = (host: string) => `${SERVICE}-${host}`;
/** A deploy recreates two containers one at a time, each watched 5 s (the default --monitor). */
const DEPLOY_TIMEOUT_MS = 120_000;

const info = lab();
const daemons = Object.fromEntries(HOSTS.map((h) => [h, new Dockerode({ socketPath: labHost(h).socket })])) as Record<Host, Dockerode>;
let env: Record<string, string>;
let dataDir: string;

const cli = (...args: string[]) => fleetdeckWith(env, '--fleet', info.fleetFile, ...args);

async function ours(host: Host): Promise<Dockerode.ContainerInfo[]> {
  return (await daemons[host].listContainers({ all: true, filters: { name: [`^/${SERVICE}`] } })).filter((c) => c.Names.some((n) => n.startsWith(`/${SERVICE}`)));
}

async function removeOurs(): Promise<void> {
  for (const host of HOSTS) for (const c of await ours(host)) await daemons[host].getContainer(c.Id).remove({ force: true });
}

/** Per host: our containers' names and ids, to compare before and after. */
async function state(): Promise<string[][]> {
  return Promise.all(HOSTS.map(async (h) => (await ours(h)).map((c) => `${c.Names[0]} ${c.Id} ${c.State}`).sort()));
}

async function digestOf(tag: string): Promise<string> {
  const res = await cli('digest', info.images[tag]!);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout.trim();
}

beforeAll(async () => {
  dataDir = freshDataDir('cli-rollout');
  env = { ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
  await removeOurs();
  for (const host of HOSTS) await assertFreeAddress(daemons[host], ADDRESSES[host].ip, host);
  for (const host of HOSTS) await createStaticMember(daemons[host], { name: nameOn(host), image: info.images['1.0']!, service: SERVICE, ...ADDRESSES[host] });
}, 60_000);

afterAll(async () => {
  await removeOurs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('fleetdeck deploy and rollouts on the lab (fd-g1-svc on h1 and h2, static IP and MAC)', () => {
  it('deploy --dry-run --json prints the plan on 1.1’s digest and changes nothing', async () => {
    const before = await state();
    const digest = await digestOf('1.1');
    const res = await cli('deploy', '--service', SERVICE, '--image', info.images['1.1']!, '--dry-run', '--json');
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout) as { targets: { host: string; name: string; to: { digest: string } }[] };
    expect(plan.targets.map((t) => [t.host, t.name, t.to.digest]).sort()).toEqual(HOSTS.map((h) => [h, nameOn(h), digest]));
    expect(await state()).toEqual(before);
    const listed = await cli('rollouts', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  }, 60_000);

  it('a tag the registry lacks exits 1 before anything is touched', async () => {
    const before = await state();
    const res = await cli('deploy', '--service', SERVICE, '--image', `${info.registry.host}/lab/app:9.9-missing`, '--json');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/lab\/app:9\.9-missing: the registry does not give it/);
    expect(res.stdout).toBe('');
    expect(await state()).toEqual(before);
  }, 60_000);

  it('resume of a rollout not on record exits 1', async () => {
    const res = await cli('resume', 'no-such-rollout', '--json');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/rollout no-such-rollout is not on record/);
  }, 60_000);

  it('deploy --json to 1.1 exits 0: both on 1.1’s digest with the same IP and MAC, nothing left behind; rollouts lists it completed', async () => {
    const digest = await digestOf('1.1');
    const res = await cli('deploy', '--service', SERVICE, '--image', info.images['1.1']!, '--json');
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { id: string; service: string; action: string; state: string; containers: { host: string; name: string; state: string; to: { image: string; digest: string } }[] };
    expect([summary.service, summary.action, summary.state]).toEqual([SERVICE, 'deploy', 'completed']);
    expect(summary.containers.map((c) => [c.host, c.name, c.state, c.to]).sort()).toEqual(HOSTS.map((h) => [h, nameOn(h), 'done', { image: info.images['1.1'], digest }]));
    for (const host of HOSTS) {
      expect((await ours(host)).map((c) => c.Names[0])).toEqual([`/${nameOn(host)}`]);
      const now = await daemons[host].getContainer(nameOn(host)).inspect();
      expect(now.State.Running).toBe(true);
      const br0 = now.NetworkSettings.Networks.br0!;
      expect([br0.IPAddress, br0.MacAddress]).toEqual([ADDRESSES[host].ip, ADDRESSES[host].mac]);
      expect((await daemons[host].getImage(now.Image).inspect()).RepoDigests).toContain(`${info.registry.host}/lab/app@${digest}`);
    }
    const listed = await cli('rollouts', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; state: string }[]).map((r) => [r.id, r.state])).toEqual([[summary.id, 'completed']]);
  }, DEPLOY_TIMEOUT_MS);
});
