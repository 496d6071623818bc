// The fleetdeck CLI against the real lab, compared with the docker CLI on every host.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetdeck } from '../support/cli';
import { dockerPs, lab, variantFleet } from '../support/lab';

describe('fleetdeck CLI on the lab', () => {
  it('ps --json matches docker ps -a on every host: names, images, states, IPs and MACs', async () => {
    const { fleetFile, hosts } = lab();
    const res = await fleetdeck('--fleet', fleetFile, 'ps', '--json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const ours = JSON.parse(res.stdout) as { host: string; name: string; image: string; state: string; ips: unknown[] }[];
    for (const host of hosts) {
      const theirs = await dockerPs(host.name);
      expect(theirs.length).toBeGreaterThan(0);
      const mine = ours
        .filter((c) => c.host === host.name)
        .map(({ name, image, state, ips }) => ({ name, image, state, ips }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(mine).toEqual(theirs.sort((a, b) => a.name.localeCompare(b.name)));
    }
    expect(ours.every((c) => !c.name.startsWith('/'))).toBe(true);
    expect(ours.some((c) => c.state === 'exited')).toBe(true);
  });

  it('ps --json carries service and group from the fleet file labels, and the static IP and MAC', async () => {
    const res = await fleetdeck('--fleet', lab().fleetFile, 'ps', '--json');
    const ours = JSON.parse(res.stdout) as { host: string; service?: string; group?: string; ips: { ip: string; mac: string }[] }[];
    const ledgerH1 = ours.find((c) => c.host === 'h1' && c.service === 'ledger');
    expect(ledgerH1?.group).toBe('payments');
    expect(ledgerH1?.ips).toContainEqual(expect.objectContaining({ ip: '198.18.4.21', mac: '02:fd:00:04:00:21' }));
  });

  it('hosts --json reports every host online with its engine', async () => {
    const res = await fleetdeck('--fleet', lab().fleetFile, 'hosts', '--json');
    expect(res.code).toBe(0);
    const hosts = JSON.parse(res.stdout) as { name: string; state: string; engineVersion?: string; ncpu?: number; memTotal?: number }[];
    expect(hosts.map((h) => h.name).sort()).toEqual(['h1', 'h2', 'h3']);
    for (const h of hosts) {
      expect(h).toMatchObject({ state: 'online', engineVersion: expect.stringMatching(/^\d+\.\d+/) });
      expect(h.ncpu).toBeGreaterThan(0);
      expect(h.memTotal).toBeGreaterThan(1 << 20);
    }
  });

  it('shows a host whose CA does not match as error (TLS), never online', async () => {
    const file = variantFleet((t) => t.replace('pki/ca.pem', 'pki/wrong-ca/ca.pem'));
    const res = await fleetdeck('--fleet', file, 'hosts', '--json');
    expect(res.code).toBe(3);
    const hosts = JSON.parse(res.stdout) as { name: string; state: string; error?: string }[];
    const h1 = hosts.find((h) => h.name === 'h1');
    expect(h1?.state).toBe('error');
    expect(h1?.error).toMatch(/^tls: /);
    expect(hosts.find((h) => h.name === 'h2')?.state).toBe('online');
    expect(res.stderr).toMatch(/host h1 is error: tls/);
  });

  it('reports a host that does not answer, without hanging', async () => {
    // 198.18.0.99 is inside the lab's own bridge subnet, where no host answers.
    const file = variantFleet((t) => t.replace(/hosts:\n/, 'hosts:\n  - name: ghost\n    docker: tcp://198.18.0.99:2376\n'));
    const res = await fleetdeck('--fleet', file, '--timeout', '3', 'hosts', '--json');
    expect(res.code).toBe(3);
    expect(res.seconds).toBeLessThan(20);
    const ghost = (JSON.parse(res.stdout) as { name: string; state: string }[]).find((h) => h.name === 'ghost');
    expect(ghost?.state).not.toBe('online');
    expect(res.stderr).toMatch(/ghost/);
  });

  it('exits non-zero with a clear message on bad input', async () => {
    const usage = await fleetdeck('--fleet', lab().fleetFile, 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command "frobnicate"/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-bad-'));
    copyFileSync(lab().fleetFile, path.join(dir, 'ok.yaml'));
    writeFileSync(path.join(dir, 'bad.yaml'), 'hosts:\n  - name: h1\n    docker: tcp://198.18.0.11\n');
    const bad = await fleetdeck('--fleet', path.join(dir, 'bad.yaml'), 'ps');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:3: hosts\[0\]\.docker: tcp:\/\/ needs a host and a port/);
    const help = await fleetdeck('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:[\s\S]*hosts[\s\S]*ps[\s\S]*--fleet FILE/);
  });
});
