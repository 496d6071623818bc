import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../files/fixtures/tempDirs';
import { DEFAULT_ALERT_RULES } from '../fleet/alertRules';
import { DETECTION_LINGER_MS } from './alertService';
import { GRACE_MS } from './detector';
import { alertHarness, START, type HarnessOptions } from './fixtures/alertHarness';

const tempDir = tempDirs('fleetdeck-alerts-');
const made: ReturnType<typeof alertHarness>[] = [];
afterEach(() => made.splice(0).forEach((h) => h.close()));
function harness(options: Partial<HarnessOptions> = {}) {
  const h = alertHarness({ dir: tempDir(), ...options });
  made.push(h);
  h.follow();
  return h;
}

const WEB = { name: 'web-1', id: 'aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111', labels: { app: 'web', team: 'payments' } };
const DB = { name: 'db-1', id: 'bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222', labels: { app: 'db', team: 'core' } };
const kinds = (h: ReturnType<typeof harness>) => h.alerts().map((a) => a.kind);

describe('alert detector: die', () => {
  it('a die no action of ours caused raises one die with its exit code, service and group, once the grace is over', async () => {
    const h = harness();
    h.die(WEB, 3);
    await h.clock.advance(GRACE_MS - 1);
    expect(h.alerts()).toEqual([]);
    await h.clock.advance(1);
    expect(h.alerts()).toEqual([
      {
        id: `die:h1:aaaaaaaaaaaa:${START * 1e6 + 123}`,
        time: '2026-12-02T02:00:00.000Z',
        kind: 'die',
        host: 'h1',
        container: 'web-1',
        containerId: WEB.id,
        service: 'web',
        group: 'payments',
        exitCode: 3,
        message: 'web-1 on h1 exited with code 3; no action of ours stopped it',
      },
    ]);
  });

  it('a die during our stop or restart raises nothing, the action being this process’s or another’s read within the grace', async () => {
    const h = harness();
    h.audit({ action: 'restart', target: { host: 'h1', container: 'web-1', service: 'web' } });
    await h.clock.advance(300);
    h.die(WEB, 137);
    await h.clock.advance(200);
    // Another process's stop: its start line was written before the die, and read by a poll after it.
    h.die(DB, 0);
    await h.clock.advance(400);
    h.audit({ action: 'stop', target: { host: 'h1', container: 'db-1' }, time: new Date(START + 200).toISOString() });
    await h.clock.advance(5 * GRACE_MS);
    expect(h.alerts()).toEqual([]);
  });

  it('a die of a rollout’s renamed old revision, or one named by id in the step’s params, is ours', async () => {
    const h = harness();
    h.audit({ action: 'stop', target: { host: 'h1', container: 'web-1' }, params: { id: 'aaaaaaaaaaaa' } });
    h.die({ ...WEB, name: 'web-1-fd-old-aaaaaaaaaaaa' }, 0);
    h.audit({ action: 'remove', target: { host: 'h1', container: 'api' }, params: { id: 'bbbbbbbbbbbb' } });
    h.die(DB, 137);
    await h.clock.advance(2 * GRACE_MS);
    expect(h.alerts()).toEqual([]);
  });

  it('a die after our action ended (beyond its slack), on another host, or of another container is not ours', async () => {
    const h = harness();
    const t = (ms: number) => new Date(START + ms).toISOString();
    h.audit({ action: 'restart', target: { host: 'h1', container: 'web-1' }, time: t(0), endTime: t(1_000), result: 'ok' });
    h.audit({ action: 'pull', target: { host: 'h1', container: 'db-1' }, time: t(0) });
    await h.clock.advance(3_100);
    h.die(WEB, 1);
    h.die({ ...WEB, host: 'h2' }, 2);
    h.die(DB, 3);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.host, a.container, a.exitCode])).toEqual([
      ['h1', 'web-1', 1],
      ['h2', 'web-1', 2],
      ['h1', 'db-1', 3],
    ]);
  });

  it('an action that never ended (its process died) covers a die only up to its deadline', async () => {
    const h = harness();
    h.audit({ action: 'stop', target: { host: 'h1', container: 'web-1' } });
    await h.clock.advance(70_000);
    h.die(WEB, 137);
    await h.clock.advance(GRACE_MS);
    expect(kinds(h)).toEqual(['die']);
  });
});

describe('alert detector: oom', () => {
  it('an oom and its die are one oom alert, with the exit code, whichever comes first', async () => {
    const h = harness();
    h.event('oom', WEB);
    await h.clock.advance(3);
    h.die(WEB, 137);
    h.die(DB, 137);
    await h.clock.advance(3);
    h.event('oom', DB);
    await h.clock.advance(2 * GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.container, a.exitCode, a.message])).toEqual([
      ['oom', 'web-1', 137, 'web-1 on h1 was killed for lack of memory (exit code 137)'],
      ['oom', 'db-1', 137, 'db-1 on h1 was killed for lack of memory (exit code 137)'],
    ]);
  });

  it('a die 137 without an oom event is an oom where State.OOMKilled says so, else a die', async () => {
    const asked: string[] = [];
    const h = harness({ oomKilled: async (host, id) => (asked.push(`${host}/${id.slice(0, 4)}`), id === WEB.id) });
    h.die(WEB, 137);
    h.die(DB, 137);
    h.die({ ...DB, name: 'db-2', id: 'cccc' + DB.id.slice(4) }, 1);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.container, a.exitCode])).toEqual([
      ['oom', 'web-1', 137],
      ['die', 'db-1', 137],
      ['die', 'db-2', 1],
    ]);
    expect(asked).toEqual(['h1/aaaa', 'h1/bbbb']);
  });

  it('with oom turned off, an OOM kill raises its die', async () => {
    const h = harness({ rules: { kinds: { ...DEFAULT_ALERT_RULES.kinds, oom: false } } });
    h.event('oom', WEB);
    h.die(WEB, 137);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.exitCode])).toEqual([['die', 137]]);
  });
});

describe('alert detector: unhealthy, restart-loop, memory, hosts', () => {
  it('"health_status: unhealthy" raises unhealthy; healthy and exec events raise nothing', async () => {
    const h = harness();
    h.event('exec_die', WEB, { exitCode: '1' });
    h.event('health_status: healthy', DB);
    h.event('health_status: unhealthy', WEB);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.container, a.message])).toEqual([['unhealthy', 'web-1', 'web-1 on h1 is unhealthy (its health check failed)']]);
  });

  it('more than 3 restart-policy restarts in 5 min raise one restart-loop; their dies fall under the cooldown', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      await h.policyRestart(WEB, 3);
      await h.clock.advance(30_000);
    }
    expect(kinds(h)).toEqual(['die']);
    await h.policyRestart(WEB, 3);
    await h.clock.advance(GRACE_MS);
    expect(kinds(h)).toEqual(['die', 'restart-loop']);
    expect(h.alerts()[1]).toMatchObject({ container: 'web-1', service: 'web', exitCode: 3, message: 'web-1 on h1 restarted 4 times in 5 min (more than 3)' });
    for (let i = 0; i < 3; i++) {
      await h.policyRestart(WEB, 3);
      await h.clock.advance(10_000);
    }
    expect(kinds(h)).toEqual(['die', 'restart-loop']);
  });

  it('a fast loop, each run shorter than the grace, is a loop too (each start is paired with the die before it)', async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) {
      await h.policyRestart(WEB, 3);
      await h.clock.advance(1_000);
    }
    await h.clock.advance(GRACE_MS);
    expect(kinds(h)).toEqual(['die', 'restart-loop']);
  });

  it('restarts spread wider than the window, our own restarts, and starts without a die are no loop', async () => {
    const h = harness();
    for (let i = 0; i < 6; i++) {
      await h.policyRestart(WEB, 1);
      await h.clock.advance(110_000);
    }
    for (let i = 0; i < 6; i++) {
      h.audit({ action: 'restart', target: { host: 'h1', container: 'db-1' } });
      await h.policyRestart(DB, 137);
      h.event('start', { ...DB, name: 'db-2', id: 'dddd' + DB.id.slice(4) });
      await h.clock.advance(GRACE_MS);
    }
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.container])).toEqual([
      ['die', 'web-1'],
      ['die', 'web-1'],
    ]);
  });

  it('the loop’s thresholds come from the rules', async () => {
    const h = harness({ rules: { restartLoop: { restarts: 1, windowMs: 10_000 } } });
    await h.policyRestart(WEB, 1);
    await h.clock.advance(9_000);
    await h.policyRestart(WEB, 1);
    await h.clock.advance(GRACE_MS);
    expect(kinds(h)).toEqual(['die', 'restart-loop']);
    expect(h.alerts()[1]!.message).toBe('web-1 on h1 restarted 2 times in 10 s (more than 1)');
  });

  it('memory at 90 % of the limit or more for 30 s raises memory-near-limit once; a dip below starts over', async () => {
    const containers = [{ host: 'h1', id: WEB.id, name: 'web-1', image: 'app', state: 'running' as const, status: 'Up', service: 'web', group: 'payments', ips: [], createdAt: START }];
    const h = harness({ containers });
    expect(h.sampling).toBe(true);
    const limit = 100 * 1024 * 1024;
    const sample = (pct: number) => h.tick([{ host: 'h1', id: WEB.id, name: 'web-1', memUsage: (limit * pct) / 100, memLimit: limit }]);
    for (const pct of [95, 92, 85, 91, 99, 93]) {
      sample(pct);
      await h.clock.advance(10_000);
    }
    expect(h.alerts()).toEqual([]);
    sample(90);
    await h.clock.advance(10_000);
    sample(96);
    expect(h.alerts()).toEqual([
      {
        id: `memory-near-limit:h1:aaaaaaaaaaaa:${START + 30_000}`,
        time: new Date(START + 60_000).toISOString(),
        kind: 'memory-near-limit',
        host: 'h1',
        container: 'web-1',
        containerId: WEB.id,
        service: 'web',
        group: 'payments',
        message: 'web-1 on h1 has used 90 % of its memory limit (90 MiB of 100 MiB) for 30 s',
      },
    ]);
  });

  it('with memory-near-limit off, the sampler is not subscribed', () => {
    const h = harness({ rules: { kinds: { ...DEFAULT_ALERT_RULES.kinds, 'memory-near-limit': false } } });
    expect(h.sampling).toBe(false);
  });

  it('a host that was online going offline raises host-offline, and host-back when it returns; one never online raises nothing', async () => {
    const h = harness();
    h.state('h1', 'connecting');
    h.state('h1', 'offline');
    await h.clock.advance(1_000);
    h.state('h1', 'connecting');
    h.state('h1', 'offline');
    await h.clock.advance(89_000);
    h.state('h1', 'online');
    expect(h.alerts().map((a) => [a.kind, a.host, a.message])).toEqual([
      ['host-offline', 'h1', 'h1 is offline: timeout: heartbeat ping did not answer within 2000 ms'],
      ['host-back', 'h1', 'h1 is back online after 90 s'],
    ]);
  });
});

describe('alert rules: kinds, mute, cooldown', () => {
  it('a kind turned off raises nothing', async () => {
    const h = harness({ rules: { kinds: { ...DEFAULT_ALERT_RULES.kinds, die: false, unhealthy: false } } });
    h.die(WEB, 1);
    h.event('health_status: unhealthy', WEB);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts()).toEqual([]);
  });

  it('a muted service or group raises nothing; host kinds are never muted', async () => {
    const h = harness({ rules: { mute: { services: ['web'], groups: ['core'] } } });
    h.die(WEB, 1);
    h.die(DB, 1);
    h.die({ name: 'other', id: 'eeee' + DB.id.slice(4), labels: { app: 'other', team: 'edge' } }, 1);
    h.state('h2', 'error');
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.container ?? a.host])).toEqual([
      ['host-offline', 'h2'],
      ['die', 'other'],
    ]);
  });

  it('one alert per container and kind within the cooldown (5 min), another kind or container still fires', async () => {
    const h = harness();
    h.die(WEB, 1);
    await h.clock.advance(60_000);
    h.die(WEB, 2);
    h.event('health_status: unhealthy', WEB);
    h.die({ ...WEB, host: 'h2' }, 3);
    await h.clock.advance(4 * 60_000 - 1);
    h.die(WEB, 4);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => [a.kind, a.host, a.exitCode])).toEqual([
      ['die', 'h1', 1],
      ['unhealthy', 'h1', undefined],
      ['die', 'h2', 3],
    ]);
    await h.clock.advance(5 * 60_000);
    h.die(WEB, 5);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().at(-1)).toMatchObject({ kind: 'die', host: 'h1', exitCode: 5 });
  });

  it('the cooldown comes from the rules', async () => {
    const h = harness({ rules: { cooldownMs: 10_000 } });
    h.die(WEB, 1);
    await h.clock.advance(10_000);
    h.die(WEB, 2);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => a.exitCode)).toEqual([1, 2]);
  });

  it('detection goes on for DETECTION_LINGER_MS after the last follower left (a page reload), then stops', async () => {
    const h = harness();
    h.unfollow();
    h.die(WEB, 1);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => a.exitCode)).toEqual([1]);
    await h.clock.advance(DETECTION_LINGER_MS - GRACE_MS - 1);
    expect(h.sampling).toBe(true);
    await h.clock.advance(1);
    expect(h.sampling).toBe(false);
    h.die(DB, 2);
    await h.clock.advance(GRACE_MS);
    h.follow();
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => a.exitCode)).toEqual([1]);
    h.die(DB, 3);
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => a.exitCode)).toEqual([1, 3]);
  });

  it('a page reload (unfollow, follow again) drops no decision in flight', async () => {
    const h = harness();
    h.die(WEB, 1);
    h.unfollow();
    await h.clock.advance(500);
    h.follow();
    await h.clock.advance(GRACE_MS);
    expect(h.alerts().map((a) => a.exitCode)).toEqual([1]);
  });
});

describe('two processes on one data directory', () => {
  it('the same event seen by both is one alert (same id), and one process’s alert holds the other’s cooldown', async () => {
    const dir = tempDir();
    const a = harness({ dir });
    const b = harness({ dir, clock: a.clock });
    a.die(WEB, 1);
    b.die(WEB, 1);
    await a.clock.advance(GRACE_MS);
    expect(a.alerts()).toHaveLength(1);
    expect(b.alerts()).toEqual(a.alerts());
    await a.clock.advance(60_000);
    a.event('health_status: unhealthy', WEB);
    await a.clock.advance(100);
    b.event('health_status: unhealthy', WEB);
    expect(b.alerts().map((x) => x.kind)).toEqual(['die', 'unhealthy']);
  });
});
