// The core against the real lab: the live fleet stream, actions, and a host going down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetChange } from '../../shared/model';
import { dockerCli, dockerPs, labSh, lab } from '../../e2e/support/lab';
import { waitForStartTimes } from '../../e2e/support/startTimes';
import { openFleet } from './open';
import type { Core } from './index';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let core: Core;
const changes: { at: number; change: FleetChange }[] = [];

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser' }));
  expect(await core.settled(10_000)).toEqual([]);
  core.api.fleetChanges({}, (change) => changes.push({ at: Date.now(), change }));
});

afterAll(async () => {
  await core?.close();
  process.off('unhandledRejection', onUnhandled);
});

/** Resolves with the time at which the stream first shows `predicate` true for the host's list. */
async function seen(host: string, predicate: (names: string[]) => boolean, since: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const hit = changes.find((c) => c.at >= since && c.change.containers.some((l) => l.host === host && predicate(l.list.map((x) => x.name))));
    if (hit) return hit.at;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the fleet stream never showed the change on ${host}`);
}

describe('core on the lab', () => {
  it('starts the stream with the whole fleet, as the docker CLI lists it', async () => {
    const first = changes[0]!.change;
    expect(first.hosts.map((h) => h.state)).toEqual(['online', 'online', 'online']);
    for (const host of lab().hosts) {
      const names = first.containers.find((l) => l.host === host.name)!.list.map((c) => c.name).sort();
      expect(names).toEqual((await dockerPs(host.name)).map((c) => c.name).sort());
    }
  });

  it('learns every running container\'s start time after the list, as docker inspect reports it', async () => {
    expect((await waitForStartTimes(core, 5_000)).map((c) => c.name)).toEqual([]);
    for (const host of lab().hosts) {
      const running = core.model.containers(host.name).filter((c) => c.state === 'running');
      const inspected = (await dockerCli(host.name, 'inspect', '--format', '{{.Name}} {{.State.StartedAt}}', ...running.map((c) => c.id))).trim().split('\n');
      const byName = new Map(inspected.map((line) => [line.split(' ')[0]!.slice(1), Date.parse(line.split(' ')[1]!)]));
      for (const c of running) expect(c.startedAt, c.name).toBe(byName.get(c.name));
    }
  });

  for (const host of ['h1', 'h3']) {
    it(`shows a container change on ${host} within 1 s`, async () => {
      const name = `core-probe-${host}-${Date.now()}`;
      await dockerCli(host, 'create', '--name', name, '--network', 'br0', IMAGE);
      const created = Date.now();
      try {
        expect((await seen(host, (n) => n.includes(name), created - 1_000)) - created).toBeLessThan(1_000);
      } finally {
        await dockerCli(host, 'rm', '-f', name);
      }
      const removed = Date.now();
      expect((await seen(host, (n) => !n.includes(name), removed)) - removed).toBeLessThan(1_000);
    });
  }

  it('stops and starts a container, as the docker CLI then confirms', async () => {
    const target = core.model.containers('h2').find((c) => c.name === 'payments-api-2')!;
    const state = async () => (await dockerCli('h2', 'inspect', '--format', '{{.State.Status}}', target.id)).trim();
    const stopped = await core.api.containerAction({ host: 'h2', id: target.id, action: 'stop' });
    expect(stopped).toMatchObject({ ok: true, message: 'Stopped payments-api-2 on h2' });
    expect(await state()).toBe('exited');
    expect(core.model.containers('h2').find((c) => c.id === target.id)?.state).toBe('exited');
    const again = await core.api.containerAction({ host: 'h2', id: target.id, action: 'stop' });
    expect(again).toMatchObject({ ok: true, message: 'payments-api-2 on h2 was already stopped' });
    expect(await core.api.containerAction({ host: 'h2', id: target.id, action: 'start' })).toMatchObject({ ok: true });
    expect(await state()).toBe('running');
  });

  it('reports a failed action with the daemon’s reason', async () => {
    const result = await core.api.containerAction({ host: 'h1', id: 'f'.repeat(64), action: 'start' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/No such container/i);
  });

  it('keeps the other hosts live while one daemon is down, with no unhandled rejection', async () => {
    try {
      await labSh('stop-dockerd', 'h2');
      const stoppedAt = Date.now();
      await expect.poll(() => core.model.hostView(core.model.host('h2')!).state, { timeout: 5_000, interval: 50 }).toBe('offline');
      expect(Date.now() - stoppedAt).toBeLessThan(5_000);
      const result = await core.api.containerAction({ host: 'h2', id: 'a'.repeat(64), action: 'restart' });
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^h2 is (offline|connecting)/) });
      const name = `core-probe-during-outage-${Date.now()}`;
      await dockerCli('h1', 'create', '--name', name, '--network', 'br0', IMAGE);
      const created = Date.now();
      try {
        expect((await seen('h1', (n) => n.includes(name), created - 1_000)) - created).toBeLessThan(1_000);
      } finally {
        await dockerCli('h1', 'rm', '-f', name);
      }
    } finally {
      await labSh('start-dockerd', 'h2');
    }
    await expect.poll(() => core.model.hostView(core.model.host('h2')!).state, { timeout: 15_000, interval: 100 }).toBe('online');
    expect(unhandled).toEqual([]);
  });
});
