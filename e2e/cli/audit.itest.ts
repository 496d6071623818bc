// fleetdeck start|stop|restart and fleetdeck audit on the lab: actions through the action path,
// audited with source "cli", read back as JSON; the refusals and their exit codes; and a console's
// audit log seeing the CLI's lines live. A throwaway container of its own on h1, and a data
// directory of its own inside the lab folder.
import os from 'node:os';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditChange, AuditEntry } from '../../shared/audit';
import { AuditLog } from '../../main/audit/auditLog';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, variantFleet } from '../support/lab';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const NAME = `fd-itest-audit-${process.pid}-${Date.now().toString(36)}`;
const SERVICE = 'audit-probe';
const dataDir = freshDataDir('cli-audit');
const fleetdeck = (...args: string[]) => fleetdeckWith({ FLEETDECK_DATA_DIR: dataDir }, ...args);
const audit = async (): Promise<AuditEntry[]> => {
  const res = await fleetdeck('audit', '--json');
  expect(res).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(res.stdout) as AuditEntry[];
};
const startedAt = async () => (await dockerCli('h1', 'inspect', '--format', '{{.State.StartedAt}}', NAME)).trim();

describe('fleetdeck actions and audit on the lab', () => {
  beforeAll(async () => {
    await dockerCli('h1', 'run', '-d', '--name', NAME, '--network', 'br0', '--label', `com.example.service=${SERVICE}`, IMAGE);
  });

  afterAll(async () => {
    await dockerCli('h1', 'rm', '-f', NAME).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restart from the CLI restarts the container and shows in audit --json with user, source "cli", target and result', async () => {
    const before = await startedAt();
    const res = await fleetdeck('--fleet', lab().fleetFile, 'restart', '--container', `h1/${NAME}`, '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: true, action: 'restart', host: 'h1', container: NAME, id: expect.stringMatching(/^[0-9a-f]{64}$/), message: `Restarted ${NAME} on h1` });
    expect(await startedAt()).not.toBe(before);
    const entries = await audit();
    expect(entries).toEqual([
      {
        id: expect.any(String),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        endTime: expect.stringMatching(/Z$/),
        user: os.userInfo().username,
        source: 'cli',
        action: 'restart',
        target: { host: 'h1', container: NAME, service: SERVICE },
        result: 'ok',
      },
    ]);
  });

  it('a console following the same data directory sees the CLI’s stop and start within 1 s', async () => {
    const consoleLog = new AuditLog({ dir: dataDir });
    const seen = new Map<string, { entry: AuditEntry; at: number }>();
    const unsubscribe = consoleLog.subscribe((change: AuditChange) => change.entries.forEach((entry) => seen.set(entry.id, { entry, at: Date.now() })));
    try {
      const known = new Set(seen.keys());
      for (const action of ['stop', 'start']) {
        const res = await fleetdeck('--fleet', lab().fleetFile, action, '--container', `h1/${NAME}`);
        const exited = Date.now();
        expect(res).toMatchObject({ code: 0, stdout: `${action === 'stop' ? 'Stopped' : 'Started'} ${NAME} on h1\n` });
        await expect.poll(() => [...seen.values()].find((s) => !known.has(s.entry.id) && s.entry.action === action && s.entry.result === 'ok'), { timeout: 3_000, interval: 20 }).toBeTruthy();
        const arrival = [...seen.values()].find((s) => !known.has(s.entry.id) && s.entry.action === action)!;
        expect(arrival.entry).toMatchObject({ source: 'cli', target: { host: 'h1', container: NAME, service: SERVICE } });
        expect(arrival.at - exited).toBeLessThan(1_000);
      }
    } finally {
      unsubscribe();
    }
    expect((await dockerCli('h1', 'inspect', '--format', '{{.State.Status}}', NAME)).trim()).toBe('running');
  });

  it('an unknown container or host exits 1 with a clear message, and the refusal is on record', async () => {
    const container = await fleetdeck('--fleet', lab().fleetFile, 'stop', '--container', 'h1/no-such-container-here');
    expect(container.code).toBe(1);
    expect(container.stderr).toBe('fleetdeck: no such container "no-such-container-here" on h1\n');
    const host = await fleetdeck('--fleet', lab().fleetFile, 'stop', '--container', 'h9/web');
    expect(host.code).toBe(1);
    expect(host.stderr).toBe('fleetdeck: no host named "h9" in the fleet\n');
    const refused = (await audit()).slice(-2);
    expect(refused).toMatchObject([
      { action: 'stop', source: 'cli', target: { host: 'h1', container: 'no-such-container-here' }, result: 'failed', error: 'no such container "no-such-container-here" on h1' },
      { action: 'stop', source: 'cli', target: { host: 'h9', container: 'web' }, result: 'failed', error: 'no host named "h9" in the fleet' },
    ]);
  });

  it('a host that is offline exits 3 with its problem (no lab daemon is stopped for this)', async () => {
    // Port 2399 on h1 is closed: the connection is refused at once, as from a stopped dockerd.
    const fleet = variantFleet((t) => t.replace(/hosts:\n/, 'hosts:\n  - name: closed\n    docker: tcp://198.18.0.11:2399\n    tls: { ca: pki/ca.pem, cert: pki/cert.pem, key: pki/key.pem }\n'));
    try {
      const res = await fleetdeck('--fleet', fleet, 'restart', '--container', 'closed/payments-api-1', '--json');
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/^fleetdeck: closed is offline \(connect ECONNREFUSED 198\.18\.0\.11:2399\)\n$/);
      expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, code: 'host-offline', host: 'closed', container: 'payments-api-1' });
      expect((await audit()).at(-1)).toMatchObject({ action: 'restart', source: 'cli', target: { host: 'closed' }, result: 'failed', error: expect.stringMatching(/^closed is offline/) });
    } finally {
      rmSync(fleet, { force: true });
    }
  });

  it('audit --since keeps only the window asked for, and needs no host', async () => {
    const recent = await fleetdeck('--fleet', '/nonexistent/fleet.yaml', 'audit', '--since', '10m', '--json');
    expect(recent.code).toBe(0);
    expect((JSON.parse(recent.stdout) as AuditEntry[]).length).toBeGreaterThanOrEqual(5);
    const none = await fleetdeck('audit', '--since', '0s', '--json');
    expect(JSON.parse(none.stdout)).toEqual([]);
  });
});
