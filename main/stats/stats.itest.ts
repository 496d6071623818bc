// The sampler inside the core, against the real lab: ticks once a second with the focused busy
// container at ~50 % (--cpus 0.5), host aggregates beside the engine's capacity, and history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsTick } from '../../shared/stats';
import { dockerCli, lab } from '../../e2e/support/lab';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const BUSY = `fd-itest-sampler-busy-${process.pid}-${Date.now().toString(36)}`;
let core: Core;

beforeAll(async () => {
  await dockerCli('h1', 'run', '-d', '--name', BUSY, '--network', 'br0', '--cpus', '0.5', IMAGE, 'sh', '-c', 'yes > /dev/null');
  ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser' }));
  expect(await core.settled(10_000)).toEqual([]);
});

afterAll(async () => {
  await core?.close();
  await dockerCli('h1', 'rm', '-f', BUSY).catch(() => undefined);
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
});
