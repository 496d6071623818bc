import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetFromEnvironment, type FleetEnv } from './environment';
import { FleetFileError, loadFleetFile } from './fleetFile';
import { parseIPv4 } from '../../shared/ip';

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

describe('fleet file ipPools and segments', () => {
  const hosts = 'hosts:\n  - name: h1\n    docker: unix:///x.sock\n  - name: h2\n    docker: unix:///y.sock\n';
  const n = (s: string) => parseIPv4(s);

  it('loads the lab pool and both kinds of declared segment, with each entry\'s line', () => {
    const spec = fleet(`${hosts}ipPools:
  - segment: 198.18.4.0/24
    range: 198.18.4.14-198.18.4.63
    reserved: [198.18.4.1]
    byName: true
  - segment: dc1
    range: 10.78.0.0/25
    mac: derive
segments:
  - name: dc1
    subnets: [10.77.0.0/24, 10.78.0.0/24]
  - name: rack-a
    subnet: 10.80.0.0/24
    hosts: [h1, h2]
`).load();
    expect(spec.ipPools).toEqual([
      { segment: '198.18.4.0/24', range: { first: n('198.18.4.14'), last: n('198.18.4.63') }, reserved: [n('198.18.4.1')], byName: true, line: 7 },
      { segment: 'dc1', range: { first: n('10.78.0.0'), last: n('10.78.0.127') }, reserved: [], byName: false, mac: 'derive', line: 11 },
    ]);
    expect(spec.segments).toEqual([
      { name: 'dc1', subnets: ['10.77.0.0/24', '10.78.0.0/24'], line: 15 },
      { name: 'rack-a', subnets: ['10.80.0.0/24'], hosts: ['h1', 'h2'], line: 17 },
    ]);
  });

  it('has no pools and no segments when the file declares none', () => {
    const spec = fleet(hosts).load();
    expect(spec.ipPools).toEqual([]);
    expect(spec.segments).toEqual([]);
  });

  it('refuses a range or a reserved address outside its segment, at FILE:LINE: key', () => {
    const found = problems(`${hosts}ipPools:
  - segment: 198.18.4.0/24
    range: 198.18.4.200-198.18.5.10
    reserved: [198.18.4.1, 10.0.0.1]
`);
    expect(found).toEqual([
      expect.stringMatching(/fleet-\w+\.yaml:9: ipPools\[0\]\.reserved\[1\]: 10\.0\.0\.1 is outside segment 198\.18\.4\.0\/24 \(198\.18\.4\.0\/24\)$/),
      expect.stringMatching(/fleet-\w+\.yaml:8: ipPools\[0\]\.range: 198\.18\.4\.200-198\.18\.5\.10 is outside segment 198\.18\.4\.0\/24/),
    ]);
  });

  it('refuses a range outside every subnet of a declared segment, and one that spans two of them', () => {
    const segments = 'segments:\n  - name: dc1\n    subnets: [10.77.0.0/24, 10.78.0.0/24]\n';
    expect(problems(`${hosts}${segments}ipPools:\n  - segment: dc1\n    range: 10.79.0.1-10.79.0.9\n`)).toEqual([
      expect.stringMatching(/:11: ipPools\[0\]\.range: 10\.79\.0\.1-10\.79\.0\.9 is outside segment dc1 \(10\.77\.0\.0\/24, 10\.78\.0\.0\/24\)$/),
    ]);
    expect(problems(`${hosts}${segments}ipPools:\n  - segment: dc1\n    range: 10.77.0.250-10.78.0.5\n`)[0]).toMatch(/:11: ipPools\[0\]\.range: .* is outside segment dc1/);
  });

  it('refuses two pools overlapping, naming the other pool, its line and the shared addresses', () => {
    const found = problems(`${hosts}segments:
  - name: dc1
    subnets: [10.77.0.0/24, 10.78.0.0/24]
ipPools:
  - segment: dc1
    range: 10.77.0.20-10.77.0.100
  - segment: 10.77.0.0/24
    range: 10.77.0.90-10.77.0.120
`);
    expect(found).toEqual([expect.stringMatching(/:12: ipPools\[1\]\.segment: segment dc1 already has a pool \(ipPools\[0\], line 10\): one pool per segment$/)]);
    const split = problems(`${hosts}segments:
  - name: rack-a
    subnet: 10.80.0.0/24
    hosts: [h1]
ipPools:
  - segment: rack-a
    range: 10.80.0.10-10.80.0.50
  - segment: 10.80.0.0/24
    range: 10.80.0.50-10.80.0.90
`);
    expect(split).toEqual([expect.stringMatching(/:14: ipPools\[1\]\.range: overlaps ipPools\[0\] \(line 11\) on 10\.80\.0\.50-10\.80\.0\.50$/)]);
  });

  it('accepts pools that share a subnet but not an address', () => {
    const spec = fleet(`${hosts}segments:
  - name: rack-a
    subnet: 10.80.0.0/24
    hosts: [h1]
ipPools:
  - segment: rack-a
    range: 10.80.0.10-10.80.0.49
  - segment: 10.80.0.0/24
    range: 10.80.0.50-10.80.0.90
`).load();
    expect(spec.ipPools.map((p) => p.segment)).toEqual(['rack-a', '10.80.0.0/24']);
  });

  it.each([
    ['segment: 10.77.0.0/33', ':7: ipPools\\[0\\]\\.segment: not an IPv4 subnet: "10\\.77\\.0\\.0/33"'],
    ['segment: 10.77.0.5/24', ':7: ipPools\\[0\\]\\.segment: "10\\.77\\.0\\.5/24" has host bits set: the subnet is 10\\.77\\.0\\.0/24'],
    ['segment: fd00::/64', ':7: ipPools\\[0\\]\\.segment: IPv6 subnet "fd00::/64": the map shows IPv6 but allocates IPv4 only'],
    ['segment: dc9', ':7: ipPools\\[0\\]\\.segment: "dc9" is neither a subnet \\(e\\.g\\. 10\\.77\\.0\\.0/24\\) nor a declared segment$'],
  ])('refuses a bad segment (%s)', (line, message) => {
    expect(problems(`${hosts}ipPools:\n  - ${line}\n    range: 10.77.0.20-10.77.0.30\n`)).toEqual([expect.stringMatching(new RegExp(message))]);
  });

  it.each([
    ['range: 10.77.0.30-10.77.0.20', ':8: ipPools\\[0\\]\\.range: 10\\.77\\.0\\.30 comes after 10\\.77\\.0\\.20'],
    ['range: 10.77.0.20', ':8: ipPools\\[0\\]\\.range: not a range: "10\\.77\\.0\\.20" \\(use FIRST-LAST'],
    ['range: 10.77.0.020-10.77.0.30', ':8: ipPools\\[0\\]\\.range: not a range'],
    ['range: 10.77.0.20-10.77.0.256', ':8: ipPools\\[0\\]\\.range: not a range'],
    ['range: 10.77.0.3/26', ':8: ipPools\\[0\\]\\.range: "10\\.77\\.0\\.3/26" has host bits set'],
    ['range: 10.77.0.20-10.77.0.30\n    reserved: [10.77.0.300]', ':9: ipPools\\[0\\]\\.reserved\\[0\\]: not an IPv4 address: "10\\.77\\.0\\.300"'],
    ['range: 10.77.0.20-10.77.0.30\n    reserved: [10.77.0.1, 7]', ':9: ipPools\\[0\\]\\.reserved\\[1\\]: .*string'],
    ['range: 10.77.0.20-10.77.0.30\n    byName: yes please', ':9: ipPools\\[0\\]\\.byName: .*boolean'],
    ['range: 10.77.0.20-10.77.0.30\n    size: 4', ':7: ipPools\\[0\\]: Unrecognized key: "size"'],
    ['byName: true', ':7: ipPools\\[0\\]\\.range: .*'],
  ])('refuses a bad pool definition (%s)', (rest, message) => {
    expect(problems(`${hosts}ipPools:\n  - segment: 10.77.0.0/24\n    ${rest}\n`)).toEqual([expect.stringMatching(new RegExp(message))]);
  });

  it('refuses bad segments: unknown hosts, a subnet in two segments, subnet and subnets both, a duplicate name', () => {
    const found = problems(`${hosts}segments:
  - name: dc1
    subnets: [10.77.0.0/24, 10.78.0.0/24]
  - name: dc2
    subnet: 10.78.0.0/24
  - name: rack-a
    subnet: 10.80.0.0/24
    hosts: [h1, h9]
  - name: rack-b
    subnet: 10.80.0.0/24
    hosts: [h1]
  - name: rack-a
    subnet: 10.81.0.0/24
`);
    expect(found).toEqual([
      expect.stringMatching(/:10: segments\[1\]\.subnet: subnet 10\.78\.0\.0\/24 is already in segments\[0\]: a network belongs to one segment$/),
      expect.stringMatching(/:13: segments\[2\]\.hosts\[1\]: no host "h9" in hosts$/),
      expect.stringMatching(/:15: segments\[3\]\.subnet: subnet 10\.80\.0\.0\/24 is already in segments\[2\] for host h1: a network belongs to one segment$/),
      expect.stringMatching(/:17: segments\[4\]\.name: duplicate segment name "rack-a" \(also segments\[2\]\)$/),
    ]);
    expect(problems(`${hosts}segments:\n  - name: x\n    subnet: 10.1.0.0/24\n    subnets: [10.2.0.0/24]\n`)).toEqual([expect.stringMatching(/:7: segments\[0\]: give subnet or subnets/)]);
    expect(problems(`${hosts}segments:\n  - name: x\n`)).toEqual([expect.stringMatching(/:7: segments\[0\]: give subnet or subnets/)]);
    expect(problems(`${hosts}segments:\n  - name: 10.0.0.0/8\n    subnet: 10.0.0.0/8\n`)).toEqual([expect.stringMatching(/:7: segments\[0\]\.name: letters, digits/)]);
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
