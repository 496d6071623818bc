// The per-container restart steps on the lab: throwaway containers on h1 from lab/app (its
// HEALTHCHECK passes on 1.0 and fails on :broken), restarted through a real action path and audit
// log. A restart moves StartedAt and passes monitor(); the broken one fails it; revert() starts a
// stopped container and leaves a running one alone; an abort before the stop changes nothing.
import { describe, expect, it } from 'vitest';
import { lab } from '../../e2e/support/lab';
import { labUpdater } from './fixtures/labUpdater';
import { RestartSteps } from './restartSteps';
import type { PlanTarget } from './types';

const NAME = 'fd-f2-restart';

const info = lab();
const { docker, steps, report, ours, deps, auditLines } = labUpdater(NAME);

function restartSteps(): RestartSteps {
  return new RestartSteps(deps());
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

    const lines = auditLines();
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
