// fleetdeck logs on the lab against the docker CLI: one container's stdout and stderr each on
// its own stream as docker logs gives them, --json against docker logs --timestamps, --tail,
// --since, --grep, a TTY container's raw lines, a service's 3 replicas on h1, h2 and h3 (SSH)
// merged by time, --follow until SIGINT, and the exit codes for an unknown container and bad usage.
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logTimeKey } from '../../shared/logs';
import { fleetdeckWith } from '../support/cli';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, ROOT } from '../support/lab';

const exec = promisify(execFile);
const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const TAG = `${process.pid}-${Date.now().toString(36)}`;
const BOTH = `fd-log-both-${TAG}`;
const TTY = `fd-log-tty-${TAG}`;
const SINCE = `fd-log-since-${TAG}`;
const FOLLOW = `fd-log-follow-${TAG}`;
const SERVICE = `fd-log-svc-${TAG}`;
const REPLICAS = [
  { host: 'h1', name: `fd-log-svc-1-${TAG}` },
  { host: 'h2', name: `fd-log-svc-2-${TAG}` },
  { host: 'h3', name: `fd-log-svc-3-${TAG}` },
];
const made: { host: string; name: string }[] = [];
/** When the SINCE container had written its early lines (at the latest). */
let earlyWritten = 0;
/**
 * --since's window: the late lines are written just before the CLI starts, which then may take
 * this long to open its view (tsx, connecting, settling) on a loaded lab; the early lines are
 * older than it by then.
 */
const SINCE_S = 15;
const dataDir = freshDataDir('cli-logs');
const fleetdeck = (...args: string[]) => fleetdeckWith({ FLEETDECK_DATA_DIR: dataDir }, '--fleet', lab().fleetFile, ...args);

/** Known lines on both streams: numbered, an empty one, non-ASCII, an ANSI colour. */
const BOTH_SCRIPT = 'for i in $(seq 1 40); do echo "out $i"; echo "err $i" >&2; done; echo; printf "é€ \\033[31mred\\033[0m\\n"; echo "last err" >&2; sleep 3600';

async function run(host: string, name: string, ...args: string[]): Promise<void> {
  made.push({ host, name });
  await dockerCli(host, 'run', '-d', '--name', name, '--no-healthcheck', ...args);
}

/** docker logs ARGS on the host, both of its streams. */
async function dockerLogs(host: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const { stdout, stderr } = await exec('bash', [path.join(ROOT, 'e2e/lab/lab.sh'), 'docker', host, 'logs', ...args], { maxBuffer: 64 << 20 });
  return { stdout, stderr };
}

const lines = (text: string) => text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');

async function until(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fleetdeck logs on the lab', () => {
  beforeAll(async () => {
    await Promise.all([
      run('h1', BOTH, IMAGE, 'sh', '-c', BOTH_SCRIPT),
      run('h1', TTY, '-t', IMAGE, 'sh', '-c', 'for i in 1 2 3; do echo "tty $i"; done; sleep 3600'),
      run('h1', SINCE, IMAGE, 'sh', '-c', 'echo early-1; echo early-2 >&2; sleep 3600'),
      run('h1', FOLLOW, IMAGE, 'sh', '-c', 'echo ready; sleep 3600'),
      ...REPLICAS.map(({ host, name }) => run(host, name, '--label', `com.example.service=${SERVICE}`, IMAGE, 'sh', '-c', `for i in $(seq 1 30); do echo "${name} $i"; sleep 0.1; done; sleep 3600`)),
    ]);
    earlyWritten = Date.now();
    // Every container has written what it writes at once.
    await until(async () => (await dockerLogs('h1', BOTH)).stderr.includes('last err'), 'the known lines');
    await until(async () => (await Promise.all(REPLICAS.map(({ host, name }) => dockerLogs(host, name)))).every((l) => l.stdout.includes(' 30\n')), 'the replicas');
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(made.map(({ host, name }) => dockerCli(host, 'rm', '-f', name)));
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('equals docker logs, stdout and stderr each on its own stream', async () => {
    const [ours, theirs] = await Promise.all([fleetdeck('logs', '--container', `h1/${BOTH}`), dockerLogs('h1', BOTH)]);
    expect(ours.code).toBe(0);
    expect(lines(ours.stdout)).toHaveLength(42);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.stdout).toContain('é€ \x1b[31mred\x1b[0m\n');
  }, 120_000);

  it('--json lines equal docker logs --timestamps: time and text, stream by stream', async () => {
    const [ours, theirs] = await Promise.all([fleetdeck('logs', '--container', `h1/${BOTH}`, '--json'), dockerLogs('h1', '--timestamps', BOTH)]);
    expect(ours.code).toBe(0);
    const json = lines(ours.stdout).map((l) => JSON.parse(l) as { time: string; host: string; container: string; stream: string; line: string });
    for (const entry of json) expect(entry).toMatchObject({ host: 'h1', container: BOTH });
    for (const stream of ['stdout', 'stderr'] as const) {
      const expected = lines(theirs[stream]).map((l) => ({ time: l.slice(0, l.indexOf(' ')), line: l.slice(l.indexOf(' ') + 1) }));
      expect(json.filter((e) => e.stream === stream).map(({ time, line }) => ({ time, line }))).toEqual(expected);
    }
  }, 120_000);

  it('--tail N gives the last N lines of each stream, as docker logs --tail does', async () => {
    const [ours, theirs] = await Promise.all([fleetdeck('logs', '--container', `h1/${BOTH}`, '--tail', '5'), dockerLogs('h1', '--tail', '5', BOTH)]);
    expect(ours.code).toBe(0);
    expect(lines(ours.stdout).length + lines(ours.stderr).length).toBe(5);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe(theirs.stderr);
  }, 120_000);

  it('--since gives only the lines written since', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, earlyWritten + (SINCE_S + 5) * 1000 - Date.now())));
    await dockerCli('h1', 'exec', SINCE, 'sh', '-c', 'echo late-1 > /proc/1/fd/1; echo late-2 > /proc/1/fd/2');
    const ours = await fleetdeck('logs', '--container', `h1/${SINCE}`, '--since', `${SINCE_S}s`);
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe('late-1\n');
    expect(ours.stderr).toBe('late-2\n');
    const all = await fleetdeck('logs', '--container', `h1/${SINCE}`);
    expect(all.stdout).toBe('early-1\nlate-1\n');
    expect(all.stderr).toBe('early-2\nlate-2\n');
  }, 120_000);

  it('--grep prints only matching lines, of either stream', async () => {
    const ours = await fleetdeck('logs', '--container', `h1/${BOTH}`, '--grep', '^(out|err) [0-9]*7$');
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe('out 7\nout 17\nout 27\nout 37\n');
    expect(ours.stderr).toBe('err 7\nerr 17\nerr 27\nerr 37\n');
  }, 120_000);

  it('gives a TTY container its raw lines, as docker logs does', async () => {
    const [ours, theirs] = await Promise.all([fleetdeck('logs', '--container', `h1/${TTY}`), dockerLogs('h1', TTY)]);
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe('tty 1\r\ntty 2\r\ntty 3\r\n');
    expect(ours.stdout).toBe(theirs.stdout);
  }, 120_000);

  it('--service merges 3 replicas on h1, h2 and h3 (SSH) by time', async () => {
    const ours = await fleetdeck('logs', '--service', SERVICE, '--json');
    expect(ours.code).toBe(0);
    const json = lines(ours.stdout).map((l) => JSON.parse(l) as { time: string; host: string; container: string; line: string });
    expect(json).toHaveLength(90);
    expect(new Set(json.map((e) => `${e.container}@${e.host}`))).toEqual(new Set(REPLICAS.map(({ host, name }) => `${name}@${host}`)));
    const keys = json.map((e) => logTimeKey(e.time));
    expect(keys).toEqual([...keys].sort());
    // The replicas wrote over the same 3 s: merged, they interleave (one after another would change host twice).
    expect(json.filter((e, i) => i > 0 && e.host !== json[i - 1]!.host).length).toBeGreaterThan(2);
    // Without --json each line is tagged with its replica.
    const text = await fleetdeck('logs', '--service', SERVICE, '--tail', '1');
    expect(lines(text.stdout).sort()).toEqual(REPLICAS.map(({ host, name }) => `${name}·${host} | ${name} 30`).sort());
  }, 120_000);

  it('--follow prints a line written after it started, then ends on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'main/cli/bin.mjs'), '--fleet', lab().fleetFile, 'logs', '--container', `h1/${FOLLOW}`, '--follow'], {
      cwd: ROOT,
      env: { ...process.env, FLEETDECK_DATA_DIR: dataDir },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => stdout.includes('ready\n'), 'the first line', 30_000);
      const marker = `after-${Date.now()}`;
      await dockerCli('h1', 'exec', FOLLOW, 'sh', '-c', `echo ${marker} > /proc/1/fd/1`);
      await until(() => stdout.includes(`${marker}\n`), 'the line written after the start');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toBe(`ready\n${marker}\n`);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);

  it('exits 1 with a clear message for an unknown container, 2 on bad usage', async () => {
    const unknown = await fleetdeck('logs', '--container', `h1/fd-log-nothing-${TAG}`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`fleetdeck: no container "fd-log-nothing-${TAG}" on h1`);
    const noService = await fleetdeck('logs', '--service', `fd-log-nothing-${TAG}`);
    expect(noService.code).toBe(1);
    expect(noService.stderr).toContain(`no container of service "fd-log-nothing-${TAG}"`);
    const bad = await fleetdeck('logs', '--container', 'h1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--container takes HOST/NAME');
  }, 120_000);
});
