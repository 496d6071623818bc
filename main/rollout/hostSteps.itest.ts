// The per-container deploy steps on the lab: one throwaway container with a static IP and MAC on
// h1's br0, from lab/app:1.0 to :1.1 and back, through a real action path and audit log. Name, IP
// and MAC survive the update and the revert, the old revision waits renamed and stopped, finish()
// leaves only the new one, and the broken tag (its health check fails) fails monitor(). A rollback
// target (a recorded revision) is recreated from its create config, without a pull while h1 has its
// digest: by its tag, or by repo@digest once the tag points elsewhere.
import { readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { lab } from '../../e2e/support/lab';
import { registryAuthHeader } from '../registry/registryAuth';
import { labUpdater } from './fixtures/labUpdater';
import { digestIn, HostSteps, oldName, type HostStepsDeps } from './hostSteps';
import type { PlanTarget } from './types';
import { assertFreeAddress } from '../../e2e/support/staticMember';

const NAME = 'fd-e3-hoststeps';
/** In br0's static range (198.18.4.20–.63), away from the seeds' .21 and .22 (e2e/lab/README.md). */
const IP = '198.18.4.47';
const MAC = '02:fd:00:04:00:47';

const info = lab();
const password = readFileSync(info.registry.passwordFile, 'utf8').trim();
const { docker, steps, report, ours, deps, auditLines } = labUpdater(NAME);

function hostSteps(options: Pick<HostStepsDeps, 'order' | 'recorded' | 'probe' | 'target'> = {}): HostSteps {
  return new HostSteps({ ...options, ...deps(), pullAuth: async () => registryAuthHeader({ username: info.registry.username, password }, info.registry.host) });
}

/** As lab.sh makes the static seeds: MAC and IP through the Engine API (the CLI refuses --mac-address on API 1.41). */
async function createStatic(tag: string): Promise<PlanTarget> {
  const created = await docker.createContainer({
    name: NAME,
    Image: info.images['1.0']!,
    Hostname: NAME,
    MacAddress: MAC,
    Labels: { 'com.example.service': 'e3-itest' },
    Env: ['EXTRA=kept'],
    HostConfig: { NetworkMode: 'br0', Memory: 64 * 1024 * 1024, RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 }, LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } } },
    NetworkingConfig: { EndpointsConfig: { br0: { IPAMConfig: { IPv4Address: IP }, Aliases: ['e3-alias'] } } },
  });
  await created.start();
  return { host: 'h1', name: NAME, id: created.id, service: 'e3-itest', from: { image: info.images['1.0']! }, to: { image: info.images[tag]! }, forcedStopFirst: true };
}

async function inspect(ref: string): Promise<Dockerode.ContainerInspectInfo> {
  return docker.getContainer(ref).inspect();
}

function address(c: Dockerode.ContainerInspectInfo): { ip: string; mac: string } {
  const br0 = c.NetworkSettings.Networks.br0!;
  return { ip: br0.IPAddress, mac: br0.MacAddress };
}

beforeAll(() => assertFreeAddress(docker, IP, 'h1'));

describe('HostSteps on the lab (h1, a static IP and MAC on br0)', () => {
  it('update keeps the name, IP and MAC on 1.1’s digest and keeps the old one renamed; revert puts 1.0 back; finish leaves only the new one', async () => {
    const target = await createStatic('1.1');
    const updater = hostSteps();
    const before = await inspect(NAME);
    expect(address(before)).toEqual({ ip: IP, mac: MAC });

    await updater.update(target, report, new AbortController().signal);
    expect(steps).toEqual(['pulling', 'stopping', 'starting']);
    const after = await inspect(NAME);
    const image11 = await docker.getImage(info.images['1.1']!).inspect();
    expect(after.Id).not.toBe(target.id);
    expect(after.Image).toBe(image11.Id);
    expect(after.State.Running).toBe(true);
    expect(address(after)).toEqual({ ip: IP, mac: MAC });
    expect(after.NetworkSettings.Networks.br0!.Aliases).toContain('e3-alias');
    expect(after.Config.Env).toEqual(expect.arrayContaining(['EXTRA=kept', 'APP_VERSION=1.1']));
    expect(after.Config.Labels).toMatchObject({ 'com.example.service': 'e3-itest', 'org.opencontainers.image.version': '1.1' });
    expect(after.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, RestartPolicy: { Name: 'unless-stopped' }, LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } } });
    const old = await inspect(target.id);
    expect(old.Name).toBe(`/${oldName(target)}`);
    expect(old.State.Running).toBe(false);

    const revisions = updater.revisions(target)!;
    expect(revisions.to.digest).toBe(digestIn(image11.RepoDigests, info.images['1.1']!));
    expect(revisions.to.digest).toMatch(/^sha256:/);
    expect(revisions.from.digest).toBe(digestIn((await docker.getImage(info.images['1.0']!).inspect()).RepoDigests, info.images['1.0']!));
    expect(revisions.to.digest).not.toBe(revisions.from.digest);

    await updater.monitor(target, 1000, new AbortController().signal);

    steps.length = 0;
    await updater.revert(target, report);
    expect(steps).toEqual(['stopping', 'starting', 'rolled-back']);
    const back = await inspect(NAME);
    expect(back.Id).toBe(target.id);
    expect(back.State.Running).toBe(true);
    expect(address(back)).toEqual({ ip: IP, mac: MAC });
    expect((await ours()).map((c) => c.Id)).toEqual([target.id]);

    await updater.update(target, report, new AbortController().signal);
    await updater.finish(target);
    const left = await ours();
    expect(left).toHaveLength(1);
    expect(left[0]!.Id).not.toBe(target.id);
    expect(left[0]!.State).toBe('running');
    expect(address(await inspect(NAME))).toEqual({ ip: IP, mac: MAC });

    // Audited: each daemon change has its start and end lines, ok.
    const lines = auditLines();
    const ended = lines.filter((l) => l.phase === 'end' && l.result === 'ok').length;
    expect(lines.filter((l) => l.phase === 'start').length).toBe(ended);
    expect(new Set(lines.map((l) => l.action))).toEqual(new Set(['pull', 'stop', 'rename', 'network-disconnect', 'create', 'start', 'remove', 'network-connect']));
    expect(lines.every((l) => l.target.container === NAME)).toBe(true);
  }, 90_000);

  it('the broken tag (its health check fails) fails monitor(); revert brings 1.0 back on its address', async () => {
    const target = await createStatic('broken');
    const updater = hostSteps();
    await updater.update(target, report, new AbortController().signal);
    await expect(updater.monitor(target, 1000, new AbortController().signal)).rejects.toThrow(/unhealthy|not healthy/);
    await updater.revert(target, report);
    const back = await inspect(NAME);
    expect(back.Id).toBe(target.id);
    expect(address(back)).toEqual({ ip: IP, mac: MAC });
  }, 90_000);

  it('a pull that fails fails the container before anything is stopped', async () => {
    const target = await createStatic('1.1');
    const updater = hostSteps();
    const missing = { ...target, to: { image: `${info.registry.host}/lab/app:no-such-tag` } };
    await expect(updater.update(missing, report, new AbortController().signal)).rejects.toThrow();
    expect(steps).toEqual(['pulling']);
    const still = await inspect(NAME);
    expect(still.Id).toBe(target.id);
    expect(still.State.Running).toBe(true);
  }, 60_000);

  it('start-first on a dynamic address: the new one is healthy before the old one stops, then takes the name', async () => {
    const created = await docker.createContainer({ name: NAME, Image: info.images['1.0']!, Hostname: NAME, HostConfig: { NetworkMode: 'br0' } });
    await created.start();
    const target: PlanTarget = { host: 'h1', name: NAME, id: created.id, from: { image: info.images['1.0']! }, to: { image: info.images['1.1']! }, forcedStopFirst: false };
    const updater = hostSteps({ order: 'start-first' });
    await updater.update(target, report, new AbortController().signal);
    expect(steps).toEqual(['pulling', 'starting', 'waiting-healthy', 'stopping']);
    const after = await inspect(NAME);
    const old = await inspect(target.id);
    expect(after.Id).not.toBe(target.id);
    expect(after.State.Running).toBe(true);
    expect(old.Name).toBe(`/${oldName(target)}`);
    const healthyAt = after.State.Health!.Log.find((entry) => entry.ExitCode === 0)!.End;
    expect(Date.parse(healthyAt)).toBeLessThan(Date.parse(old.State.FinishedAt));
    await updater.finish(target);
    expect((await ours()).map((c) => c.Id)).toEqual([after.Id]);
  }, 90_000);

  it('a run cut off after the old one was stopped, renamed and released is picked up by another updater from the recorded revisions', async () => {
    const target = await createStatic('1.1');
    const first = hostSteps();
    // The first process "dies" as it reports 'starting': the old one is stopped, renamed, disconnected.
    let reachedStarting!: () => void;
    const cutOff = new Promise<void>((resolve) => (reachedStarting = resolve));
    void first.update(target, (step) => (step === 'starting' ? (reachedStarting(), new Promise<void>(() => {})) : Promise.resolve()), new AbortController().signal);
    await cutOff;
    const released = await inspect(target.id);
    expect(released.Name).toBe(`/${oldName(target)}`);
    expect(Object.keys(released.NetworkSettings.Networks)).toEqual([]);

    const recorded = first.revisions(target)!;
    const second = hostSteps({ recorded: () => recorded });
    await second.update(target, report, new AbortController().signal);
    const after = await inspect(NAME);
    expect(after.Id).not.toBe(target.id);
    expect(address(after)).toEqual({ ip: IP, mac: MAC });
    await second.revert(target, report);
    expect(address(await inspect(NAME))).toEqual({ ip: IP, mac: MAC });
    expect((await inspect(NAME)).Id).toBe(target.id);
  }, 90_000);

  it('a rollback target is recreated from its recorded create config on its digest, same IP and MAC, with no pull: by its tag, or by repo@digest once the tag moved', async () => {
    const target = await createStatic('1.1');
    const deploy = hostSteps();
    await deploy.update(target, report, new AbortController().signal);
    const { from } = deploy.revisions(target)!;
    await deploy.finish(target);
    const image10 = await docker.getImage(info.images['1.0']!).inspect();
    const pulls = () => auditLines().filter((l) => l.action === 'pull' && l.phase === 'start').length;
    const pulled = pulls();

    /** Back to `revision` from what runs now, as a rollback's plan target says it. */
    async function rollBack(revision: typeof from): Promise<Dockerode.ContainerInspectInfo> {
      const running = await inspect(NAME);
      const back: PlanTarget = { ...target, id: running.Id, from: { image: running.Config.Image }, to: { image: revision.image, digest: revision.digest! } };
      const updater = hostSteps({ target: () => revision });
      steps.length = 0;
      await updater.update(back, report, new AbortController().signal);
      expect(steps).toEqual(['stopping', 'starting']);
      await updater.monitor(back, 0, new AbortController().signal);
      await updater.finish(back);
      const after = await inspect(NAME);
      expect(after.Id).not.toBe(running.Id);
      expect(after.Image).toBe(image10.Id);
      expect(address(after)).toEqual({ ip: IP, mac: MAC });
      expect(after.Config.Env).toEqual(expect.arrayContaining(['EXTRA=kept', 'APP_VERSION=1.0']));
      expect((await ours()).map((c) => c.Id)).toEqual([after.Id]);
      return after;
    }

    expect((await rollBack(from)).Config.Image).toBe(info.images['1.0']);
    // The same revision recorded under a tag that now points to 1.1: its digest decides.
    const moved = { ...from, image: info.images['1.1']! };
    expect((await rollBack(moved)).Config.Image).toBe(`${info.images['1.1']!.replace(/:[^:/]+$/, '')}@${from.digest}`);
    expect(pulls()).toBe(pulled);
  }, 90_000);

  it('an exec probe that exits non-zero fails monitor(); one that exits 0 passes', async () => {
    const target = await createStatic('1.1');
    await hostSteps().update(target, report, new AbortController().signal);
    await expect(hostSteps({ probe: ['sh', '-c', 'exit 3'] }).monitor(target, 0, new AbortController().signal)).rejects.toThrow(/exited with 3/);
    await hostSteps({ probe: ['sh', '-c', 'test "$APP_VERSION" = 1.1'] }).monitor(target, 0, new AbortController().signal);
  }, 90_000);
});
