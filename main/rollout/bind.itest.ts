// The rollout slice as the console's core binds it, on the lab, through the contract's dispatcher
// (as the bridge calls it): a throwaway service fd-ui-bind of one static member on h1 and one on
// h2 (198.18.4.182–.183) from lab/app:1.0. A preview plans on 1.1's digest and changes nothing; a
// tag the registry lacks is 'invalid'; a start answers with the id once journaled, a second start
// meanwhile is a 'conflict' naming it; rolloutEvents sends the list, the rollout running, each
// step and its end; the history carries the revisions without their create configs; every
// container ends on 1.1's digest with its IP and MAC, nothing left behind. Its own data directory.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../shared/rollout';
import { fleetdeckWith } from '../../e2e/support/cli';
import { freshDataDir } from '../../e2e/support/dataDir';
import { lab, labRegistryEnv } from '../../e2e/support/lab';
import { FaultService, labDigests, type MemberState } from '../../e2e/support/rolloutLab';
import type { Core } from '../core/index';
import { createDispatcher, type Dispatcher } from '../core/dispatch';
import { openFleet } from '../core/open';

const SERVICE = 'fd-ui-bind';
/** Two containers one at a time, each recreated, healthy (the lab app's check: ~5 s) and watched 2 s. */
const ROLLOUT_TIMEOUT_MS = 120_000;
const MONITOR_MS = 2_000;

const info = lab();
const svc = FaultService.withStaticMembers(SERVICE, 1, 182, ['h1', 'h2']);
const savedEnv = { ...process.env };
let dataDir: string;
let core: Core;
let dispatcher: Dispatcher;
let digests: Record<string, string>;
let before: MemberState[];

beforeAll(async () => {
  dataDir = freshDataDir('ui-bind');
  Object.assign(process.env, labRegistryEnv(), { FLEETDECK_DATA_DIR: dataDir });
  await svc.create(info.images['1.0']!);
  digests = await labDigests((...args) => fleetdeckWith({}, '--fleet', info.fleetFile, ...args), ['1.1']);
  ({ core } = await openFleet({ fleetFile: info.fleetFile, mode: 'browser', onlyHosts: ['h1', 'h2'] }));
  expect(await core.settled(10_000)).toEqual([]);
  await Promise.all(['h1', 'h2'].map((h) => core.model.refresh(h)));
  dispatcher = createDispatcher(core.api);
  before = await svc.snapshot();
}, 90_000);

afterAll(async () => {
  await core?.close();
  await svc.remove();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('the rollout slice on the lab (fd-ui-bind on h1 and h2, static IP and MAC)', () => {
  it('previews a deploy on the registry’s digest and changes nothing; a tag the registry lacks is invalid', async () => {
    const plan = (await dispatcher.call('rolloutPreview', { action: 'deploy', service: SERVICE, image: info.images['1.1'] })) as { targets: { host: string; name: string; forcedStopFirst: boolean; to: { digest: string } }[] };
    expect(plan.targets.map((t) => [t.host, t.name, t.forcedStopFirst, t.to.digest])).toEqual(svc.members.map((m) => [m.host, m.name, true, digests['1.1']]));
    await expect(dispatcher.call('rolloutPreview', { action: 'deploy', service: SERVICE, image: `${info.registry.host}/lab/app:9.9-missing` })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/the registry does not give it/) });
    expect(await dispatcher.call('rolloutList', {})).toEqual({ rollouts: [] });
    expect((await svc.snapshot()).map((s) => s.id)).toEqual(before.map((s) => s.id));
  });

  it('starts a deploy, refuses a second one meanwhile, and streams its steps to its end', async () => {
    const events: RolloutEvent[] = [];
    let ended!: () => void;
    const completed = new Promise<void>((resolve) => (ended = resolve));
    const stop = dispatcher.subscribe('rolloutEvents', {}, (e) => {
      const event = e as RolloutEvent;
      events.push(event);
      if (event.kind === 'state' && event.state !== 'running') ended();
    });
    try {
      const { id } = (await dispatcher.call('rolloutStart', { action: 'deploy', service: SERVICE, image: info.images['1.1'], params: { monitorMs: MONITOR_MS } })) as { id: string };
      await expect(dispatcher.call('rolloutStart', { action: 'restart', service: SERVICE })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`rollout ${id}`) });
      await completed;
      expect(events[0]).toEqual({ kind: 'list', rollouts: [] });
      const states = events.flatMap((e) => (e.kind === 'state' ? [[e.rolloutId, e.state]] : []));
      expect(states).toEqual([[id, 'running'], [id, 'completed']]);
      for (const m of svc.members) {
        const steps = events.flatMap((e) => (e.kind === 'step' && e.host === m.host && e.name === m.name ? [e.step] : []));
        expect(steps, `${m.host}/${m.name}`).toEqual(expect.arrayContaining(['pulling', 'stopping', 'starting', 'done']));
        expect(steps.at(-1)).toBe('done');
      }

      const history = (await dispatcher.call('rolloutHistory', { id })) as { state: string; startedBy: { source: string }; revisions: Record<string, unknown>[] };
      expect(history).toMatchObject({ state: 'completed', startedBy: { source: 'console' } });
      expect(history.revisions.length).toBeGreaterThanOrEqual(2);
      for (const r of history.revisions) expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['container', 'image']));
      expect(JSON.stringify(history)).not.toMatch(/createConfig|"Env"|HostConfig/);
    } finally {
      stop();
    }
    const after = await svc.assertInvariant(before);
    expect(after.map((s) => s.digest)).toEqual([digests['1.1'], digests['1.1']]);
  }, ROLLOUT_TIMEOUT_MS);
});
