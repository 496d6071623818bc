import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetFromEnvironment, type FleetEnv } from './environment';
import { FleetFileError, loadFleetFile } from './fleetFile';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-fleet-'));
writeFileSync(path.join(dir, 'ca.pem'), 'CA');
writeFileSync(path.join(dir, 'cert.pem'), 'CERT');
writeFileSync(path.join(dir, 'key.pem'), 'KEY');
writeFileSync(path.join(dir, 'id'), 'SSHKEY');
const env: FleetEnv = { home: path.join(dir, 'home'), user: 'sre', vars: { FLEET_PW: 's3cret' } };

function fleet(text: string) {
  const file = path.join(dir, `fleet-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return { file, load: () => loadFleetFile(file, env) };
}

function problems(text: string): string[] {
  const { load } = fleet(text);
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(FleetFileError);
    return (err as FleetFileError).problems;
  }
  throw new Error('expected the fleet file to be refused');
}

describe('fleet file', () => {
  it('loads every transport, with paths relative to the file', () => {
    const { file, load } = fleet(`
hosts:
  - name: h1
    docker: tcp://198.18.0.11:2376
    tls: { ca: ca.pem, cert: cert.pem, key: key.pem }
    ssh: { user: root, port: 2222, identityFile: id, knownHosts: kh }
    labels: { dc: lab, rack: 7 }
  - name: h2
    docker: tcp://198.18.0.12:2376
    certPath: .
  - name: h3
    docker: ssh://ops@198.18.0.13:2200
    ssh: { identityFile: id }
  - name: local
    docker: unix:///var/run/docker.sock
registries:
  - url: https://198.18.0.1:5000
    ca: ca.pem
    username: sre
    passwordEnv: FLEET_PW
services:
  label: com.example.service
  groupLabel: com.example.team
`);
    const spec = load();
    expect(spec.source).toBe(file);
    const [h1, h2, h3, local] = spec.hosts;
    expect(h1).toMatchObject({ name: 'h1', address: 'tcp://198.18.0.11:2376', labels: { dc: 'lab', rack: '7' } });
    expect(h1!.endpoint).toMatchObject({ kind: 'tcp', host: '198.18.0.11', port: 2376 });
    expect(h1!.endpoint.kind === 'tcp' && h1!.endpoint.tls?.ca?.toString()).toBe('CA');
    expect(h1!.ssh).toMatchObject({ host: '198.18.0.11', user: 'root', port: 2222, knownHostsFiles: [path.join(dir, 'kh')] });
    expect(h1!.ssh?.privateKey?.toString()).toBe('SSHKEY');
    expect(h2!.endpoint.kind === 'tcp' && h2!.endpoint.tls?.key?.toString()).toBe('KEY');
    expect(h3!.endpoint).toMatchObject({ kind: 'ssh', target: { host: '198.18.0.13', port: 2200, user: 'ops' } });
    expect(h3!.ssh).toBe(h3!.endpoint.kind === 'ssh' ? h3!.endpoint.target : undefined);
    expect(local!.endpoint).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(spec.registries[0]).toMatchObject({ url: 'https://198.18.0.1:5000', host: '198.18.0.1:5000', insecure: false, username: 'sre', password: 's3cret' });
    expect(spec.registries[0]!.ca?.toString()).toBe('CA');
    expect(spec.services).toEqual({ label: 'com.example.service', groupLabel: 'com.example.team' });
  });

  it('defaults the service label to compose and the group to none', () => {
    const spec = fleet('hosts:\n  - name: a\n    docker: unix:///x.sock\n').load();
    expect(spec.services).toEqual({ label: 'com.docker.compose.service' });
    expect(spec.registries).toEqual([]);
  });

  it('names the file, line and key of each problem, and refuses the whole file', () => {
    const found = problems(`hosts:
  - name: h1
    docker: tcp://198.18.0.11:2376
  - name: h2
    docker: ftp://198.18.0.12
  - name: h1
    docker: tcp://198.18.0.13:2376
    tls: { ca: missing.pem }
`);
    expect(found).toHaveLength(3);
    expect(found.some((p) => /fleet-\w+\.yaml:5: hosts\[1\]\.docker: unsupported scheme "ftp:"/.test(p))).toBe(true);
    expect(found.some((p) => /:6: hosts\[2\]\.name: duplicate host name "h1"/.test(p))).toBe(true);
    expect(found.some((p) => /:8: hosts\[2\]\.tls\.ca: cannot read missing\.pem: ENOENT/.test(p))).toBe(true);
  });

  it('reports unknown keys and wrong types at their line', () => {
    const found = problems('hosts:\n  - name: h1\n    docker: unix:///x.sock\n    sshh: {}\n  - name: h2\n    docker: 42\n');
    expect(found.join('\n')).toMatch(/:2: hosts\[0\]: Unrecognized key: "sshh"/);
    expect(found.join('\n')).toMatch(/:6: hosts\[1\]\.docker: .*string/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('hosts:\n  - name: h1\n    docker: [unclosed\n')[0]).toMatch(/fleet-\w+\.yaml:\d+: YAML: /);
  });

  it('refuses an empty host list, a missing file, and TLS settings on a non-tcp host', () => {
    expect(problems('hosts: []\n')[0]).toMatch(/:1: hosts: at least one host/);
    expect(problems('hosts:\n  - name: u\n    docker: unix:///x.sock\n    tls: { ca: ca.pem }\n')[0]).toMatch(/:4: hosts\[0\]\.tls: TLS settings apply only to tcp/);
    expect(() => loadFleetFile(path.join(dir, 'nope.yaml'), env)).toThrow(/nope\.yaml: 1 problem\n {2}cannot read the fleet file/);
  });
});

describe('fleet file registries', () => {
  const hosts = 'hosts:\n  - name: a\n    docker: unix:///x.sock\n';

  it('allows plain HTTP only with insecure: true', () => {
    const spec = fleet(`${hosts}registries:\n  - url: http://198.18.0.1:5001/\n    insecure: true\n`).load();
    expect(spec.registries).toEqual([{ url: 'http://198.18.0.1:5001', host: '198.18.0.1:5001', insecure: true }]);
    expect(problems(`${hosts}registries:\n  - url: http://198.18.0.1:5001\n`)[0]).toMatch(/:5: registries\[0\]\.url: plain HTTP needs insecure: true/);
    expect(problems(`${hosts}registries:\n  - url: https://198.18.0.1:5000\n    insecure: true\n`)[0]).toMatch(
      /:6: registries\[0\]\.insecure: insecure: true applies only to an http:\/\/ url/,
    );
    expect(problems(`${hosts}registries:\n  - url: https://r:5000\n    insecure: "yes"\n`)[0]).toMatch(/:6: registries\[0\]\.insecure: .*boolean/);
  });

  it('takes username and passwordEnv together; an unset variable leaves the credentials to docker config', () => {
    expect(problems(`${hosts}registries:\n  - url: https://r:5000\n    username: sre\n`)[0]).toMatch(/:5: registries\[0\]: username and passwordEnv go together/);
    const spec = fleet(`${hosts}registries:\n  - url: https://r:5000\n    username: sre\n    passwordEnv: UNSET_PW\n`).load();
    expect(spec.registries).toEqual([{ url: 'https://r:5000', host: 'r:5000', insecure: false }]);
  });
});

describe('fleet from the environment', () => {
  it('uses DOCKER_HOST with DOCKER_CERT_PATH', () => {
    const spec = fleetFromEnvironment({ ...env, vars: { DOCKER_HOST: 'tcp://198.18.0.11:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir } });
    expect(spec.source).toBe('DOCKER_HOST');
    expect(spec.hosts[0]!.endpoint).toMatchObject({ kind: 'tcp', host: '198.18.0.11', port: 2376 });
    expect(spec.hosts[0]!.endpoint.kind === 'tcp' && spec.hosts[0]!.endpoint.tls?.cert?.toString()).toBe('CERT');
  });

  it('uses the current docker context when DOCKER_HOST is unset', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-home-'));
    const id = createHash('sha256').update('lab').digest('hex');
    mkdirSync(path.join(home, '.docker/contexts/meta', id), { recursive: true });
    writeFileSync(path.join(home, '.docker/config.json'), JSON.stringify({ currentContext: 'lab' }));
    writeFileSync(path.join(home, '.docker/contexts/meta', id, 'meta.json'), JSON.stringify({ Endpoints: { docker: { Host: 'ssh://ops@198.18.0.13' } } }));
    const spec = fleetFromEnvironment({ home, user: 'sre', vars: {} });
    expect(spec.source).toBe('docker context lab');
    expect(spec.hosts[0]).toMatchObject({ name: 'lab', endpoint: { kind: 'ssh', target: { host: '198.18.0.13', user: 'ops', port: 22 } } });
  });

  it('falls back to the local socket', () => {
    const spec = fleetFromEnvironment({ ...env, vars: {} });
    expect(spec.hosts[0]!.endpoint).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
  });
});
