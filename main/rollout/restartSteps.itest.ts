// The per-container restart steps on the lab: throwaway containers on h1 from lab/app (its
// HEALTHCHECK passes on 1.0 and fails on :broken), restarted through a real action path and audit
// log. A restart moves StartedAt and passes monitor(); the broken one fails it; revert() starts a
// stopped container and leaves a running one alone; an abort before the stop changes nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LAB_DIR, lab, labHost } from '../../e2e/support/lab';
import { ActionPath, type ActionTargets } from '../actions/actionPath';
import { AuditLog } from '../audit/auditLog';
import type { HostStatus } from '../engine/hostConnection';
import { RestartSteps } from './restartSteps';
import type { ContainerStep, PlanTarget } from './types';

const NAME = 'fd-f2-restart';

const info = lab();
const docker = new Dockerode({ socketPath: labHost('h1').socket });
let dataDir: string;
let audit: AuditLog;

function restartSteps(): RestartSteps {
  const host = { docker, status: { name: 'h1', address: 'unix', state: 'online' } as HostStatus };
  const targets: ActionTargets = { host: (name) => (name === 'h1' ? host : undefined), containers: () => [], refresh: async () => {} };
  return new RestartSteps({ actions: new ActionPath({ targets, audit, actor: { user: 'itest', source: 'cli' } }), hosts: targets });
}

/** Ours only: every container whose name starts with NAME. */
async function ours(): Promise<Dockerode.ContainerInfo[]> {
  return (await docker.listContainers({ all: true, filters: { name: [`^/${NAME}`] } })).filter((c) => c.Names.some((n) => n.startsWith(`/${NAME}`)));
}

async function removeOurs(): Promise<void> {
  for (const c of await ours()) await docker.getContainer(c.Id).remove({ force: true });
}

/** A running container of that tag, without a network (its health check asks its own loopback). */
async function running(tag: string): Promise<PlanTarget> {
  const image = info.images[tag]!;
  const created = await docker.createContainer({ name: NAME, Image: image, Labels: { 'com.example.service': 'f2-itest' }, HostConfig: { NetworkMode: 'none' } });
  await created.start();
  return { host: 'h1', name: NAME, id: created.id, service: 'f2-itest', from: { image }, to: { image }, forcedStopFirst: false };
}

async function startedAt(id: string): Promise<string> {
  return (await docker.getContainer(id).inspect()).State.StartedAt;
}

const steps: ContainerStep[] = [];
const report = async (step: ContainerStep) => {
  steps.push(step);
};

beforeAll(async () => {
  // The data directory of this run: in the lab's state folder (never the repo or /tmp), removed after.
  dataDir = mkdtempSync(path.join(LAB_DIR, 'itest-restartsteps-'));
  audit = new AuditLog({ dir: dataDir });
  await removeOurs();
});

afterEach(async () => {
  steps.length = 0;
  await removeOurs();
});

afterAll(() => {
  audit.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('RestartSteps on the lab (h1)', () => {
  it('update stops then starts the same container (StartedAt moves, audited), and monitor passes once it is healthy again', async () => {
    const target = await running('1.0');
    const before = await startedAt(target.id);
    const updater = restartSteps();

    await updater.update(target, report, new AbortController().signal);
    expect(steps).toEqual(['stopping', 'starting']);
    const after = await docker.getContainer(target.id).inspect();
    expect(after.State.Running).toBe(true);
    expect(Date.parse(after.State.StartedAt)).toBeGreaterThan(Date.parse(before));
    expect((await ours()).map((c) => c.Id)).toEqual([target.id]);

    await updater.monitor(target, 1000, new AbortController().signal);
    expect((await docker.getContainer(target.id).inspect()).State.Health!.Status).toBe('healthy');

    const lines = readFileSync(audit.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; phase: string; result?: string; target: { host: string; container?: string; service?: string } });
    expect(lines.filter((l) => l.phase === 'end').map((l) => [l.action, l.result])).toEqual([
      ['stop', 'ok'],
      ['start', 'ok'],
    ]);
    expect(lines.every((l) => l.target.host === 'h1' && l.target.container === NAME && l.target.service === 'f2-itest')).toBe(true);
  }, 60_000);

  it('a container whose health check fails (the broken tag) fails monitor() after its restart', async () => {
    const target = await running('broken');
    const updater = restartSteps();
    await updater.update(target, report, new AbortController().signal);
    await expect(updater.monitor(target, 1000, new AbortController().signal)).rejects.toThrow(/unhealthy|not healthy/);
  }, 60_000);

  it('revert starts a container left stopped and leaves a running one alone; finish changes nothing', async () => {
    const target = await running('1.0');
    const updater = restartSteps();
    const first = await startedAt(target.id);
    await updater.revert(target, report);
    expect(steps).toEqual([]);
    expect(await startedAt(target.id)).toBe(first);

    await docker.getContainer(target.id).stop({ t: 10 });
    await updater.revert(target, report);
    expect(steps).toEqual(['starting']);
    const back = await docker.getContainer(target.id).inspect();
    expect(back.State.Running).toBe(true);
    expect(Date.parse(back.State.StartedAt)).toBeGreaterThan(Date.parse(first));

    await updater.finish();
    expect((await ours()).map((c) => [c.Id, c.State])).toEqual([[target.id, 'running']]);
  }, 60_000);

  it('an abort before the stop gives up with its reason and changes nothing; a gone container fails as not found', async () => {
    const target = await running('1.0');
    const updater = restartSteps();
    const before = await startedAt(target.id);
    const abort = new AbortController();
    const reason = new Error('aborted by the operator');
    abort.abort(reason);
    await expect(updater.update(target, report, abort.signal)).rejects.toBe(reason);
    expect(steps).toEqual([]);
    expect(await startedAt(target.id)).toBe(before);

    await docker.getContainer(target.id).remove({ force: true });
    await expect(updater.update(target, report, new AbortController().signal)).rejects.toMatchObject({ code: 'not-found' });
    expect(steps).toEqual([]);
  }, 60_000);
});
