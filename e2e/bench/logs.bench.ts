// Benchmark: logs through the real UI path — Chromium → the console in browser mode (its own
// process, as `npm start -- --browser` runs it) → dockerd over TLS (h1) and SSH (h3) — against the
// docker CLI on the same container, in the same run. `npm run bench:logs`.
//  (a) A container holding 100,000 lines: the log view with tail 100000, to the first rendered
//      lines and to all lines loaded, against `docker logs --tail 100000 > /dev/null` (median of 3).
//  (b) A container flooding its log for 30 s, followed by the log view: the console's RSS growth,
//      the renderer's frame p95, and dockerd's RSS growth, against the same flood followed by
//      `docker logs -f > /dev/null`.
// BENCH_HOSTS=h1,h3 (default), FLOOD_S=30, BENCH_PART=ab; BENCH_PROFILE=1 prints the renderer's
// heaviest functions (self time, a CDP CPU profile) over each tail load.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { ensureRendererBuilt } from '../../main/launch/rendererBuild';
import { openFleet } from '../../main/core/open';
import type { Core } from '../../main/core/index';
import { LOG_LIMITS, logLineChars } from '../../shared/logs';
import { FleetPage } from '../pages/fleetPage';
import { LogsPage } from '../pages/logsPage';
import { launchChromium } from '../support/browser';
import { startConsole } from '../support/console';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, labSshShim, ROOT } from '../support/lab';
import { rendererProfile } from './rendererProfile';

const exec = promisify(execFile);
const MB = 1 << 20;
const HOSTS = (process.env.BENCH_HOSTS ?? 'h1,h3').split(',');
const PART = process.env.BENCH_PART ?? 'ab';
const FLOOD_S = Number(process.env.FLOOD_S ?? 30);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Functions the profile summary lists. */
const PROFILE_TOP = 15;
const TAIL = 100_000;
const CLI_RUNS = 3;
const IMAGE = '198.18.0.1:5000/lab/app:1.0';
const RUN = process.pid.toString(36);
/** ~100 bytes a line, as a web server's access log. */
const TAIL_LINE = 'fd-logbench line %d GET /api/v1/items?page=%d 200 0.004s \\"Mozilla/5.0 (X11; Linux x86_64)\\"';
const FLOOD_LINE = 'fd-logbench flood 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789';
/** The flood's log file stays bounded on disk: dockerd writes ~100 MB/s of it. */
const FLOOD_LOG_OPTS = ['--log-opt', 'max-size=64m', '--log-opt', 'max-file=2'];
/** How often RSS is sampled; the figures are the peak growth over the start. */
const RSS_EVERY_MS = 250;
/** Frames of the page at rest before a flood, for what headless Chromium's frame clock gives. */
const IDLE_S = 5;

const { dir, fleetFile, hosts } = lab();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (cli: number, ours: number) => `${(cli / ours).toFixed(2)}×`;

/** The docker CLI over the host's own transport: TLS, or ssh:// with the lab's key and known_hosts. */
function cliOver(host: string): string {
  const target = hosts.find((h) => h.name === host)!;
  return target.tcp
    ? `docker -H ${target.tcp} --tlsverify --tlscacert ${dir}/pki/ca.pem --tlscert ${dir}/pki/cert.pem --tlskey ${dir}/pki/key.pem`
    : `PATH=${labSshShim()}:$PATH docker -H ssh://${target.ssh}`;
}
const LAB_DOCKER = (host: string) => `bash ${path.join(ROOT, 'e2e/lab/lab.sh')} docker ${host}`;
const transportOf = (host: string) => (hosts.find((h) => h.name === host)!.tcp ? 'TLS' : 'SSH');

async function timed(command: string): Promise<number> {
  const start = performance.now();
  await exec('sh', ['-c', command], { maxBuffer: 1 << 20 });
  return performance.now() - start;
}

async function medianOf(command: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) runs.push(await timed(command));
  return median(runs);
}

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS until stopped; gives its start and its peak. */
function watchRss(pid: number) {
  const start = rssBytes(pid);
  let peak = start;
  let lost: unknown;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch (err) {
      lost = err; // the process is gone: stop() says so
      clearInterval(timer);
    }
  }, RSS_EVERY_MS);
  return {
    stop: () => {
      clearInterval(timer);
      if (lost) throw new Error(`pid ${pid} went away while watched: ${String(lost)}`);
      peak = Math.max(peak, rssBytes(pid));
      return { start, growth: peak - start };
    },
  };
}

/** The lab dockerd of `host`, by its pid file, checked to be a dockerd. */
function dockerdPid(host: string): number {
  const pid = Number(readFileSync(path.join(dir, host, 'dockerd.pid'), 'utf8').trim());
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm !== 'dockerd') throw new Error(`${host}'s dockerd.pid names ${comm} (${pid})`);
  return pid;
}

/** The console's main process: whoever listens on its port (tsx runs the script in a child). */
async function listenerPid(port: number): Promise<number> {
  const { stdout } = await exec('ss', ['-tlnpH', `sport = :${port}`]);
  const match = /pid=(\d+)/.exec(stdout);
  if (!match) throw new Error(`nobody listens on ${port}: ${stdout}`);
  return Number(match[1]);
}

async function startContainer(host: string, name: string, script: string, extra: string[] = []): Promise<void> {
  await dockerCli(host, 'run', '-d', '--name', name, '--no-healthcheck', ...extra, IMAGE, 'sh', '-c', script);
}

/** Waits until the container's last log line matches. */
async function waitForLastLine(host: string, name: string, pattern: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(await dockerCli(host, 'logs', '--tail', '1', name))) {
    if (Date.now() > deadline) throw new Error(`${name} never printed ${pattern}`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------- the page

/** A container's log view: its title (the tab, the pane) and the role=log element's name. */
const logTitle = (name: string, host: string) => `${name} on ${host}`;
const logLabel = (name: string, host: string) => `Logs: ${logTitle(name, host)}`;
/** In-page code finding the log view named `label`. */
const findLog = (label: string) => `[...document.querySelectorAll('[role="log"]')].find((el) => el.getAttribute('aria-label') === ${JSON.stringify(label)})`;

/** Waits until the log view holds `lines` lines (page.evaluate: the page's CSP forbids waitForFunction's eval). */
async function waitForLines(page: Page, label: string, lines: number, timeoutMs = 120_000): Promise<void> {
  const held = await page.evaluate(`(async () => {
    const end = performance.now() + ${timeoutMs};
    const count = () => Number(${findLog(label)}?.getAttribute('data-lines') ?? 0);
    while (count() < ${lines} && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
    return count();
  })()`);
  if ((held as number) < lines) throw new Error(`${label} holds ${String(held)} lines after ${timeoutMs} ms, not ${lines}`);
}

/** Opens the view anew with another tail, with its Tail control. */
async function setTail(page: Page, title: string, tail: number): Promise<void> {
  await page.getByRole('region', { name: title, exact: true }).getByRole('combobox', { name: 'Tail', exact: true }).selectOption(String(tail));
}

async function closeLogView(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `Close the logs of ${title}`, exact: true }).click();
}

/** Opens a container's log view from the grid (key `l`), as a user does. */
async function openLogView(page: Page, name: string): Promise<void> {
  await page.getByRole('tablist', { name: 'Main view' }).getByRole('tab', { name: 'Containers', exact: true }).click();
  await new LogsPage(page).openContainer(new FleetPage(page), name);
}

/**
 * Watches, in the page and once a frame, the log view named `label` (its data-lines and
 * data-state) from now on: `firstMs` is the first frame at which it shows lines of a new load
 * (its line count or state changed from what it was, and it holds lines), `allMs` the first at
 * which it holds `lines`. Page time since the watch started. A string, not a function: tsx would
 * inject its own helpers into a serialised function.
 */
function watchLogView(page: Page, label: string, lines: number): Promise<{ firstMs: number; allMs: number }> {
  return page.evaluate(`(async () => {
    const find = () => ${findLog(label)};
    const read = () => { const el = find(); return { lines: Number(el?.getAttribute('data-lines') ?? -1), state: el?.getAttribute('data-state') ?? 'absent' }; };
    const before = read();
    const t0 = performance.now();
    let changed = false;
    let firstMs;
    return await new Promise((resolve) => {
      const frame = () => {
        const now = read();
        changed ||= now.lines !== before.lines || now.state !== before.state;
        if (changed && firstMs === undefined && now.lines > 0) firstMs = performance.now() - t0;
        if (firstMs !== undefined && now.lines >= ${lines}) return resolve({ firstMs, allMs: performance.now() - t0 });
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  })()`);
}

/** requestAnimationFrame deltas over `seconds`, in the page. */
function frameDeltas(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(`(async () => {
    const deltas = [];
    let last = performance.now();
    const end = last + ${seconds * 1000};
    await new Promise((done) => {
      const step = (now) => { deltas.push(now - last); last = now; if (now < end) requestAnimationFrame(step); else done(); };
      requestAnimationFrame(step);
    });
    return deltas.slice(2);
  })()`);
}

/**
 * Main alone, for where the time goes: a core in this process opens the same tail (not following)
 * and acks each batch at once, with no bridge and no renderer.
 */
async function mainAlone(core: Core, host: string, name: string): Promise<number> {
  const id = (await dockerCli(host, 'inspect', '-f', '{{.Id}}', name)).trim();
  const start = performance.now();
  const opened = await core.api.logsOpen({ sources: [{ host, id }], tail: TAIL, follow: false });
  if (!opened.ok) throw new Error(`logsOpen ${name}: ${opened.message}`);
  const { viewId } = opened;
  let received = 0;
  await new Promise<void>((resolve) => {
    const unsubscribe = core.api.logEvents({ viewId }, (event) => {
      if (event.t !== 'lines') return;
      received += event.lines.length;
      void core.api.logsAck({ viewId, chars: event.lines.reduce((sum, l) => sum + logLineChars(l), 0) });
      if (received >= TAIL) {
        unsubscribe();
        resolve();
      }
    });
  });
  const elapsed = performance.now() - start;
  await core.api.logsClose({ viewId });
  return elapsed;
}

/** A CDP CPU profile of the page while `run` runs, with BENCH_PROFILE=1. */
function profiled<T>(page: Page, run: () => Promise<T>): Promise<T> {
  return PROFILE ? rendererProfile(page, run, PROFILE_TOP) : run();
}

// ---------------------------------------------------------------- the run

interface TailFigures {
  host: string;
  cliUnix: number;
  cliTransport: number;
  first: number;
  all: number;
  alone: number;
}
interface FloodFigures {
  host: string;
  mainGrowth: number;
  frameP95: number;
  frames: number;
  idleP95: number;
  dockerdOurs: number;
  dockerdCli: number;
}

await ensureRendererBuilt((m) => console.log(m));
const dataDir = freshDataDir('logbench');
// The in-process core gets a data directory of its own: two processes on one directory race on
// the IP map's MAC history (ipmap/macs.json.tmp, renamed by both), which kills one of them.
const coreDataDir = freshDataDir('logbench-core');
process.env.FLEETDECK_DATA_DIR = coreDataDir;
const made: { host: string; name: string }[] = [];
const app = await startConsole(fleetFile, dataDir);
const mainPid = await listenerPid(app.port);
const browser = await launchChromium();
const { core } = await openFleet({ fleetFile, mode: 'browser', onlyHosts: HOSTS });
const tails: TailFigures[] = [];
const floods: FloodFigures[] = [];
console.log(`logs bench: the console (pid ${mainPid}) in browser mode, headless Chromium; hosts ${HOSTS.join(', ')}\n`);

try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(app.launchUrl);
  await new FleetPage(page).expectHostState(HOSTS[0]!, 'online', 30_000);

  for (const host of HOSTS) {
    if (PART.includes('a')) {
      const name = `fd-logbench-tail-${host}-${RUN}`;
      made.push({ host, name });
      await startContainer(host, name, `awk 'BEGIN { for (i = 1; i <= ${TAIL}; i++) printf "${TAIL_LINE}\\n", i, i % 97 }'; exec sleep 100000`);
      await waitForLastLine(host, name, new RegExp(`fd-logbench line ${TAIL} `));
      const cliUnix = await medianOf(`${LAB_DOCKER(host)} logs --tail ${TAIL} ${name} > /dev/null`);
      const cliTransport = await medianOf(`${cliOver(host)} logs --tail ${TAIL} ${name} > /dev/null`);
      // The view opens on its default tail; the figures are those of the reload with tail 100000.
      await openLogView(page, name);
      await waitForLines(page, logLabel(name, host), LOG_LIMITS.defaultTail);
      const watching = watchLogView(page, logLabel(name, host), TAIL);
      watching.catch(() => {}); // awaited below; a failing setTail must be the error shown
      const { firstMs, allMs } = await profiled(page, async () => {
        await setTail(page, logTitle(name, host), TAIL);
        return watching;
      });
      const alone = await mainAlone(core, host, name);
      tails.push({ host, cliUnix, cliTransport, first: firstMs, all: allMs, alone });
      console.log(`(a) ${host} over ${transportOf(host)}: tail ${TAIL} of ${name}`);
      console.log(`    docker logs --tail ${TAIL} > /dev/null, unix socket (lab.sh docker): ${ms(cliUnix)} (median of ${CLI_RUNS})`);
      console.log(`    the same over ${transportOf(host)} (docker -H …):                  ${ms(cliTransport)} (median of ${CLI_RUNS})`);
      console.log(`    fleetdeck log view: first lines rendered ${ms(firstMs)}, all ${TAIL} loaded ${ms(allMs)}`);
      console.log(`      (main alone, in-process core, no bridge nor renderer: all ${TAIL} in ${ms(alone)})`);
      console.log(`    ratio CLI ÷ fleetdeck (unix CLI): first ${ratio(cliUnix, firstMs)}, all ${ratio(cliUnix, allMs)}  (target ≥ 1.0)`);
      console.log(`    ratio CLI ÷ fleetdeck (${transportOf(host)} CLI):  first ${ratio(cliTransport, firstMs)}, all ${ratio(cliTransport, allMs)}\n`);
      await closeLogView(page, logTitle(name, host));
    }

    if (PART.includes('b')) {
      const flood = `yes '${FLOOD_LINE}'`;
      // Baseline: the docker CLI follows the flood.
      const cliName = `fd-logbench-flood-cli-${host}-${RUN}`;
      made.push({ host, name: cliName });
      await startContainer(host, cliName, flood, FLOOD_LOG_OPTS);
      const dockerd = dockerdPid(host);
      const cliWatch = watchRss(dockerd);
      const follower = spawn('sh', ['-c', `${cliOver(host)} logs -f ${cliName} > /dev/null`], { stdio: 'ignore', detached: true });
      await sleep(FLOOD_S * 1000);
      const dockerdCli = cliWatch.stop().growth;
      process.kill(-follower.pid!, 'SIGTERM');
      await dockerCli(host, 'rm', '-f', cliName);

      // fleetdeck: the log view follows the same flood.
      const name = `fd-logbench-flood-${host}-${RUN}`;
      made.push({ host, name });
      await startContainer(host, name, flood, FLOOD_LOG_OPTS);
      await page.getByRole('tablist', { name: 'Main view' }).getByRole('tab', { name: 'Containers', exact: true }).click();
      const idleP95 = pct(await frameDeltas(page, IDLE_S), 95);
      const mainWatch = watchRss(mainPid);
      const ourWatch = watchRss(dockerd);
      await openLogView(page, name);
      await page.getByRole('log', { name: logLabel(name, host) }).waitFor();
      const deltas = await frameDeltas(page, FLOOD_S);
      const dockerdOurs = ourWatch.stop().growth;
      const mainGrowth = mainWatch.stop().growth;
      await closeLogView(page, logTitle(name, host));
      await dockerCli(host, 'rm', '-f', name);
      const figures = { host, mainGrowth, frameP95: pct(deltas, 95), frames: deltas.length, idleP95, dockerdOurs, dockerdCli };
      floods.push(figures);
      console.log(`(b) ${host} over ${transportOf(host)}: ${FLOOD_S} s flood (${flood}), log view following`);
      console.log(`    main RSS growth:        ${(mainGrowth / MB).toFixed(1)} MB (peak; target < 50 MB)`);
      console.log(`    renderer frame p95:     ${figures.frameP95.toFixed(1)} ms over ${deltas.length} frames (target < 33 ms); the page idle before: ${idleP95.toFixed(1)} ms`);
      console.log(`    dockerd RSS growth:     ${(dockerdOurs / MB).toFixed(1)} MB with the log view, ${(dockerdCli / MB).toFixed(1)} MB with docker logs -f (target: no worse)\n`);
    }
  }

  console.log('summary');
  console.log('  host  transport  CLI unix  CLI own  first   all      CLI÷first  CLI÷all  main alone');
  for (const t of tails) {
    console.log(
      `  ${t.host.padEnd(4)}  ${transportOf(t.host).padEnd(9)}  ${ms(t.cliUnix).padStart(8)}  ${ms(t.cliTransport).padStart(7)}  ${ms(t.first).padStart(6)}  ${ms(t.all).padStart(7)}  ${ratio(t.cliUnix, t.first).padStart(9)}  ${ratio(t.cliUnix, t.all).padStart(7)}  ${ms(t.alone).padStart(10)}`,
    );
  }
  console.log('  host  main RSS +MB  frame p95 ms (idle)  dockerd +MB (view)  dockerd +MB (docker logs -f)');
  for (const f of floods) {
    console.log(
      `  ${f.host.padEnd(4)}  ${(f.mainGrowth / MB).toFixed(1).padStart(11)}  ${`${f.frameP95.toFixed(1)} (${f.idleP95.toFixed(1)})`.padStart(19)}  ${(f.dockerdOurs / MB).toFixed(1).padStart(18)}  ${(f.dockerdCli / MB).toFixed(1).padStart(28)}`,
    );
  }
} catch (err) {
  console.error(`the console's last log lines:\n${app.log.slice(-30).join('\n')}`);
  throw err;
} finally {
  await browser.close();
  await core.close();
  await app.stop();
  await Promise.allSettled(made.map(({ host, name }) => dockerCli(host, 'rm', '-f', name)));
  for (const folder of [dataDir, coreDataDir]) rmSync(folder, { recursive: true, force: true });
}
