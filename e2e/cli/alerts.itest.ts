// fleetdeck alerts on the lab, with two `fleetdeck alerts --watch --json` processes running on one
// data directory (as a console and a CLI would be): a docker kill raises exactly one die with its
// exit code, in both; a restart through the action path (another process: `fleetdeck restart`)
// raises none; an unhealthy container raises unhealthy; an OOM kill (16 MiB limit, the lab's
// cgroups enforce it) raises one oom with exit code 137 and no die; a restart policy's loop one
// restart-loop; then `fleetdeck alerts --json`, a new process, lists them. A third watch runs a fleet
// file's alerts: rules (memory-near-limit from the sampler, a muted service); a fourth watches h1
// through a unix-socket proxy the test closes and reopens (host-offline, host-back) without
// stopping any dockerd. Throwaway fd-alert-* containers on h1, and a data directory of its own.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, ROOT, variantFleet } from '../support/lab';

const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const TAG = `${process.pid}-${Date.now().toString(36)}`;
const SERVICE = 'alert-probe';
const KILLED = `fd-alert-kill-${TAG}`;
const RESTARTED = `fd-alert-restart-${TAG}`;
const SICK = `fd-alert-sick-${TAG}`;
const OOM = `fd-alert-oom-${TAG}`;
const LOOPING = `fd-alert-loop-${TAG}`;
const HUNGRY = `fd-alert-mem-${TAG}`;
const MUTED = `fd-alert-muted-${TAG}`;
const LOUD = `fd-alert-loud-${TAG}`;
const dataDir = freshDataDir('cli-alerts');
const env = { FLEETDECK_DATA_DIR: dataDir };
const fleetdeck = (...args: string[]) => fleetdeckWith(env, '--fleet', lab().fleetFile, ...args);

interface AlertLine {
  time: string;
  kind: string;
  host: string;
  container?: string;
  service?: string;
  exitCode?: number;
  message: string;
}

interface Watch {
  child: ChildProcessWithoutNullStreams;
  lines: AlertLine[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function watch(fleetFile = lab().fleetFile): Watch {
  // The bin script itself, not npx: SIGINT reaches fleetdeck, not npm.
  const child = spawn(process.execPath, [path.join(ROOT, 'main/cli/bin.mjs'), '--fleet', fleetFile, 'alerts', '--watch', '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
  const lines: AlertLine[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const p of parts) lines.push(JSON.parse(p) as AlertLine);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => stderr, exited };
}

/** Waits for `done` with a deadline (hooks cannot use expect.poll). */
async function until(done: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ours = (lines: AlertLine[]) => lines.filter((l) => l.container?.startsWith('fd-alert-') && l.container.endsWith(TAG));
const of = (lines: AlertLine[], container: string) => lines.filter((l) => l.container === container);
// RESTARTED ends on SIGTERM (sleep as PID 1 would ignore it: a restart would wait out the 10 s grace).
const run = (name: string, ...args: string[]) => dockerCli('h1', 'run', '-d', '--name', name, '--label', `com.example.service=${SERVICE}`, ...args);
// Starting takes a few seconds (tsx, three hosts), more on a lab shared by several test runs.
const waitStarted = (w: Watch) => until(() => w.stderr().includes('for alerts (Ctrl-C stops)'), () => `the watch to start (stderr: ${w.stderr()})`, 60_000);

// The fleet file's alerts: rules on a copy of the lab's: memory-near-limit at 25 % from the first
// sample, and a muted service.
const rulesFleet = variantFleet((t) => `${t}alerts:\n  memory-near-limit: { percent: 25, for: 0s }\n  mute: { services: [alert-muted] }\n`);

describe('fleetdeck alerts on the lab', () => {
  const watches: Watch[] = [];

  beforeAll(async () => {
    await Promise.all([run(KILLED, '--no-healthcheck', IMAGE, 'sleep', '3600'), run(RESTARTED, '--no-healthcheck', IMAGE, 'sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait')]);
    watches.push(watch(), watch());
    for (const w of watches) await waitStarted(w);
  }, 150_000);

  afterAll(async () => {
    for (const w of watches) w.child.kill('SIGKILL');
    await dockerCli('h1', 'rm', '-f', KILLED, RESTARTED, SICK, OOM, LOOPING, HUNGRY, MUTED, LOUD).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rulesFleet, { force: true });
  });

  it('a restart through the action path raises nothing; a docker kill raises exactly one die, with its exit code, in each watch', async () => {
    const restart = await fleetdeck('restart', '--container', `h1/${RESTARTED}`);
    expect(restart).toMatchObject({ code: 0, stdout: `Restarted ${RESTARTED} on h1\n` });
    await dockerCli('h1', 'kill', KILLED);
    for (const w of watches) await expect.poll(() => of(w.lines, KILLED).length, { timeout: 30_000, interval: 100 }).toBe(1);
    // The restart's die came before the kill's and was decided first: had it raised, it would show by now.
    for (const w of watches) {
      expect(ours(w.lines)).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), kind: 'die', host: 'h1', container: KILLED, service: SERVICE, exitCode: 137, message: `${KILLED} on h1 exited with code 137; no action of ours stopped it` }]);
    }
  }, 90_000);

  it('an unhealthy container raises unhealthy', async () => {
    await run(SICK, '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1', IMAGE, 'sleep', '3600');
    for (const w of watches) await expect.poll(() => of(w.lines, SICK), { timeout: 30_000, interval: 100 }).toEqual([expect.objectContaining({ kind: 'unhealthy', host: 'h1', service: SERVICE, message: `${SICK} on h1 is unhealthy (its health check failed)` })]);
  }, 90_000);

  it('an OOM kill raises one oom with exit code 137, and no die', async () => {
    await run(OOM, '--memory', '16m', '--memory-swap', '16m', '--no-healthcheck', IMAGE, 'sh', '-c', 'sleep 1; tail /dev/zero');
    for (const w of watches) await expect.poll(() => of(w.lines, OOM).length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
    expect((await dockerCli('h1', 'inspect', '--format', '{{.State.OOMKilled}} {{.State.ExitCode}}', OOM)).trim()).toBe('true 137');
    // Another alert after it shows the oom's decision (and its die's) is over: the die was folded into it.
    await dockerCli('h1', 'kill', RESTARTED);
    for (const w of watches) {
      await expect.poll(() => of(w.lines, RESTARTED).length, { timeout: 30_000, interval: 100 }).toBe(1);
      expect(of(w.lines, OOM)).toEqual([expect.objectContaining({ kind: 'oom', host: 'h1', service: SERVICE, exitCode: 137, message: `${OOM} on h1 was killed for lack of memory (exit code 137)` })]);
    }
  }, 90_000);

  it('a restart policy restarting a crashing container more than 3 times raises one restart-loop; its dies fall under the cooldown', async () => {
    // dockerd restarts it after 100 ms, 200 ms, 400 ms, …: the 4th restart comes ~6 s after the start.
    await run(LOOPING, '--restart', 'always', '--no-healthcheck', IMAGE, 'sh', '-c', 'sleep 1; exit 3');
    for (const w of watches) await expect.poll(() => of(w.lines, LOOPING).map((l) => l.kind), { timeout: 30_000, interval: 100 }).toEqual(['die', 'restart-loop']);
    expect(of(watches[0]!.lines, LOOPING)[1]).toMatchObject({ exitCode: 3, service: SERVICE, message: `${LOOPING} on h1 restarted 4 times in 5 min (more than 3)` });
    await dockerCli('h1', 'update', '--restart', 'no', LOOPING);
  }, 90_000);

  it('fleetdeck alerts --json, a new process, lists them from the data directory; the watches end on SIGINT with 0', async () => {
    const listed = await fleetdeckWith(env, 'alerts', '--json');
    expect(listed.code).toBe(0);
    const alerts = ours(listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as AlertLine));
    expect(alerts.map((a) => [a.kind, a.container, a.exitCode])).toEqual([
      ['die', KILLED, 137],
      ['unhealthy', SICK, undefined],
      ['oom', OOM, 137],
      ['die', RESTARTED, 137],
      ['die', LOOPING, 3],
      ['restart-loop', LOOPING, 3],
    ]);
    expect(alerts).toEqual(ours(watches[0]!.lines));
    const recent = await fleetdeckWith(env, 'alerts', '--since', '0s', '--json');
    expect(recent).toMatchObject({ code: 0, stdout: '' });
    for (const w of watches) w.child.kill('SIGINT');
    for (const w of watches) expect(await w.exited).toBe(0);
  }, 90_000);

  it('with the fleet file’s rules: memory at 25 % of the limit raises memory-near-limit from the sampler; a muted service raises nothing', async () => {
    const w = watch(rulesFleet);
    watches.push(w);
    await waitStarted(w);
    // ~20 MB held in a shell variable under a 64 MiB limit: ~31 %, as docker stats shows it.
    await run(HUNGRY, '--memory', '64m', '--no-healthcheck', IMAGE, 'sh', '-c', 'x=$(head -c 20000000 /dev/zero | tr "\\0" a); sleep 3600; echo ${#x}');
    await expect.poll(() => of(w.lines, HUNGRY), { timeout: 30_000, interval: 100 }).toEqual([expect.objectContaining({ kind: 'memory-near-limit', host: 'h1', service: SERVICE, message: expect.stringMatching(new RegExp(`^${HUNGRY} on h1 has used 3\\d % of its memory limit \\(\\d+ MiB of 64 MiB\\) for 0 s$`)) })]);
    await Promise.all([
      dockerCli('h1', 'run', '-d', '--name', MUTED, '--label', 'com.example.service=alert-muted', '--no-healthcheck', IMAGE, 'sleep', '3600'),
      run(LOUD, '--no-healthcheck', IMAGE, 'sleep', '3600'),
    ]);
    await dockerCli('h1', 'kill', MUTED);
    await dockerCli('h1', 'kill', LOUD);
    await expect.poll(() => of(w.lines, LOUD).length, { timeout: 30_000, interval: 100 }).toBe(1);
    expect(of(w.lines, MUTED)).toEqual([]);
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(0);
  }, 120_000);

  it('a host that goes away raises host-offline, and host-back when it answers again (a proxy to h1’s socket is closed, no dockerd is stopped)', async () => {
    const proxyPath = path.join(dataDir, 'h1-proxy.sock');
    const conns = new Set<net.Socket>();
    const listen = () =>
      new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer((client) => {
          const upstream = net.connect(lab().hosts.find((h) => h.name === 'h1')!.socket);
          for (const s of [client, upstream]) {
            conns.add(s);
            s.on('close', () => conns.delete(s));
            s.on('error', () => s.destroy());
          }
          client.pipe(upstream).pipe(client);
        });
        server.once('error', reject);
        server.listen(proxyPath, () => resolve(server));
      });
    let proxy = await listen();
    const fleet = variantFleet(() => `hosts:\n  - name: px\n    docker: unix://${proxyPath}\n`);
    const w = watch(fleet);
    watches.push(w);
    try {
      await waitStarted(w);
      const closed = new Promise((r) => proxy.close(r));
      conns.forEach((c) => c.destroy());
      await closed;
      await expect.poll(() => w.lines.filter((l) => l.host === 'px').map((l) => l.kind), { timeout: 30_000, interval: 100 }).toEqual(['host-offline']);
      proxy = await listen();
      await expect.poll(() => w.lines.filter((l) => l.host === 'px').map((l) => l.kind), { timeout: 60_000, interval: 100 }).toEqual(['host-offline', 'host-back']);
      expect(w.lines.find((l) => l.kind === 'host-offline')).toMatchObject({ host: 'px', message: expect.stringMatching(/^px is (offline|error): /) });
      expect(w.lines.find((l) => l.kind === 'host-back')!.message).toMatch(/^px is back online after \d+ s$/);
      w.child.kill('SIGINT');
      expect(await w.exited).toBe(0);
    } finally {
      if (proxy.listening) proxy.close();
      conns.forEach((c) => c.destroy());
      rmSync(fleet, { force: true });
    }
  }, 150_000);
});
