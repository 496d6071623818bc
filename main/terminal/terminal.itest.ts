// Terminals against the real lab: container shells over TLS (h1) and SSH (h3), host shells,
// host key verification and trust, ssh-agent, and flow control under a `yes` flood.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { SerializeAddon } from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerCli, lab, labHost } from '../../e2e/support/lab';
import type { TerminalEvent, TerminalOpenResult, TerminalTarget } from '../../shared/terminal';
import type { Core } from '../core/index';
import { openFleet } from '../core/open';
import { hostKeyFingerprint, parseKnownHosts } from '../ssh/knownHosts';
import { BATCH_MAX_CHARS } from './dataBatcher';
import { SKIP_AHEAD } from './skipAhead';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const NO_SHELL_IMAGE = 'fleetdeck-test/no-shell:1';
const SIZE = { cols: 80, rows: 24 };
const RUN = Date.now().toString(36);
const run = promisify(execFile);
const { Terminal: HeadlessTerminal } = xtermHeadless;
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** RSS after a full collection, so garbage does not count as growth. */
const rss = () => (gc(), process.memoryUsage().rss);
/** What JavaScript holds after a full collection (heap, Buffers): unlike RSS, not what the allocator keeps for reuse. */
const held = () => {
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

let core: Core;
/** Throwaway containers, by host, removed at the end. */
const throwaway: { host: string; name: string }[] = [];
const tempFiles: string[] = [];

/** One session as a renderer would drive it: collects output (a bounded tail) and, unless told not to, acks it. */
class Term {
  tail = '';
  received = 0;
  /** The kind of every output event, in order. */
  readonly kinds: ('data' | 'snapshot')[] = [];
  exit: Extract<TerminalEvent, { t: 'exit' }> | undefined;
  acking: boolean;
  readonly unsubscribe: () => void;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly owner: Core,
    readonly id: string,
    options: { ack?: boolean } = {},
  ) {
    this.acking = options.ack ?? true;
    this.unsubscribe = owner.api.terminalOutput({ sessionId: id }, (event) => this.onEvent(event));
  }

  private onEvent(event: TerminalEvent): void {
    if (event.t === 'exit') this.exit = event;
    else {
      this.kinds.push(event.t);
      this.received += event.data.length;
      this.tail = (this.tail + event.data).slice(-256 * 1024);
      if (this.acking) void this.owner.api.terminalAck({ sessionId: this.id, chars: event.data.length });
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Acks everything received so far (for a session that was not acking). */
  ackAll(): void {
    const unacked = this.owner.terminals.stats(this.id).unacked;
    if (unacked > 0) void this.owner.api.terminalAck({ sessionId: this.id, chars: unacked });
  }

  type(text: string): Promise<void> {
    return this.owner.api.terminalInput({ sessionId: this.id, data: text });
  }

  async until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output tail: ${JSON.stringify(this.tail.slice(-300))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Waits for `text` to appear in the output after `from` (an offset in `received`). */
  waitFor(text: string, from = 0, timeoutMs = 10_000): Promise<void> {
    const found = () => {
      const start = Math.max(0, this.tail.length - (this.received - from));
      return this.tail.indexOf(text, start) >= 0;
    };
    return this.until(found, JSON.stringify(text), timeoutMs);
  }

  /** Runs a shell command whose marker line is computed by the shell, so the echoed input never matches. */
  async run(command: string, marker: string, timeoutMs?: number): Promise<void> {
    const from = this.received;
    await this.type(`${command}\r`);
    await this.waitFor(marker, from, timeoutMs);
  }

  waitExit(timeoutMs = 15_000): Promise<Extract<TerminalEvent, { t: 'exit' }>> {
    return this.until(() => this.exit !== undefined, 'the exit event', timeoutMs).then(() => this.exit!);
  }

  close(): Promise<void> {
    this.unsubscribe();
    return this.owner.api.terminalClose({ sessionId: this.id });
  }
}

/** What a renderer's xterm shows, kept by applying the stream as the renderer does (a snapshot: reset, then write). */
class RendererScreen {
  snapshots = 0;
  lastSnapshot = '';
  private readonly term = new HeadlessTerminal({ ...SIZE, scrollback: 10_000, allowProposedApi: true });
  private readonly serializer = new SerializeAddon();

  constructor() {
    this.term.loadAddon(this.serializer as unknown as Parameters<typeof this.term.loadAddon>[0]);
  }

  static of(data: string): RendererScreen {
    const screen = new RendererScreen();
    screen.term.write(data);
    return screen;
  }

  apply(event: TerminalEvent): void {
    if (event.t === 'exit') return;
    if (event.t === 'snapshot') {
      this.snapshots++;
      this.lastSnapshot = event.data;
      this.term.reset();
    }
    this.term.write(event.data);
  }

  /** Once written: the screen with the last 500 lines of scrollback (a snapshot carries up to SKIP_AHEAD.snapshotScrollback). */
  serialized(): Promise<string> {
    return new Promise((resolve) => this.term.write('', () => resolve(this.serializer.serialize({ scrollback: 500 }))));
  }
}

async function open(owner: Core, target: TerminalTarget, options: { ack?: boolean } = {}): Promise<Term> {
  const result = await owner.api.terminalOpen({ target, size: SIZE });
  if (!result.ok) throw new Error(`terminalOpen failed: ${result.reason}: ${result.message}`);
  return new Term(owner, result.sessionId, options);
}

async function containerId(host: string, name: string): Promise<string> {
  return (await dockerCli(host, 'inspect', '-f', '{{.Id}}', name)).trim();
}

async function startThrowaway(host: string, purpose: string, image = IMAGE, ...cmd: string[]): Promise<{ name: string; id: string }> {
  const name = `fd-term1-${purpose}-${RUN}`;
  throwaway.push({ host, name });
  await dockerCli(host, 'run', '-d', '--name', name, '--network', 'br0', image, ...cmd);
  return { name, id: await containerId(host, name) };
}

/** A fleet file beside the lab's (so its relative paths resolve) holding h1 only, with the given ssh block. */
function tempFleet(sshBlock: string): string {
  const file = path.join(lab().dir, `fd-term-fleet-${RUN}-${tempFiles.length}.yaml`);
  tempFiles.push(file);
  writeFileSync(
    file,
    [
      'hosts:',
      '  - name: h1',
      `    docker: ${labHost('h1').tcp}`,
      '    tls: { ca: pki/ca.pem, cert: pki/cert.pem, key: pki/key.pem }',
      `    ssh: ${sshBlock}`,
      '',
    ].join('\n'),
  );
  return file;
}

function tempPath(purpose: string): string {
  const file = path.join(lab().dir, `fd-term-${purpose}-${RUN}`);
  tempFiles.push(file);
  return file;
}

async function withCore<T>(fleetFile: string, body: (c: Core) => Promise<T>): Promise<T> {
  const { core: other } = await openFleet({ fleetFile, mode: 'browser' });
  try {
    return await body(other);
  } finally {
    await other.close();
  }
}

/** The fingerprints the lab's own known_hosts holds for a lab host. */
function labFingerprints(host: string): string[] {
  const entries = parseKnownHosts(readFileSync(path.join(lab().dir, 'known_hosts'), 'utf8'));
  return entries.filter((e) => e.hosts === labHost(host).ip).map((e) => hostKeyFingerprint(e.key));
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
  ({ core } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser' }));
  expect(await core.settled(10_000)).toEqual([]);
});

afterAll(async () => {
  await core?.close();
  await Promise.allSettled(throwaway.map(({ host, name }) => dockerCli(host, 'rm', '-f', name)));
  for (const file of tempFiles) rmSync(file, { recursive: true, force: true });
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUncaught);
  expect(unhandled).toEqual([]);
  expect(uncaught).toEqual([]);
});

describe.each(['h1', 'h3'])('container shell on %s', (host) => {
  let container: { name: string; id: string };
  beforeAll(async () => {
    container = await startThrowaway(host, `shell-${host}`);
  });

  it('runs what is typed: a file appears, as the docker CLI sees it', async () => {
    const term = await open(core, { kind: 'container', host, id: container.id });
    const file = `/tmp/fd-${RUN}-${host}`;
    await term.run(`touch ${file}; echo FD_$((40+2))_TOUCHED`, 'FD_42_TOUCHED');
    await dockerCli(host, 'exec', container.name, 'test', '-e', file); // throws unless the file exists
    await term.close();
  });

  it('applies the terminal size, and a resize, to the exec', async () => {
    const term = await open(core, { kind: 'container', host, id: container.id });
    await term.run('echo S$(stty size)E', 'S24 80E');
    await core.api.terminalResize({ sessionId: term.id, size: { cols: 100, rows: 30 } });
    await term.run('echo S$(stty size)E', 'S30 100E');
    await term.close();
  });

  it('reports the exit code of the shell', async () => {
    const term = await open(core, { kind: 'container', host, id: container.id });
    await term.type('exit 3\r');
    expect(await term.waitExit()).toEqual({ t: 'exit', code: 3, message: 'exited with code 3' });
    await term.close();
  });

  it('honours a custom command and user', async () => {
    const result = await core.api.terminalOpen({
      target: { kind: 'container', host, id: container.id, command: ['/bin/sh', '-c', 'echo U$(id -u)U; exit 0'], user: 'nobody' },
      size: SIZE,
    });
    expect(result).toMatchObject({ ok: true, command: "/bin/sh -c echo U$(id -u)U; exit 0" });
    const term = new Term(core, (result as Extract<TerminalOpenResult, { ok: true }>).sessionId);
    expect(await term.waitExit()).toMatchObject({ code: 0 });
    expect(term.tail).toContain('U65534U');
    await term.close();
  });

  it('closing a session hangs up what runs in it, and leaves no socket or channel busy', async () => {
    const connection = core.hosts.find((h) => h.spec.name === host)!;
    for (const command of ['sleep 1000', 'yes > /dev/null', 'yes']) {
      const term = await open(core, { kind: 'container', host, id: container.id });
      await term.run(`echo FD_$((7*7))_RUNNING; ${command}`, 'FD_49_RUNNING');
      await term.close();
    }
    const ps = await dockerCli(host, 'exec', container.name, 'ps', '-o', 'args');
    expect(ps).not.toMatch(/sleep 1000|yes|^\/bin\/sh$/m);
    if (host === 'h3') {
      const { open: busy, streams, idle } = (await connection.ssh()).channels;
      expect(busy - streams - idle).toBe(0); // every request channel is back in the pool
    }
  });

  it('ends the session cleanly when the container is stopped', async () => {
    const victim = await startThrowaway(host, `stop-${host}`);
    const term = await open(core, { kind: 'container', host, id: victim.id });
    await term.run('echo FD_$((1+1))_UP', 'FD_2_UP');
    await dockerCli(host, 'stop', '-t', '1', victim.name);
    const exit = await term.waitExit();
    expect(exit.message).toBe('the container stopped');
    await term.close();
    // …and a stopped container gets a clear refusal.
    expect(await core.api.terminalOpen({ target: { kind: 'container', host, id: victim.id }, size: SIZE })).toEqual({
      ok: false,
      reason: 'not-running',
      message: `${victim.name} is exited — start it first`,
    });
  });
});

describe('container shell refusals', () => {
  it('refuses a container with neither /bin/bash nor /bin/sh', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-noshell-'));
    try {
      // An image holding only a static busybox (named so it runs as the multi-call binary), copied out of the lab image.
      const source = `fd-term-bbsrc-${RUN}`;
      await dockerCli('h1', 'create', '--name', source, IMAGE);
      try {
        await dockerCli('h1', 'cp', `${source}:/bin/busybox`, path.join(dir, 'busybox'));
      } finally {
        await dockerCli('h1', 'rm', '-f', source);
      }
      await run('tar', ['-C', dir, '-cf', path.join(dir, 'image.tar'), 'busybox']);
      await dockerCli('h1', 'import', '--change', 'CMD ["/busybox","sleep","3600"]', path.join(dir, 'image.tar'), NO_SHELL_IMAGE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bare = await startThrowaway('h1', 'noshell', NO_SHELL_IMAGE);
    expect(await core.api.terminalOpen({ target: { kind: 'container', host: 'h1', id: bare.id }, size: SIZE })).toEqual({
      ok: false,
      reason: 'no-shell',
      message: `neither /bin/bash nor /bin/sh exists in ${bare.name}; give a command`,
    });
    // A command given explicitly still runs.
    const term = await open(core, { kind: 'container', host: 'h1', id: bare.id, command: ['/busybox', 'sh'] });
    await term.run('/busybox echo FD_$((2+3))_BB', 'FD_5_BB');
    await term.close();
    await dockerCli('h1', 'rm', '-f', bare.name);
    await dockerCli('h1', 'rmi', NO_SHELL_IMAGE);
  });
});

describe('host shell', () => {
  it('opens a shell on h1 over SSH that runs hostname', async () => {
    const term = await open(core, { kind: 'host', host: 'h1' });
    await term.run('echo H$(hostname)H', 'Hnode-h1H');
    await core.api.terminalResize({ sessionId: term.id, size: { cols: 120, rows: 40 } });
    await term.run('echo S$(stty size)E', 'S40 120E');
    await term.type('exit 5\r');
    expect(await term.waitExit()).toEqual({ t: 'exit', code: 5, message: 'exited with code 5' });
    await term.close();
  });

  it('shares h3’s held SSH connection with its docker traffic', async () => {
    const term = await open(core, { kind: 'host', host: 'h3' });
    await term.run('echo H$(hostname)H', 'Hnode-h3H');
    // Docker calls over the same connection still answer while the shell is open.
    const h3 = core.hosts.find((h) => h.spec.name === 'h3')!;
    await expect(h3.docker.listContainers()).resolves.toBeInstanceOf(Array);
    await term.close();
  });

  it('refuses a changed host key and opens no session', async () => {
    const knownHosts = tempPath('kh-changed');
    const fake = ssh2.utils.parseKey(ssh2.utils.generateKeyPairSync('ed25519').public);
    if (fake instanceof Error) throw fake;
    const fakeBlob = fake.getPublicSSH();
    writeFileSync(knownHosts, `${labHost('h1').ip} ssh-ed25519 ${fakeBlob.toString('base64')}\n`);
    const fleet = tempFleet(`{ user: root, identityFile: pki/id_ed25519, knownHosts: ${path.basename(knownHosts)} }`);
    await withCore(fleet, async (other) => {
      const result = await other.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size: SIZE });
      const real = labFingerprints('h1')[0]!;
      expect(result).toEqual({
        ok: false,
        reason: 'changed-host-key',
        hostKey: { host: 'h1', address: labHost('h1').ip, keyType: 'ssh-ed25519', fingerprint: real },
        message: `the host key of h1 (${labHost('h1').ip}) CHANGED — expected ${hostKeyFingerprint(fakeBlob)}, got ${real}; refusing: possible man-in-the-middle`,
      });
      expect(other.terminals.sessionIds).toEqual([]);
      // A changed key cannot be trusted through the prompt.
      expect(await other.api.trustHostKey({ host: 'h1', fingerprint: real })).toMatchObject({ ok: false });
    });
    expect(readFileSync(knownHosts, 'utf8')).not.toContain(labFingerprints('h1')[0]);
  });

  it('trusts an unknown host key only after the right fingerprint is confirmed', async () => {
    const knownHosts = path.join(tempPath('kh-dir'), 'known_hosts'); // neither the file nor its folder exists yet
    const fleet = tempFleet(`{ user: root, identityFile: pki/id_ed25519, knownHosts: ${path.relative(lab().dir, knownHosts)} }`);
    await withCore(fleet, async (other) => {
      const real = labFingerprints('h1')[0]!;
      const refused = await other.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size: SIZE });
      expect(refused).toMatchObject({
        ok: false,
        reason: 'unknown-host-key',
        hostKey: { host: 'h1', address: labHost('h1').ip, keyType: 'ssh-ed25519', fingerprint: real },
      });
      expect((refused as { message: string }).message).toContain(real);

      const wrong = `SHA256:${'A'.repeat(43)}`;
      expect(await other.api.trustHostKey({ host: 'h1', fingerprint: wrong })).toMatchObject({ ok: false });
      expect(existsSync(knownHosts)).toBe(false);

      expect(await other.api.trustHostKey({ host: 'h1', fingerprint: real })).toMatchObject({ ok: true });
      const lines = readFileSync(knownHosts, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${labHost('h1').ip.replace(/\./g, '\\.')} ssh-ed25519 `));
      expect(statSync(knownHosts).mode & 0o777).toBe(0o600);

      const term = await open(other, { kind: 'host', host: 'h1' });
      await term.run('echo H$(hostname)H', 'Hnode-h1H');
      await term.close();
    });
  });

  it('authenticates with ssh-agent when no identity file is given', async () => {
    const socket = path.join(mkdtempSync(path.join(os.tmpdir(), 'fd-agent-')), 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    const savedSock = process.env.SSH_AUTH_SOCK;
    try {
      const deadline = Date.now() + 5_000;
      while (!existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await run('ssh-add', [path.join(lab().dir, 'pki/id_ed25519')], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      process.env.SSH_AUTH_SOCK = socket;
      const fleet = tempFleet('{ user: root, knownHosts: known_hosts }');
      const { core: other, spec } = await openFleet({ fleetFile: fleet, mode: 'browser' });
      try {
        expect(spec.hosts[0]!.ssh).toMatchObject({ agentSocket: socket });
        expect(spec.hosts[0]!.ssh?.privateKey).toBeUndefined();
        const term = await open(other, { kind: 'host', host: 'h1' });
        await term.run('echo H$(hostname)H', 'Hnode-h1H');
        await term.close();
      } finally {
        await other.close();
      }
    } finally {
      if (savedSock === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = savedSock;
      agent.kill();
      rmSync(path.dirname(socket), { recursive: true, force: true });
    }
  });

  it('says so when a host has no SSH access configured', async () => {
    const file = path.join(lab().dir, `fd-term-fleet-nossh-${RUN}.yaml`);
    tempFiles.push(file);
    writeFileSync(file, `hosts:\n  - name: h1\n    docker: ${labHost('h1').tcp}\n    tls: { ca: pki/ca.pem, cert: pki/cert.pem, key: pki/key.pem }\n`);
    await withCore(file, async (other) => {
      expect(await other.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size: SIZE })).toMatchObject({ ok: false, reason: 'no-ssh' });
    });
  });
});

describe.each(['h1', 'h3'])('skip-ahead under a flood on %s', (host) => {
  it('a slowly acking renderer gets frames of the true screen in place of the flood; memory stays flat; the parser bounds what main holds; Ctrl-C returns the prompt and the scrollback', async () => {
    const container = await startThrowaway(host, `flood-${host}`);
    const term = await open(core, { kind: 'container', host, id: container.id }, { ack: false });
    const screen = new RendererScreen();
    const off = core.api.terminalOutput({ sessionId: term.id }, (event) => screen.apply(event));
    await term.until(() => term.received > 0, 'the prompt');
    term.ackAll();
    // A renderer far slower than the flood: it acks what it has every 200 ms.
    const slowAcks = setInterval(() => term.ackAll(), 200);
    const stats = () => core.terminals.stats(term.id);
    const snapshotsSeen = () => screen.snapshots;
    try {
      const cpuStart = process.cpuUsage();
      const rssStart = rss();
      const floodStart = Date.now();
      await term.type('yes\r');
      await term.until(() => snapshotsSeen() >= 3, 'three snapshots', 20_000);
      await new Promise((r) => setTimeout(r, 2_000));
      const rssSteady = rss();
      const heldSteady = held();
      const steady = stats();
      // What main holds for the session, sampled over 5 s: output owed an ack, and bytes not yet parsed.
      let maxUnacked = 0;
      let maxPending = 0;
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        maxUnacked = Math.max(maxUnacked, stats().unacked);
        maxPending = Math.max(maxPending, stats().parserPending);
      }
      const rssAfter = rss();
      const heldAfter = held();
      const cpu = process.cpuUsage(cpuStart);
      const flooded = stats();
      const seconds = (Date.now() - floodStart) / 1000;
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
      console.log(
        `flood ${host}: ${screen.snapshots} snapshots, skips ${flooded.skips}, skipped ${mb(flooded.skippedChars)}, sent ${mb(flooded.sentChars)}; ` +
          `source pauses ${flooded.pauses} (parser behind), unacked max ${maxUnacked}, parser pending max ${maxPending}, elided ${mb(flooded.parserElided)}; RSS growth ${mb(rssAfter - rssStart)} (over the last 5 s ${mb(rssAfter - rssSteady)}, held ${mb(heldAfter - heldSteady)}); ` +
          `main CPU ${((cpu.user + cpu.system) / 1e3).toFixed(0)} ms over ${seconds.toFixed(1)} s of flood (${((cpu.user + cpu.system) / 1e4 / seconds).toFixed(0)} % of a core)`,
      );
      expect(flooded.skips).toBeGreaterThan(0);
      expect(flooded.skippedChars).toBeGreaterThan(steady.skippedChars); // still skipping, not stalled
      expect(flooded.skippedChars).toBeGreaterThan(flooded.sentChars); // most of the flood never reaches the renderer
      // While the flood goes on, snapshots are frames: the screen alone.
      expect(screen.lastSnapshot.split('y\r\n').length - 1).toBeLessThanOrEqual(SIZE.rows);
      // Bounded: the renderer is owed at most SKIP_ABOVE, the batch that crossed it and a snapshot ...
      expect(maxUnacked).toBeLessThanOrEqual(SKIP_AHEAD.skipAbove + 2 * BATCH_MAX_CHARS);
      // ... and the parser, not the renderer, bounds what main holds: what it has not parsed stays
      // under parserHigh (past it by what one read brought; a TLS or SSH read is at most 64 KiB).
      // (Plain lines that later ones scroll away are left unparsed when it falls behind: printed.)
      expect(maxPending).toBeLessThanOrEqual(SKIP_AHEAD.parserHigh + 64 * 1024);
      // Printed, not asserted over 5 s: with the flood churning through the mirror's 10,000 lines
      // (and this test's copy of the renderer's), the heap swings by ±13 MB between samples.
      expect(rssAfter - rssStart).toBeLessThan(100e6);

      const ctrlC = Date.now();
      await term.type('\x03');
      await term.run('echo FD_$((6*7))_PROMPT', 'FD_42_PROMPT', 20_000);
      console.log(`flood ${host}: Ctrl-C to prompt ${Date.now() - ctrlC} ms`);
      // What a renderer shows after applying every event (a snapshot still due included) equals main's mirror.
      for (let i = 0; i < 3; i++) {
        term.ackAll();
        await new Promise((r) => setTimeout(r, 300));
      }
      const truth = await core.api.terminalScreen({ sessionId: term.id });
      expect(await screen.serialized()).toBe(await RendererScreen.of(truth.data).serialized());
      // Once it calmed, the full snapshot: the flood's last lines, a scrollback's worth of them.
      expect(screen.lastSnapshot.split('y\r\n').length - 1).toBeGreaterThan(SKIP_AHEAD.snapshotScrollback / 2);
    } finally {
      clearInterval(slowAcks);
      off();
    }
    await term.close();
  });
});

describe('service', () => {
  it('holds output produced before the first subscriber, and serves several subscribers', async () => {
    const container = await startThrowaway('h1', 'held');
    const result = await core.api.terminalOpen({ target: { kind: 'container', host: 'h1', id: container.id }, size: SIZE });
    if (!result.ok) throw new Error(result.message);
    const id = result.sessionId;
    await core.api.terminalInput({ sessionId: id, data: 'echo FD_$((3*3))_HELD\r' });
    await new Promise((r) => setTimeout(r, 1_000));
    const first = new Term(core, id);
    await first.waitFor('FD_9_HELD'); // replayed on subscribing
    const second = new Term(core, id, { ack: false });
    await first.run('echo FD_$((4*4))_BOTH', 'FD_16_BOTH');
    await second.waitFor('FD_16_BOTH');
    expect(second.tail).not.toContain('FD_9_HELD');
    await second.close();
    await first.close();
    expect(core.terminals.sessionIds).not.toContain(id);
  });

  it('holds a flood nobody subscribes to, bounded, and hands it to the first subscriber', async () => {
    const container = await startThrowaway('h1', 'unsubscribed');
    const result = await core.api.terminalOpen({ target: { kind: 'container', host: 'h1', id: container.id }, size: SIZE });
    if (!result.ok) throw new Error(result.message);
    const id = result.sessionId;
    await core.api.terminalInput({ sessionId: id, data: 'yes\r' });
    const deadline = Date.now() + 10_000;
    while (core.terminals.stats(id).skips === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Main's cost of a flood nobody watches: its mirror parsing it (and skipping it), nothing else.
    const cpuStart = process.cpuUsage();
    const skippedStart = core.terminals.stats(id).skippedChars;
    await new Promise((r) => setTimeout(r, 3_000));
    const cpu = process.cpuUsage(cpuStart);
    const held = core.terminals.stats(id);
    console.log(
      `unwatched flood h1: main CPU ${((cpu.user + cpu.system) / 3e4).toFixed(0)} % of a core over 3 s, parsing ${((held.skippedChars - skippedStart) / 3e6).toFixed(1)} MB/s; ` +
        `source pauses ${held.pauses} (parser behind)`,
    );
    expect(held.skips).toBe(1);
    expect(held.skippedChars).toBeGreaterThan(0);
    expect(held.unacked).toBe(0); // what was held is superseded by the snapshot the first subscriber gets
    const term = new Term(core, id); // acks what it is handed: raw output resumes
    await term.until(() => term.kinds.length > 0, 'the snapshot');
    expect(term.kinds[0]).toBe('snapshot');
    // Under the flood, output read while the parser caught up is more than SKIP_ABOVE: it may come as more snapshots.
    await term.until(() => term.kinds.length > 2, 'output after the first subscriber acked the snapshot');
    await term.type('\x03');
    await term.run('echo FD_$((8*8))_STOPPED', 'FD_64_STOPPED', 20_000);
    await term.close();
  });

  it('does not stall when the only subscriber left without acking (a bridge reconnecting)', async () => {
    const container = await startThrowaway('h1', 'reconnect');
    const gone = await open(core, { kind: 'container', host: 'h1', id: container.id }, { ack: false });
    await gone.type('yes\r');
    await gone.until(() => core.terminals.stats(gone.id).skips > 0, 'a skip');
    gone.unsubscribe(); // the subscriber vanishes, its output unacked
    const back = new Term(core, gone.id);
    await back.until(() => back.kinds.length > 2, 'output (snapshots, then data or more snapshots) to flow to the new subscriber');
    expect(back.kinds[0]).toBe('snapshot');
    await back.type('\x03');
    await back.run('echo FD_$((9*9))_BACK', 'FD_81_BACK', 20_000);
    await back.close();
  });

  it('ends every session on close', async () => {
    const fleet = tempFleet('{ user: root, identityFile: pki/id_ed25519, knownHosts: known_hosts }');
    const container = await startThrowaway('h1', 'close');
    const { core: other } = await openFleet({ fleetFile: fleet, mode: 'browser' });
    expect(await other.settled(10_000)).toEqual([]);
    const a = await open(other, { kind: 'container', host: 'h1', id: container.id });
    const b = await open(other, { kind: 'host', host: 'h1' });
    await a.run('echo FD_$((5+5))_A', 'FD_10_A');
    await b.run('echo FD_$((5+6))_B', 'FD_11_B');
    await other.close();
    expect(other.terminals.sessionIds).toEqual([]);
    expect(await other.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size: SIZE })).toMatchObject({ ok: false });
  });
});

describe('sessions nobody watches', () => {
  it('are closed after the orphan timeout, while watched ones stay', async () => {
    const { core: short } = await openFleet({ fleetFile: lab().fleetFile, mode: 'browser', terminalOrphanTimeoutMs: 500 });
    try {
      expect(await short.settled(10_000)).toEqual([]);
      const size = { cols: 80, rows: 24 };
      const left = await short.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size });
      const watched = await short.api.terminalOpen({ target: { kind: 'host', host: 'h1' }, size });
      if (!left.ok || !watched.ok) throw new Error('host shells on h1 did not open');
      short.api.terminalOutput({ sessionId: left.sessionId }, () => {})(); // the page went away
      short.api.terminalOutput({ sessionId: watched.sessionId }, () => {});
      await expect.poll(() => short.terminals.sessionIds, { timeout: 5_000 }).not.toContain(left.sessionId);
      expect(short.terminals.sessionIds).toContain(watched.sessionId);
    } finally {
      await short.close();
    }
  });
});
