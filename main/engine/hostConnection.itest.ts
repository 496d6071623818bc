// HostConnection against the real lab: TLS, SSH and unix transports, failures, events, recovery.
// The suite orchestrator brings the lab up first; without it these tests fail, on purpose.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostSpec, SshTarget, TlsMaterial } from '../fleet/spec';
import { hostKeyFingerprint, parseKnownHosts } from '../ssh/knownHosts';
import { SshConnection } from '../ssh/sshConnection';
import { ChannelAgent } from './channelAgent';
import type { DockerEvent } from './dockerApi';
import { dockerCli, lab, labHost, labSh, LAB_DIR, ROOT } from '../../e2e/support/lab';
import { HostConnection, type HostConnectionDeps, type HostStatus } from './hostConnection';
import { SshDockerDialer } from './sshDockerDialer';

const PKI = path.join(LAB_DIR, 'pki');
const KNOWN_HOSTS = path.join(LAB_DIR, 'known_hosts');
const pem = (file: string) => readFileSync(path.join(PKI, file));

function tlsSpec(name: string, tls: TlsMaterial = { ca: pem('ca.pem'), cert: pem('cert.pem'), key: pem('key.pem') }): HostSpec {
  const { ip } = labHost(name);
  return { name, address: `tcp://${ip}:2376`, endpoint: { kind: 'tcp', host: ip, port: 2376, tls }, labels: { dc: 'lab' } };
}

function sshTarget(name: string, knownHostsFiles = [KNOWN_HOSTS]): SshTarget {
  return { host: labHost(name).ip, port: 22, user: 'root', privateKey: pem('id_ed25519'), knownHostsFiles };
}

function sshSpec(name: string, knownHostsFiles?: string[]): HostSpec {
  const target = sshTarget(name, knownHostsFiles);
  return { name, address: `ssh://root@${target.host}`, endpoint: { kind: 'ssh', target }, ssh: target, labels: {} };
}

function unixSpec(name: string, socketPath: string): HostSpec {
  return { name, address: `unix://${socketPath}`, endpoint: { kind: 'unix', socketPath }, labels: {} };
}

/** A started connection whose states and events the test can wait for; closed after each test. */
interface Watched {
  conn: HostConnection;
  history: HostStatus[];
  events: { at: number; event: DockerEvent }[];
  onlineCount: () => number;
  until: (what: string, ms: number, accept: (s: HostStatus) => boolean) => Promise<HostStatus>;
}

const open: HostConnection[] = [];

function connect(spec: HostSpec, deps: HostConnectionDeps = {}): Watched {
  const conn = new HostConnection(spec, deps);
  open.push(conn);
  const history: HostStatus[] = [];
  const events: Watched['events'] = [];
  let online = 0;
  conn.on('state', (s) => history.push(s));
  conn.on('event', (event) => events.push({ at: Date.now(), event }));
  conn.on('online', () => online++);
  conn.start();
  const until = (what: string, ms: number, accept: (s: HostStatus) => boolean) =>
    new Promise<HostStatus>((resolve, reject) => {
      if (accept(conn.status)) return resolve(conn.status);
      const timer = setTimeout(() => {
        conn.off('state', onState);
        const seen = history.map((s) => `${s.state}${s.problem ? ` (${s.problem.reason}: ${s.problem.message})` : ''}`);
        reject(new Error(`${spec.name}: no ${what} within ${ms} ms; states: ${seen.join(' → ')}`));
      }, ms);
      const onState = (s: HostStatus) => {
        if (!accept(s)) return;
        clearTimeout(timer);
        conn.off('state', onState);
        resolve(s);
      };
      conn.on('state', onState);
    });
  return { conn, history, events, onlineCount: () => online, until };
}

const isOnline = (s: HostStatus) => s.state === 'online';
const isDown = (s: HostStatus) => s.state === 'offline' || s.state === 'error';

async function cliInfo(host: string): Promise<{ Name: string; NCPU: number; MemTotal: number; ServerVersion: string }> {
  return JSON.parse(await dockerCli(host, 'info', '--format', '{{json .}}'));
}

/** The image of one of the host's own containers: present locally, so `create` needs no pull. */
async function localImage(host: string): Promise<string> {
  const images = (await dockerCli(host, 'ps', '-a', '--format', '{{.Image}}')).trim().split('\n').filter(Boolean);
  if (!images[0]) throw new Error(`${host} has no containers to borrow an image from`);
  return images[0];
}

function waitForEvent(w: Watched, match: (e: DockerEvent) => boolean, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const found = () => w.events.find((e) => match(e.event));
    const poll = setInterval(() => {
      const hit = found();
      if (!hit) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(hit.at);
    }, 5);
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`no matching event within ${ms} ms; got: ${w.events.map((e) => `${e.event.Type}/${e.event.Action}`).join(', ')}`));
    }, ms);
  });
}

beforeAll(() => {
  lab(); // throws "the lab is not up (…lab.json is missing)" rather than skipping
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('going online', () => {
  it('over TLS, with the engine info docker info reports', async () => {
    const h1 = connect(tlsSpec('h1'));
    const status = await h1.until('online', 15_000, isOnline);
    const info = await cliInfo('h1');
    expect(status).toMatchObject({ name: 'h1', transport: 'tls', address: 'tcp://198.18.0.11:2376', labels: { dc: 'lab' } });
    expect(status.problem).toBeUndefined();
    expect(status.engine).toMatchObject({ hostname: info.Name, version: info.ServerVersion, ncpu: info.NCPU, memTotal: info.MemTotal });
    expect(status.engine!.hostname).toBe((await dockerCli('h1', 'info', '--format', '{{.Name}}')).trim());
    expect(status.engine!.apiVersion).toMatch(/^1\.\d+$/);
    expect(h1.history.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(h1.onlineCount()).toBe(1);
    // The public dockerode instances go over the same transport.
    expect((await h1.conn.docker.listContainers({ all: true })).length).toBe(
      (await dockerCli('h1', 'ps', '-aq')).trim().split('\n').filter(Boolean).length,
    );
  });

  it('over SSH (one held connection, stream-local channels to the daemon socket)', async () => {
    const h3 = connect(sshSpec('h3'));
    const status = await h3.until('online', 20_000, isOnline);
    const info = await cliInfo('h3');
    expect(status.transport).toBe('ssh');
    expect(status.engine).toMatchObject({ hostname: info.Name, version: info.ServerVersion, ncpu: info.NCPU, memTotal: info.MemTotal });
    expect(status.engine!.hostname).toBe((await dockerCli('h3', 'info', '--format', '{{.Name}}')).trim());
    const ssh = await h3.conn.ssh();
    const { stdout } = await ssh.run('hostname');
    expect(stdout.trim()).toBe(info.Name);
  });

  it('over the unix socket', async () => {
    const h1 = connect(unixSpec('h1-unix', labHost('h1').socket));
    const status = await h1.until('online', 15_000, isOnline);
    expect(status.transport).toBe('unix');
    expect(status.engine!.hostname).toBe((await cliInfo('h1')).Name);
  });
});

describe('refusing the wrong peer', () => {
  it('a wrong CA: error / tls, never online', async () => {
    const h1 = connect(tlsSpec('h1', { ca: pem('wrong-ca/ca.pem'), cert: pem('cert.pem'), key: pem('key.pem') }));
    const status = await h1.until('error', 15_000, isDown);
    expect(status.state).toBe('error');
    expect(status.problem?.reason).toBe('tls');
    expect(status.retryAt).toBeGreaterThan(status.since);
    await h1.until('second attempt', 10_000, () => h1.history.filter(isDown).length >= 2);
    expect(h1.history.some(isOnline)).toBe(false);
    expect(h1.onlineCount()).toBe(0);
  });

  it('a client certificate from another CA: error / tls', async () => {
    const h1 = connect(tlsSpec('h1', { ca: pem('ca.pem'), cert: pem('wrong-ca/cert.pem'), key: pem('wrong-ca/key.pem') }));
    const status = await h1.until('error', 15_000, isDown);
    expect(status.problem?.reason).toBe('tls');
    expect(status.state).toBe('error');
  });

  it('a changed SSH host key: error / hostkey naming the fingerprint the server offered', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-kh-'));
    try {
      const entries = parseKnownHosts(readFileSync(KNOWN_HOSTS, 'utf8'));
      const h3Key = entries.find((e) => e.hosts === labHost('h3').ip)!.key;
      const otherKey = entries.find((e) => e.hosts === labHost('h1').ip)!.key;
      const wrong = path.join(dir, 'known_hosts');
      writeFileSync(wrong, `${labHost('h3').ip} ssh-ed25519 ${otherKey.toString('base64')}\n`);
      const h3 = connect(sshSpec('h3', [wrong]));
      const status = await h3.until('error', 15_000, isDown);
      expect(status.state).toBe('error');
      expect(status.problem?.reason).toBe('hostkey');
      expect(status.problem?.message).toContain(hostKeyFingerprint(h3Key));
      expect(hostKeyFingerprint(h3Key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

      const unknown = connect(sshSpec('h3', [path.join(dir, 'missing_known_hosts')]));
      const unknownStatus = await unknown.until('error', 15_000, isDown);
      expect(unknownStatus.problem).toEqual({ reason: 'hostkey', message: expect.stringContaining(`unknown host key ${hostKeyFingerprint(h3Key)}`) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an SSH key the host does not accept: error / auth', async () => {
    const spec = sshSpec('h3');
    if (spec.endpoint.kind !== 'ssh') throw new Error('unreachable');
    spec.endpoint.target.privateKey = Buffer.from(ssh2.utils.generateKeyPairSync('ed25519').private); // not in authorized_keys
    const h3 = connect(spec);
    const status = await h3.until('error', 15_000, isDown);
    expect(status.problem?.reason).toBe('auth');
  });
});

describe('losing and regaining a host', () => {
  let h2Stopped = false;
  afterAll(async () => {
    if (h2Stopped) await labSh('start-dockerd', 'h2');
  });

  it('stop-dockerd h2 → offline within 5 s while h1 keeps answering; start-dockerd → online again', async () => {
    const h1 = connect(tlsSpec('h1'));
    const h2 = connect(tlsSpec('h2'));
    await Promise.all([h1.until('online', 15_000, isOnline), h2.until('online', 15_000, isOnline)]);

    const pings: number[] = [];
    let pinging = true;
    const pinger = (async () => {
      while (pinging) {
        const started = Date.now();
        await h1.conn.docker.ping();
        pings.push(Date.now() - started);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    try {
      const stoppedAt = Date.now();
      h2Stopped = true;
      const stopping = labSh('stop-dockerd', 'h2');
      const offline = await h2.until('offline', 5_000, (s) => s.state === 'offline');
      expect(offline.problem?.reason).toMatch(/^(closed|refused)$/);
      expect(offline.since - stoppedAt).toBeLessThan(5_000);
      await stopping;

      const startedAt = Date.now();
      await labSh('start-dockerd', 'h2');
      h2Stopped = false;
      // The backoff may be up to 16 s into its wait by now.
      const back = await h2.until('online again', 40_000, isOnline);
      expect(back.engine!.hostname).toBe((await cliInfo('h2')).Name);
      expect(back.since).toBeGreaterThan(startedAt);
      expect(h2.onlineCount()).toBe(2);
      expect(h1.conn.status.state).toBe('online');
      expect(h1.history.filter(isDown)).toEqual([]);
    } finally {
      pinging = false;
      await pinger;
    }
    expect(pings.length).toBeGreaterThan(10);
    expect(Math.max(...pings)).toBeLessThan(1_000);
  });

  it('a silent partition is caught by the heartbeat within 5 s, and healed', async () => {
    // A unix-socket proxy in front of h1's daemon that can stop forwarding without closing anything.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-part-'));
    const proxyPath = path.join(dir, 'docker.sock');
    let frozen = false;
    const pairs: net.Socket[][] = [];
    const proxy = net.createServer((client) => {
      const upstream = net.connect(labHost('h1').socket);
      pairs.push([client, upstream]);
      for (const s of [client, upstream]) s.on('error', () => {});
      client.on('data', (d) => !frozen && upstream.write(d));
      upstream.on('data', (d) => !frozen && client.write(d));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(proxyPath, resolve));
    try {
      const h1 = connect(unixSpec('h1-partitioned', proxyPath));
      await h1.until('online', 15_000, isOnline);
      frozen = true;
      const frozenAt = Date.now();
      const down = await h1.until('offline', 5_000, isDown);
      expect(down).toMatchObject({ state: 'offline', problem: { reason: 'timeout' } });
      expect(down.since - frozenAt).toBeLessThan(5_000);
      for (const pair of pairs.splice(0)) for (const s of pair) s.destroy(); // drop what hung
      frozen = false;
      h1.conn.reconnectNow();
      await h1.until('online again', 15_000, isOnline);
    } finally {
      proxy.close();
      for (const pair of pairs) for (const s of pair) s.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable host neither blocks nor slows another', async () => {
    const dead = connect({ ...tlsSpec('h1'), name: 'nowhere', endpoint: { kind: 'tcp', host: '198.18.0.99', port: 2376, tls: {} } }, { connectTimeoutMs: 3_000 });
    const h1 = connect(tlsSpec('h1'));
    const started = Date.now();
    await h1.until('online', 5_000, isOnline);
    expect(Date.now() - started).toBeLessThan(3_000);
    const status = await dead.until('offline', 10_000, isDown);
    expect(status.state).toBe('offline');
    expect(status.problem?.reason).toMatch(/^(timeout|unreachable)$/);
  });
});

describe('events', () => {
  for (const [host, make] of [
    ['h1', () => tlsSpec('h1')],
    ['h3', () => sshSpec('h3')],
  ] as const) {
    it(`a container created and removed on ${host} arrives within 1 s`, async () => {
      const w = connect(make());
      await w.until('online', 20_000, isOnline);
      const image = await localImage(host);
      const name = `fd-itest-${process.pid}-${Date.now()}`;
      try {
        await dockerCli(host, 'create', '--name', name, image, 'sleep', '1');
        const createdAt = Date.now();
        const seenAt = await waitForEvent(w, (e) => e.Type === 'container' && e.Action === 'create' && e.Actor.Attributes.name === name, 1_000);
        expect(seenAt - createdAt).toBeLessThan(1_000);
      } finally {
        await dockerCli(host, 'rm', '-f', name).catch(() => '');
      }
      const removedAt = Date.now();
      const destroyedAt = await waitForEvent(w, (e) => e.Action === 'destroy' && e.Actor.Attributes.name === name, 1_000);
      expect(destroyedAt - removedAt).toBeLessThan(1_000);
    });
  }
});

describe('SSH channel pool', () => {
  it('20 parallel requests over the SSH host all succeed; never more than 8 channels; sshd refuses none', async () => {
    const sshdLog = path.join(LAB_DIR, 'h3', 'sshd.log');
    const logSize = statSync(sshdLog).size;
    const h3 = connect(sshSpec('h3'));
    await h3.until('online', 20_000, isOnline);
    const ssh = await h3.conn.ssh();

    let maxOpen = 0;
    let maxWaiting = 0;
    const sampler = setInterval(() => {
      maxOpen = Math.max(maxOpen, ssh.channels.open);
      maxWaiting = Math.max(maxWaiting, ssh.channels.waiting);
    }, 1);
    const expected = (await dockerCli('h3', 'ps', '-aq')).trim().split('\n').filter(Boolean).length;
    const started = Date.now();
    try {
      const lists = await Promise.all(Array.from({ length: 20 }, () => h3.conn.docker.listContainers({ all: true })));
      expect(lists.map((l) => l.length)).toEqual(Array(20).fill(expected));
      const infos = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? h3.conn.docker.version() : h3.conn.docker.info())));
      expect(infos).toHaveLength(20);
    } finally {
      clearInterval(sampler);
    }
    // Measured ≈ 0.3 s for both bursts; a stall (a leaked channel, a blocked loop) costs seconds.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(maxOpen).toBeLessThanOrEqual(8);
    expect(maxWaiting).toBeGreaterThan(0); // the queue was used, not luck
    expect(h3.conn.status.state).toBe('online'); // heartbeats got through the burst

    const newLog = readFileSync(sshdLog).subarray(logSize).toString();
    expect(newLog).not.toMatch(/no more sessions|open failed|refused|error/i);
  });

  it('the dial-stdio fallback carries the API too (10 parallel calls over docker CLI relays)', async () => {
    const ssh = await SshConnection.connect(sshTarget('h3'));
    try {
      const dialer = new SshDockerDialer(ssh, () => {});
      const agent = new ChannelAgent((kind) => dialer.dialStdio(kind), 'request', { keepAlive: true });
      const docker = new Dockerode({ protocol: 'http', host: 'docker', port: 80, agent } as Dockerode.DockerOptions);
      const versions = await Promise.all(Array.from({ length: 10 }, () => docker.version()));
      expect(new Set(versions.map((v) => v.Version))).toEqual(new Set([(await cliInfo('h3')).ServerVersion]));
      expect(ssh.channels.open).toBeLessThanOrEqual(8);
      agent.destroy();
    } finally {
      await ssh.close();
    }
  });

  it('shells and exec count against the cap and still leave room for API calls', async () => {
    const h3 = connect(sshSpec('h3'));
    await h3.until('online', 20_000, isOnline);
    const ssh = await h3.conn.ssh();
    const shells = await Promise.all(Array.from({ length: 3 }, () => ssh.shell({ term: 'xterm', rows: 24, cols: 80 })));
    const results = await Promise.all(Array.from({ length: 10 }, () => ssh.run('echo hi')));
    expect(results.map((r) => r.stdout.trim())).toEqual(Array(10).fill('hi'));
    expect(await h3.conn.docker.ping()).toBeTruthy();
    for (const shell of shells) shell.end('exit\n');
  });
});

describe('close()', () => {
  it('leaves no handle behind: a process using all transports exits by itself', async () => {
    const script = path.join(ROOT, 'main/engine/fixtures/connectAndClose.ts');
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script], {
      cwd: ROOT,
      timeout: 45_000,
    }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`${err.message}\n${err.stderr ?? ''}`);
    });
    expect(stdout.trim().split('\n').at(-1)).toBe('closed: h1=online h3=online h1-unix=online');
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
