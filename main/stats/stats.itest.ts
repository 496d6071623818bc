// The sampler inside the core, against the real lab: ticks once a second with the focused busy
// container at ~50 % (--cpus 0.5), host aggregates beside the engine's capacity, and history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsTick } from '../../shared/stats';
import { dockerCli, lab } from '../../e2e/support/lab';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const BUSY = `fd-itest-sampler-busy-${process.pid}-${Date.now().toString(36)}`;
const IDLE = Array.from({ length: 10 }, (_, i) => `fd-itest-sampler-idle-${i}-${process.pid}`);
let core: Core;

beforeAll(async () => {
  await dockerCli('h1', 'run', '-d', '--name', BUSY, '--network', 'br0', '--cpus', '0.5', IMAGE, 'sh', '-c', 'yes > /dev/null');
  ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser' }));
  expect(await core.settled(10_000)).toEqual([]);
});

afterAll(async () => {
  await core?.close();
  await dockerCli('h1', 'rm', '-f', BUSY, ...IDLE).catch(() => undefined);
});

describe('stats sampler on the lab', () => {
  it('sends one tick a second; the focused busy container reads ~50 %; hosts carry capacity', async () => {
    const busy = core.model.containers('h1').find((c) => c.name === BUSY)!;
    expect(busy).toBeDefined();
    await core.api.statsFocus({ visible: [{ host: 'h1', id: busy.id }], pinned: [] });
    const ticks: StatsTick[] = [];
    const off = core.api.statsTicks({}, (tick) => ticks.push(tick));
    await new Promise((r) => setTimeout(r, 5_500));
    off();

    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks.length).toBeLessThanOrEqual(7);
    const busySamples = ticks.flatMap((t) => t.containers.filter((c) => c.id === busy.id));
    // Baseline at the first tick, then a value every tick after.
    expect(busySamples.length).toBeGreaterThanOrEqual(3);
    for (const s of busySamples.slice(1)) expect(Math.abs(s.cpuPercent - 50)).toBeLessThan(10);

    const last = ticks.at(-1)!;
    const h1 = last.hosts.find((h) => h.host === 'h1')!;
    const engine = core.model.host('h1')!.status.engine!;
    expect(h1).toMatchObject({ ncpu: engine.ncpu, memTotal: engine.memTotal });
    expect(h1.containers).toBe(core.model.containers('h1').filter((c) => c.state === 'running').length);
    expect(h1.cpuPercent).toBeGreaterThan(40);
    expect(last.fleet.containers).toBe(last.hosts.reduce((n, h) => n + h.containers, 0));
    expect(last.hosts.map((h) => h.host).sort()).toEqual(['h1', 'h2', 'h3']);

    const history = await core.api.statsHistory({ host: 'h1', id: busy.id, maxPoints: 10 });
    expect(history.points.length).toBeGreaterThanOrEqual(3);
    expect(history.points.length).toBeLessThanOrEqual(10);
  });

  it('samples every focused container once a second, though dockerd answers each poll only at its 1 s collector cycle', async () => {
    for (const name of IDLE) await dockerCli('h1', 'run', '-d', '--name', name, '--network', 'br0', IMAGE);
    await core.model.refresh('h1');
    const h1 = core.model.containers('h1').filter((c) => c.state === 'running');
    expect(h1.length).toBeGreaterThanOrEqual(12);
    // h3 is reached over SSH only: its polls share the connection's channels with everything else.
    const running = [...h1, ...core.model.containers('h3').filter((c) => c.state === 'running')];
    await core.api.statsFocus({ visible: running.map((c) => ({ host: c.host, id: c.id })), pinned: [] });
    const perContainer = new Map<string, number>();
    const off = core.api.statsTicks({}, (tick) => {
      for (const c of tick.containers) perContainer.set(c.id, (perContainer.get(c.id) ?? 0) + 1);
    });
    await new Promise((r) => setTimeout(r, 2_500)); // baselines and first values
    perContainer.clear();
    await new Promise((r) => setTimeout(r, 5_000));
    off();
    // At 1 s, 5 s hold 4–6 samples of each; polling a few at a time would give each 1–2.
    for (const c of running) expect(perContainer.get(c.id) ?? 0, `${c.host}/${c.name}`).toBeGreaterThanOrEqual(4);
  });
});
