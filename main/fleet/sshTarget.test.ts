import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetFromEnvironment, type FleetEnv } from './environment';
import { parseFleetFile } from './fleetFile';

const home = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-sshhome-'));
mkdirSync(path.join(home, '.ssh'));
writeFileSync(path.join(home, '.ssh', 'lab_a'), 'KEY-A');
writeFileSync(path.join(home, '.ssh', 'lab_b'), 'KEY-B');
writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'DEFAULT-KEY');
writeFileSync(path.join(home, 'explicit'), 'EXPLICIT-KEY');
writeFileSync(
  path.join(home, '.ssh', 'config'),
  `Host lab3
  HostName 198.18.0.13
  User ops
  Port 2200
  IdentityFile ~/.ssh/missing
  IdentityFile ~/.ssh/lab_a
  IdentityFile ~/.ssh/lab_b

Host 198.18.0.11
  User admin
`,
);
const env: FleetEnv = { home, user: 'sre', vars: { SSH_AUTH_SOCK: '/run/agent.sock' } };
const fleet = (hosts: string) => parseFleetFile(`hosts:\n${hosts}`, path.join(home, 'fleet.yaml'), env);

describe('ssh targets with ~/.ssh/config', () => {
  it('maps an ssh:// alias through HostName, User, Port and every IdentityFile that exists, in order', () => {
    const [h3] = fleet('  - name: h3\n    docker: ssh://lab3\n').hosts;
    expect(h3!.endpoint).toMatchObject({ kind: 'ssh', target: { host: '198.18.0.13', user: 'ops', port: 2200, agentSocket: '/run/agent.sock' } });
    expect(h3!.ssh?.privateKey?.toString()).toBe('KEY-A');
    expect(h3!.ssh?.extraPrivateKeys?.map(String)).toEqual(['KEY-B']);
    expect(h3!.address).toBe('ssh://lab3'); // the display keeps what the fleet file says
  });

  it('lets the fleet file’s explicit values win', () => {
    const [h3] = fleet('  - name: h3\n    docker: ssh://root@lab3:22\n    ssh: { identityFile: explicit, knownHosts: kh }\n').hosts;
    expect(h3!.ssh).toMatchObject({ host: '198.18.0.13', user: 'root', port: 22, knownHostsFiles: [path.join(home, 'kh')] });
    expect(h3!.ssh?.privateKey?.toString()).toBe('EXPLICIT-KEY');
    expect(h3!.ssh?.extraPrivateKeys).toBeUndefined();

    const [h1] = fleet('  - name: h1\n    docker: tcp://198.18.0.11:2376\n    ssh: { user: root, port: 2022 }\n').hosts;
    expect(h1!.ssh).toMatchObject({ host: '198.18.0.11', user: 'root', port: 2022 });
  });

  it('applies the config to an ssh: block of a tcp:// host, looked up by its address', () => {
    const [h1] = fleet('  - name: h1\n    docker: tcp://198.18.0.11:2376\n    ssh: {}\n').hosts;
    expect(h1!.ssh).toMatchObject({ host: '198.18.0.11', user: 'admin', port: 22, knownHostsFiles: [path.join(home, '.ssh', 'known_hosts')] });
    expect(h1!.ssh?.privateKey?.toString()).toBe('DEFAULT-KEY'); // no IdentityFile for it: the default key
  });

  it('falls back to the defaults for a host the config does not know', () => {
    const [h9] = fleet('  - name: h9\n    docker: ssh://198.18.0.19\n').hosts;
    expect(h9!.ssh).toMatchObject({ host: '198.18.0.19', user: 'sre', port: 22 });
    expect(h9!.ssh?.privateKey?.toString()).toBe('DEFAULT-KEY');
  });

  it('applies it to DOCKER_HOST=ssh://… too', () => {
    const spec = fleetFromEnvironment({ ...env, vars: { ...env.vars, DOCKER_HOST: 'ssh://lab3' } });
    expect(spec.hosts[0]!.ssh).toMatchObject({ host: '198.18.0.13', user: 'ops', port: 2200 });
  });

  it('offers no agent without SSH_AUTH_SOCK', () => {
    const spec = parseFleetFile('hosts:\n  - name: h3\n    docker: ssh://lab3\n', path.join(home, 'fleet.yaml'), { ...env, vars: {} });
    expect(spec.hosts[0]!.ssh?.agentSocket).toBeUndefined();
  });
});
