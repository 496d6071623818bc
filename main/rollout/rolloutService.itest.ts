// The rollout service on the lab: a throwaway service fd-f1-svc of three containers (one per host,
// each with a static IP and MAC on br0) from lab/app:1.0 deployed to 1.1 with parallelism 2,
// through the real fleet model, action path, registry, journal and locks. Every container ends on
// 1.1's digest with its name, host, IP and MAC, and nothing is left behind; a second deploy while
// one runs is refused naming it; a tag the registry lacks is refused before anything is touched.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_DIR, lab, labHost, labRegistryEnv } from '../../e2e/support/lab';
import { assertFreeAddress, createStaticMember } from '../../e2e/support/staticMember';
import { systemClock } from '../clock/clock';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { processFleetEnv } from '../fleet/environment';
import { createCredentialStore } from '../registry/credentials';
import { RolloutJournal } from './journal';
import { RolloutLockedError, ServiceLocks } from './lock';
import { pullAuthFrom } from './pullAuth';
import { RolloutService, type RolloutRunSummary, type RolloutServiceDeps, type RolloutStepEvent } from './rolloutService';

const SERVICE = 'fd-f1-svc';
const HOSTS = ['h1', 'h2', 'h3'] as const;
/** In br0's static range (198.18.4.20–.63), away from the seeds' .21/.22 and hostSteps' .47 (e2e/lab/README.md). */
const ADDRESSES: Record<(typeof HOSTS)[number], { ip: string; mac: string }> = {
  h1: { ip: '198.18.4.51', mac: '02:fd:00:04:00:51' },
  h2: { ip: '198.18.4.52', mac: '02:fd:00:04:00:52' },
  h3: { ip: '198.18.4.53', mac: '02:fd:00:04:00:53' },
};
const nameOn = (host: string) => `${SERVICE}-${host}`;

const info = lab();
const daemons = Object.fromEntries(HOSTS.map((h) => [h, new Dockerode({ socketPath: labHost(h).socket })])) as Record<(typeof HOSTS)[number], Dockerode>;
let core: Core;
let dataDir: string;
let service: RolloutService;
let pullAuth: RolloutServiceDeps['pullAuth'];
const savedEnv = { ...process.env };

/** Ours only: every container whose name starts with the service's name, on each host. */
async function ours(host: (typeof HOSTS)[number]): Promise<Dockerode.ContainerInfo[]> {
  return (await daemons[host].listContainers({ all: true, filters: { name: [`^/${SERVICE}`] } })).filter((c) => c.Names.some((n) => n.startsWith(`/${SERVICE}`)));
}

async function removeOurs(): Promise<void> {
  for (const host of HOSTS) for (const c of await ours(host)) await daemons[host].getContainer(c.Id).remove({ force: true });
}

function createMember(host: (typeof HOSTS)[number]): Promise<string> {
  return createStaticMember(daemons[host], { name: nameOn(host), image: info.images['1.0']!, service: SERVICE, ...ADDRESSES[host] });
}

async function inspectMember(host: (typeof HOSTS)[number]): Promise<Dockerode.ContainerInspectInfo> {
  return daemons[host].getContainer(nameOn(host)).inspect();
}

async function memberIds(): Promise<string[]> {
  return Promise.all(HOSTS.map(async (h) => (await inspectMember(h)).Id));
}

function deps(): RolloutServiceDeps {
  return {
    fleet: { hostNames: () => core.hosts.map((h) => h.spec.name), containers: (h) => core.model.containers(h), host: (h) => core.model.host(h) },
    actions: core.actions,
    journal: new RolloutJournal({ dataDir }),
    locks: new ServiceLocks({ dataDir }),
    resolve: (image) => core.registry.resolve(image),
    pullAuth,
    clock: systemClock,
    actor: { user: 'itest', source: 'cli' },
  };
}

async function refreshAll(): Promise<void> {
  await Promise.all(HOSTS.map((h) => core.model.refresh(h)));
}

beforeAll(async () => {
  Object.assign(process.env, labRegistryEnv());
  // The journal and locks of this run: in the lab's state folder (never the repo or /tmp), removed after.
  dataDir = mkdtempSync(path.join(LAB_DIR, 'itest-rollout-service-'));
  await removeOurs();
  for (const host of HOSTS) await assertFreeAddress(daemons[host], ADDRESSES[host].ip, host);
  for (const host of HOSTS) await createMember(host);
  const opened = await openFleet({ fleetFile: info.fleetFile, mode: 'browser', source: 'cli' });
  core = opened.core;
  expect(await core.settled(10_000)).toEqual([]);
  await refreshAll();
  pullAuth = pullAuthFrom(createCredentialStore({ registries: opened.spec.registries, env: processFleetEnv(), clock: systemClock }));
  service = new RolloutService(deps());
}, 60_000);

afterAll(async () => {
  await removeOurs();
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('RolloutService on the lab (fd-f1-svc: one container per host, static IP and MAC)', () => {
  it('refuses a tag the registry lacks, an unknown service and a sequence outside the scope, before anything is touched', async () => {
    const before = await memberIds();
    await expect(service.deploy({ service: SERVICE, image: `${info.registry.host}/lab/app:9.9-missing` })).rejects.toThrow(/lab\/app:9\.9-missing: the registry does not give it/);
    await expect(service.deploy({ service: 'fd-f1-no-such-service', image: info.images['1.1']! })).rejects.toThrow(/no containers of service fd-f1-no-such-service/);
    await expect(service.deploy({ service: SERVICE, image: 'UPPER/case:1' })).rejects.toThrow(/image "UPPER\/case:1"/);
    await expect(service.deploy({ service: SERVICE, image: info.images['1.1']!, sequence: ['h1/payments-ledger-1', `h2/${nameOn('h2')}`, `h3/${nameOn('h3')}`] })).rejects.toThrow(/sequence: h1\/payments-ledger-1 is not in the scope/);
    expect(await memberIds()).toEqual(before);
    for (const host of HOSTS) expect((await inspectMember(host)).State.Running).toBe(true);
    expect(service.list()).toEqual([]);
  });

  it('a dry run returns the plan: every member, stop-first for its static address, on the registry’s digest', async () => {
    const result = await service.deploy({ service: SERVICE, image: info.images['1.1']!, dryRun: true, params: { parallelism: 2 } });
    if (!result.dryRun) throw new Error('expected a dry run');
    const digest = (await core.registry.resolve(info.images['1.1']!)).digest;
    expect(result.plan.targets.map((t) => [t.host, t.name, t.forcedStopFirst, t.order, t.to.digest])).toEqual(HOSTS.map((h) => [h, nameOn(h), true, 'stop-first', digest]));
    expect(service.list()).toEqual([]);
  });

  it('deploys 1.1 with parallelism 2: every member on 1.1’s digest with its name, host, IP and MAC, nothing left behind; a second deploy meanwhile is refused naming it', async () => {
    const before = Object.fromEntries(await Promise.all(HOSTS.map(async (h) => [h, (await inspectMember(h)).Id] as const)));
    const digest = (await core.registry.resolve(info.images['1.1']!)).digest;
    let second: Promise<unknown> | undefined;
    const events: RolloutStepEvent[] = [];
    const off = service.onStep((event) => {
      events.push(event);
      second ??= service.deploy({ service: SERVICE, image: info.images['1.1']! }).then(
        () => new Error('the second deploy was not refused'),
        (e: unknown) => e,
      );
    });
    let summary: RolloutRunSummary;
    try {
      const result = await service.deploy({ service: SERVICE, image: info.images['1.1']!, params: { parallelism: 2, monitorMs: 1_000 } });
      if (result.dryRun) throw new Error('expected a rollout');
      summary = result;
    } finally {
      off();
    }

    const refusal = await second;
    expect(refusal).toBeInstanceOf(RolloutLockedError);
    expect((refusal as Error).message).toContain(`rollout ${summary.id}`);

    expect(summary.state).toBe('completed');
    expect(summary.containers.map((c) => [c.host, c.name, c.state, c.to])).toEqual(HOSTS.map((h) => [h, nameOn(h), 'done', { image: info.images['1.1'], digest }]));
    for (const c of summary.containers) expect(c.from.image).toBe(info.images['1.0']);
    // parallelism 2: the third member is taken only once one of the first two is done.
    const doneAt = events.findIndex((e) => e.step === 'done');
    const thirdPulling = events.findIndex((e) => e.step === 'pulling' && e.host === 'h3');
    expect(events.filter((e) => e.step === 'pulling').length).toBe(3);
    expect(thirdPulling).toBeGreaterThan(doneAt);

    for (const host of HOSTS) {
      const now = await inspectMember(host);
      expect(now.Id).not.toBe(before[host]);
      expect(now.State.Running).toBe(true);
      expect(now.Config.Labels['com.example.service']).toBe(SERVICE);
      const image = await daemons[host].getImage(now.Image).inspect();
      expect(image.RepoDigests).toContain(`${info.registry.host}/lab/app@${digest}`);
      const br0 = now.NetworkSettings.Networks.br0!;
      expect({ ip: br0.IPAddress, mac: br0.MacAddress }).toEqual(ADDRESSES[host]);
      expect((await ours(host)).map((c) => c.Names[0])).toEqual([`/${nameOn(host)}`]);
    }

    const listed = service.list();
    expect(listed.map((r) => [r.id, r.state, r.service])).toEqual([[summary.id, 'completed', SERVICE]]);
    expect(listed[0]!.containers.map((c) => [c.container, c.step])).toEqual(HOSTS.map((h) => [`${h}/${nameOn(h)}`, 'done']));
    expect(service.interrupted()).toEqual([]);
  }, 120_000);

  it('pause(id) ends the one-shot deploy paused; another process resumes it from the journal and completes it on 1.0', async () => {
    let id: string | undefined;
    const off = service.onStep((event) => {
      id ??= event.rolloutId;
      if (event.step === 'done') service.pause(event.rolloutId);
    });
    let paused: RolloutRunSummary;
    try {
      const result = await service.deploy({ service: SERVICE, image: info.images['1.0']!, params: { monitorMs: 0 } });
      if (result.dryRun) throw new Error('expected a rollout');
      paused = result;
    } finally {
      off();
    }
    expect(paused.id).toBe(id);
    expect(paused.state).toBe('paused');
    expect(paused.containers.map((c) => c.state)).toEqual(['done', 'queued', 'queued']);
    expect(new ServiceLocks({ dataDir }).holder(SERVICE)).toBeUndefined();
    expect(() => service.pause(paused.id)).toThrow(/not running in this process/);

    // Another process: its process table gives this pid another start time, so ours reads as gone.
    const elsewhere = { startTime: (pid: number) => (pid === process.pid ? 'another-process' : undefined) };
    const other = new RolloutService({ ...deps(), journal: new RolloutJournal({ dataDir, processes: elsewhere }), locks: new ServiceLocks({ dataDir, processes: elsewhere }) });
    expect(other.interrupted().map((r) => r.id)).toEqual([paused.id]);
    const resumed = await other.resume(paused.id);
    const digest = (await core.registry.resolve(info.images['1.0']!)).digest;
    expect(resumed?.state).toBe('completed');
    expect(resumed?.containers.map((c) => [c.name, c.state])).toEqual(HOSTS.map((h) => [nameOn(h), 'done']));
    for (const host of HOSTS) {
      const now = await inspectMember(host);
      expect((await daemons[host].getImage(now.Image).inspect()).RepoDigests).toContain(`${info.registry.host}/lab/app@${digest}`);
      const br0 = now.NetworkSettings.Networks.br0!;
      expect({ ip: br0.IPAddress, mac: br0.MacAddress }).toEqual(ADDRESSES[host]);
      expect((await ours(host)).map((c) => c.Names[0])).toEqual([`/${nameOn(host)}`]);
    }
    expect(other.list()[0]).toMatchObject({ id: paused.id, state: 'completed' });
  }, 120_000);

  it('a failing container (the broken tag goes unhealthy) with failure action pause ends the rollout paused with per-container states', async () => {
    await refreshAll();
    const result = await service.deploy({ service: SERVICE, image: info.images['broken']!, params: { parallelism: 1, monitorMs: 0, failureAction: 'pause' } });
    if (result.dryRun) throw new Error('expected a rollout');
    expect(result.state).toBe('paused');
    expect(result.reason).toMatch(/h1\/fd-f1-svc-h1 failed \(.*(unhealthy|not healthy within)/);
    expect(result.containers.map((c) => [c.host, c.state])).toEqual([['h1', 'failed'], ['h2', 'queued'], ['h3', 'queued']]);
    expect(result.containers[0]!.error).toMatch(/unhealthy|not healthy within/);
    // The others were not touched: still their 1.0 revision, running.
    for (const host of ['h2', 'h3'] as const) expect((await inspectMember(host)).Config.Image).toBe(info.images['1.0']);
    expect(service.list()[0]).toMatchObject({ id: result.id, state: 'paused' });
  }, 120_000);
});
