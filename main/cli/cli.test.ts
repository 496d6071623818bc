import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/auditLog';
import { FakeClock } from '../clock/fakeClock';
import { parseContainerRef } from './actionCommand';
import { auditCommand } from './auditCommand';
import { parseDuration } from './duration';
import { runCli } from './main';

async function cli(...argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c: Buffer) => (chunks.out += c.toString()));
  err.on('data', (c: Buffer) => (chunks.err += c.toString()));
  const code = await runCli(argv, { out, err });
  return { code, ...chunks };
}

describe('fleetdeck CLI arguments', () => {
  it('reads durations of one whole number and one unit', () => {
    expect(['30s', '15m', '2h', '7d', '0s'].map(parseDuration)).toEqual([30_000, 900_000, 7_200_000, 604_800_000, 0]);
    expect(['5x', '1.5h', '', '-1m', '10', '2h30m', ' 1h'].map(parseDuration)).toEqual(Array(7).fill(undefined));
  });

  it('reads HOST/NAME, the name may hold more slashes only after the host', () => {
    expect(parseContainerRef('h1/payments-api-1')).toEqual({ host: 'h1', container: 'payments-api-1' });
    expect(['h1', '/web', 'h1/', ''].map(parseContainerRef)).toEqual(Array(4).fill(undefined));
  });

  it.each([
    [['audit', '--since', '5x'], /--since takes a duration such as 30s, 15m, 2h or 7d, got "5x"/],
    [['restart'], /restart needs --container HOST\/NAME/],
    [['stop', '--container', 'payments-api-1'], /--container takes HOST\/NAME/],
    [['ps', '--container', 'h1/web'], /--container only applies to start, stop, restart/],
    [['ps', '--since', '1h'], /--since only applies to audit/],
    [['reboot'], /unknown command "reboot" \(commands: hosts, ps, stats, audit, start, stop, restart, images, digest, deploy, rollback, rollouts, resume, abort, ip, logs, alerts\)/],
    [['abort'], /abort takes one rollout ID/],
    [['deploy', '--service', 'api'], /deploy needs --image REF/],
    [['resume'], /resume takes one rollout ID/],
    [['digest'], /digest needs an image reference/],
    [['digest', 'a:1', 'b:2'], /unknown command "digest a:1 b:2"/],
    [['ps', '--registry', 'https://198.18.0.1:5000'], /--registry only applies to images/],
  ])('exits 2 with a clear message on bad usage: %j', async (argv, message) => {
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(message);
    expect(res.out).toBe('');
  });

  it('lists every command in --help, with its JSON shape and exit codes', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const command of ['hosts', 'ps', 'stats --once', 'start --container HOST/NAME', 'stop --container HOST/NAME', 'restart --container HOST/NAME', 'audit [--since DURATION]']) expect(out).toContain(`  ${command}`);
    expect(out).toMatch(/--json: \{ok, action, host, container, id, message, code\?\}/);
    expect(out).toMatch(/result: "ok"\|"failed"\|"unknown"/);
    expect(out).toMatch(/start, stop, restart\s+0 done[\s\S]*1 unknown host or container[\s\S]*3 the host is offline/);
    for (const command of ['deploy --service S --image REF [options]', 'restart --service S [options]', 'rollback --service S [--to-revision N] [options]', 'rollouts', 'resume ID']) expect(out).toContain(`  ${command}`);
    expect(out).toMatch(/deploy, restart --service\|--containers, rollback, resume\s+0 the rollout completed; 4 it ended paused/);
    expect(out).toMatch(/^ {2}--to-revision N {4}\(rollback\) the recorded revision to return to/m);
    expect(out).toMatch(/^ {2}abort ID {6}finishes the step in flight, then stops/m);
    expect(out).toMatch(/^ {2}abort {14}0 the abort reached the process that runs the rollout/m);
  });

  it('exits 1 on a value that does not read, before opening the fleet', async () => {
    const res = await cli('--fleet', '/nonexistent/fleet.yaml', 'deploy', '--service', 'api', '--image', 'UPPER/case:1');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/--image: /);
  });
});

describe('fleetdeck audit output', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  async function logWith(): Promise<string> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-cli-test-'));
    dirs.push(dir);
    const clock = new FakeClock(Date.parse('2025-03-01T10:00:00.000Z'));
    const log = new AuditLog({ dir, clock });
    const a = await log.begin({ actor: { user: 'alice', source: 'console' }, action: 'stop', target: { host: 'h1', container: 'web', service: 'api' } });
    await clock.advance(1_200);
    await log.end(a, { ok: true });
    await clock.advance(3_600_000);
    await log.begin({ actor: { user: 'bob', source: 'cli' }, action: 'restart', target: { host: 'h2', container: 'db' } });
    return dir;
  }

  it('prints one merged object per action with --json, oldest first; one cut off is "unknown"', async () => {
    const entries = JSON.parse(auditCommand({ dir: await logWith(), json: true, warn: () => {} })) as Record<string, unknown>[];
    expect(entries).toEqual([
      { id: expect.any(String), time: '2025-03-01T10:00:00.000Z', endTime: '2025-03-01T10:00:01.200Z', user: 'alice', source: 'console', action: 'stop', target: { host: 'h1', container: 'web', service: 'api' }, result: 'ok' },
      { id: expect.any(String), time: '2025-03-01T11:00:01.200Z', user: 'bob', source: 'cli', action: 'restart', target: { host: 'h2', container: 'db' }, result: 'unknown' },
    ]);
  });

  it('prints a table, and only the window asked for with since', async () => {
    const dir = await logWith();
    const table = auditCommand({ dir, json: false, warn: () => {} }).trimEnd().split('\n');
    expect(table[0]).toMatch(/^TIME \(UTC\)\s+USER\s+SOURCE\s+ACTION\s+TARGET\s+SERVICE\s+RESULT\s+TOOK\s+ERROR$/);
    expect(table[1]).toMatch(/^2025-03-01 10:00:00\s+alice\s+console\s+stop\s+h1\/web\s+api\s+ok\s+1\.2 s$/);
    expect(table[2]).toMatch(/^2025-03-01 11:00:01\s+bob\s+cli\s+restart\s+h2\/db\s+unknown$/);
    const since = Date.parse('2025-03-01T10:30:00.000Z');
    expect((JSON.parse(auditCommand({ dir, since, json: true, warn: () => {} })) as { user: string }[]).map((e) => e.user)).toEqual(['bob']);
  });

  it('prints an empty list where nothing was ever recorded, creating nothing', () => {
    const dir = path.join(os.tmpdir(), `fleetdeck-cli-test-none-${process.pid}`);
    expect(auditCommand({ dir, json: true, warn: () => {} })).toBe('[]\n');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('fleetdeck images and digest, before any registry is asked', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A fleet file whose host and registry are never contacted by these tests. */
  function fleetFile(registries: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-cli-test-'));
    dirs.push(dir);
    const file = path.join(dir, 'fleet.yaml');
    writeFileSync(file, `hosts:\n  - name: h1\n    docker: tcp://198.18.0.11:2375\n${registries}`);
    return file;
  }
  const one = 'registries:\n  - url: https://198.18.0.1:5000\n';

  it('a bad image reference is bad usage (2), with what is wrong', async () => {
    const res = await cli('--fleet', fleetFile(one), 'digest', '198.18.0.1:5000/Lab/app:1.0');
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/invalid image reference "198.18.0.1:5000\/Lab\/app:1.0": repository name must be lowercase/);
    expect(res.out).toBe('');
  });

  it('a registry that is not in the fleet file is an error (1) naming the ones it has', async () => {
    const digest = await cli('--fleet', fleetFile(one), 'digest', 'nginx:1.27');
    expect(digest.code).toBe(1);
    expect(digest.err).toMatch(/registry docker.io is not in the fleet file \(it lists https:\/\/198.18.0.1:5000\)/);
    const images = await cli('--fleet', fleetFile(one), 'images', '--registry', 'https://198.18.0.1:5009');
    expect(images.code).toBe(1);
    expect(images.err).toMatch(/registry https:\/\/198.18.0.1:5009 is not in the fleet file/);
  });

  it('images with a fleet that lists no registries is an error (1)', async () => {
    const res = await cli('--fleet', fleetFile(''), 'images', '--json');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/the fleet lists no registries/);
    expect(res.out).toBe('');
  });
});
