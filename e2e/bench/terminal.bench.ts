// Benchmark: terminals through the real UI path — Chromium → browser-mode bridge → core → dockerd —
// over TLS (h1) and SSH (h3) in one run, each in its own container, against the docker CLI on the
// same container over the same transport. `npm run bench:terminal` (BENCH_HOSTS=h1 for one).
//  (a) 50 MB of TTY output rendered by xterm vs `docker exec -t … > /dev/null`.
//  (b) the keystroke echo at the idle prompt, then a FLOOD_S (30) s `yes` flood (FLOOD_NICE=19 renices it):
//      keystroke echo latency split into main → renderer (until main sent the echo, in a data batch
//      or a snapshot; of which until main got the keystroke, and until it read the echo) and
//      renderer → screen (until acked, = written by xterm); frames' round trips; main's event-loop
//      delay; Ctrl-C to the prompt; main's RSS growth and CPU, the renderer's JS heap growth, the
//      machine's CPU busy; skip-ahead's stats; and the CPU of the docker CLI flooding for as long.
// Then a summary table of both transports against the issue's targets. BENCH_PROFILE=1 prints
// the renderer's heaviest functions over each flood.
// The core runs in this process, so the bench sees its 'data', 'snapshot' and 'ack' events, and
// looks into each session's mirror to see when main read the echo from the source and which
// snapshot was serialized after parsing it (terminalWatch.ts); main's CPU is this process's,
// which includes the bench's own matching (small: an indexOf per chunk).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus } from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from '@playwright/test';
import { createDispatcher } from '../../main/core/dispatch';
import { openFleet } from '../../main/core/open';
import { ensureRendererBuilt, RENDERER_DIST } from '../../main/launch/rendererBuild';
import { startWebServer } from '../../main/web/server';
import type { TerminalService } from '../../main/terminal/terminalService';
import { FleetPage } from '../pages/fleetPage';
import { TerminalPage } from '../pages/terminalPage';
import { launchChromium } from '../support/browser';
import { freshDataDir } from '../support/dataDir';
import { dockerCli, lab, type LabHost } from '../support/lab';
import { rendererProfile } from './rendererProfile';
import { cliExec, dockerVia } from './terminalCli';
import { TerminalWatch } from './terminalWatch';

const MB = 1 << 20;
const VOLUME = 50 * MB;
const FLOOD_S = Number(process.env.FLOOD_S ?? 30);
/**
 * FLOOD_NICE=19 renices the flood's `yes` once it runs (the lab image has no nice): what the
 * flood's own CPU costs the echo on a machine it saturates.
 */
const FLOOD_NICE = process.env.FLOOD_NICE;
/** Between keystrokes in the flood: a typist's pace, and 100+ samples in 30 s. */
const PROBE_GAP_MS = 250;
/** Keystrokes at the idle prompt, before the flood. */
const QUIET_KEYS = 20;
const LINE = 'fleetdeck terminal benchmark 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PROMPT = 'FDPROMPT$ ';
/** Echo marks: capitals that `yes` never prints, cycled so an old echo still on screen is not taken for a new one. */
const MARKS = 'QZXWVUTSRPONMLKJHGFE';
/** An echo later than this counts as this long (and is reported), so one lost echo does not end the run. */
const ECHO_TIMEOUT_MS = 10_000;
const TARGET = { ratio: 1.0, echoP99: 100, ctrlC: 1000, rssMb: 50 };
const PROFILE = process.env.BENCH_PROFILE === '1';
const run = promisify(execFile);

const { dir, fleetFile, hosts } = lab();
const HOSTS = (process.env.BENCH_HOSTS ?? process.env.BENCH_HOST ?? 'h1,h3').split(',');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const cpuS = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

interface Result {
  host: string;
  transport: string;
  ratio: number;
  echoP50: number;
  echoP99: number;
  toMainP50: number;
  toMainP99: number;
  toScreenP50: number;
  toScreenP99: number;
  ctrlC: number;
  rssMb: number;
  heapMb: number;
  mainCpu: number;
  cliCpu: number;
}

/** One transport: its own container and page, the throughput run, then the flood. */
async function benchHost(target: LabHost, terminals: TerminalService, browser: Browser, launchUrl: string): Promise<Result> {
  const transport = target.tcp ? 'TLS' : 'SSH';
  const container = `fd-bench-term-${target.name}-${process.pid}`;
  await dockerCli(target.name, 'run', '-d', '--name', container, '--network', 'br0', '198.18.0.1:5000/lab/app:1.0');
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  let watch: TerminalWatch | undefined;
  try {
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    await page.goto(launchUrl);
    const fleet = new FleetPage(page);
    const terminal = new TerminalPage(page);
    await fleet.search(container);
    await fleet.select(container);
    const opened = new Promise<string>((resolve) => terminals.once('open', (id: string) => resolve(id)));
    await page.keyboard.press('Enter');
    const sessionId = await opened;
    const w = (watch = new TerminalWatch(terminals, sessionId));
    /** Types `mark` (a capital `yes` never prints); `echoed` settles once it is on screen. */
    const keystroke = async (mark: string) => {
      const echoed = w.rendered(mark, w.sent, ECHO_TIMEOUT_MS);
      const t0 = Date.now();
      await page.keyboard.press(`Shift+${mark}`);
      return { t0, echoed };
    };
    await terminal.expectOpen();
    await terminal.focus();
    const prompt = w.rendered(PROMPT, w.sent);
    // Quoted apart, so the typed command's echo does not match the prompt.
    await terminal.type(`PS1='${PROMPT.slice(0, 2)}''${PROMPT.slice(2)}'\n`);
    await prompt;
    console.log(`— ${container} on ${target.name} over ${transport}, xterm ${await terminal.rendererName()} renderer, headless Chromium`);

    // (a) Throughput.
    const done = w.rendered('FD_DONE', w.sent);
    const start = performance.now();
    await terminal.type(`yes '${LINE}' | head -c ${VOLUME}; echo FD_"DONE"\n`);
    await done;
    const ours = VOLUME / MB / ((performance.now() - start) / 1000);
    const via = dockerVia(target, dir);
    const cli = await cliExec(via, container, `yes '${LINE}' | head -c ${VOLUME}`);
    const theirs = VOLUME / MB / cli.wallS;
    const afterA = terminals.stats(sessionId);
    console.log(`(a) 50 MB of TTY output`);
    console.log(`    fleetdeck, rendered in xterm:       ${ours.toFixed(1)} MB/s (skips ${afterA.skips}, ${fmtMb(afterA.skippedChars)} skipped)`);
    console.log(`    docker exec -t … > /dev/null (CLI): ${theirs.toFixed(1)} MB/s`);
    console.log(`    ratio fleetdeck ÷ docker CLI:       ${(ours / theirs).toFixed(2)}×  (target ≥ ${TARGET.ratio})`);

    // The same keystrokes at the idle prompt: what the browser, the harness and the round trip cost alone.
    const quiet: number[] = [];
    const quietRead: number[] = [];
    const quietSent: number[] = [];
    for (const mark of MARKS.slice(0, QUIET_KEYS)) {
      const { t0, echoed } = await keystroke(mark);
      const r = await echoed;
      quiet.push(r.ackedAt - t0);
      quietSent.push(r.sentAt - t0);
      if (r.readAt !== undefined) quietRead.push(r.readAt - t0);
      await sleep(PROBE_GAP_MS);
    }
    await page.keyboard.press('Control+U');
    console.log(`(b) keystroke echo at the idle prompt: p50 ${pct(quiet, 50)} ms, p99 ${pct(quiet, 99)} ms over ${quiet.length} (read by main p50 ${pct(quietRead, 50)} ms, sent p50 ${pct(quietSent, 50)} ms)`);

    // (b) Flood.
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const heap0 = await heap();
    let rssMax = rss0;
    let heapMax = heap0;
    const flooding = w.rendered('y\r\ny\r\n', w.sent);
    await terminal.type('yes\n');
    await flooding;
    if (FLOOD_NICE) await renice(FLOOD_NICE);
    const before = terminals.stats(sessionId);
    const snapshots0 = w.snapshots;
    const echoes: number[] = [];
    const toMain: number[] = [];
    const toRead: number[] = [];
    const toInput: number[] = [];
    const readToSent: number[] = [];
    // When main got each keystroke from the renderer (the rest of "read" is dockerd, the pty and back).
    let inputAt = 0;
    const input = terminals.input.bind(terminals);
    terminals.input = (id, data) => {
      inputAt = Date.now();
      input(id, data);
    };
    const toScreen: number[] = [];
    let viaSnapshot = 0;
    let timeouts = 0;
    // A frame's round trip: main sends it once the renderer acked the last; the renderer acks it once written.
    const ackToFrame: number[] = [];
    const frameToAck: number[] = [];
    let lastAckAt = 0;
    let lastFrameAt = 0;
    const onAck = (id: string) => {
      if (id !== sessionId) return;
      lastAckAt = Date.now();
      if (lastFrameAt) {
        frameToAck.push(lastAckAt - lastFrameAt);
        lastFrameAt = 0;
      }
    };
    const onFrame = (id: string) => {
      if (id !== sessionId) return;
      lastFrameAt = Date.now();
      if (lastAckAt) ackToFrame.push(lastFrameAt - lastAckAt);
    };
    terminals.on('ack', onAck);
    terminals.on('snapshot', onFrame);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const machine0 = machineCpu();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const floodEnd = Date.now() + FLOOD_S * 1000;
    // The renderer's long tasks (over 50 ms, the browser's own threshold) over the flood.
    await page.evaluate(() => {
      const w = window as unknown as { fdLongTasks: number[] };
      w.fdLongTasks = [];
      new PerformanceObserver((list) => w.fdLongTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    await profiled(page, async () => {
      for (let i = 0; Date.now() < floodEnd; i++) {
        const { t0, echoed } = await keystroke(MARKS[i % MARKS.length]!);
        const r = await echoed.catch((err: unknown) => {
          console.log(`    ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
        if (!r) {
          timeouts++;
          echoes.push(ECHO_TIMEOUT_MS);
          continue;
        }
        echoes.push(r.ackedAt - t0);
        toMain.push(r.sentAt - t0);
        if (r.readAt !== undefined) {
          toRead.push(r.readAt - t0);
          readToSent.push(r.sentAt - r.readAt);
        }
        if (inputAt >= t0) toInput.push(inputAt - t0);
        toScreen.push(r.ackedAt - r.sentAt);
        if (r.via === 'snapshot') viaSnapshot++;
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
        heapMax = Math.max(heapMax, await heap());
        await sleep(PROBE_GAP_MS);
      }
    });
    terminals.input = input;
    loopDelay.disable();
    terminals.off('ack', onAck);
    terminals.off('snapshot', onFrame);
    const floodS = (performance.now() - wall0) / 1000;
    const longTasks = await page.evaluate(() => (window as unknown as { fdLongTasks: number[] }).fdLongTasks);
    const mainCpu = cpuS(process.cpuUsage(cpu0)) / floodS;
    const machine = machineCpu();
    const machineBusy = (machine.busy - machine0.busy) / (machine.total - machine0.total);
    const after = terminals.stats(sessionId);
    const promptBack = w.rendered(PROMPT, w.sent, 10_000);
    const c0 = Date.now();
    await page.keyboard.press('Control+C');
    const ctrlC = (await promptBack).ackedAt - c0;
    const cliFlood = await cliExec(via, container, `timeout ${FLOOD_S} yes`, true);
    const cliCpu = cliFlood.cpuS / cliFlood.wallS;
    const result: Result = {
      host: target.name,
      transport,
      ratio: ours / theirs,
      echoP50: pct(echoes, 50),
      echoP99: pct(echoes, 99),
      toMainP50: pct(toMain, 50),
      toMainP99: pct(toMain, 99),
      toScreenP50: pct(toScreen, 50),
      toScreenP99: pct(toScreen, 99),
      ctrlC,
      rssMb: (rssMax - rss0) / MB,
      heapMb: (heapMax - heap0) / MB,
      mainCpu,
      cliCpu,
    };
    const delta = (k: 'skips' | 'skippedChars') => after[k] - before[k];
    console.log(`(b) ${FLOOD_S} s yes flood${FLOOD_NICE ? `, reniced to ${FLOOD_NICE}` : ''}`);
    console.log(`    keystroke echo: p50 ${result.echoP50} ms, p99 ${result.echoP99} ms over ${echoes.length} keystrokes, ${timeouts} over ${ECHO_TIMEOUT_MS} ms (target p99 < ${TARGET.echoP99} ms)`);
    console.log(`      main → renderer (keypress → echo sent by main): p50 ${result.toMainP50} ms, p99 ${result.toMainP99} ms; ${viaSnapshot} echoes came in a snapshot`);
    console.log(`        of which keypress → echo read by main from the source: p50 ${pct(toRead, 50)} ms, p99 ${pct(toRead, 99)} ms`);
    console.log(`          of which keypress → keystroke at main:            p50 ${pct(toInput, 50)} ms, p99 ${pct(toInput, 99)} ms`);
    console.log(`      renderer → screen (sent → acked by xterm):      p50 ${result.toScreenP50} ms, p99 ${result.toScreenP99} ms`);
    console.log(`      all, sorted: ${[...echoes].sort((a, b) => a - b).join(' ')}`);
    console.log(`      read by main → sent, sorted: ${[...readToSent].sort((a, b) => a - b).join(' ')}`);
    console.log(`    frames: last ack → next frame sent p50 ${pct(ackToFrame, 50)} ms, p99 ${pct(ackToFrame, 99)} ms; frame sent → acked p50 ${pct(frameToAck, 50)} ms, p99 ${pct(frameToAck, 99)} ms`);
    console.log(`    renderer long tasks (> 50 ms): ${longTasks.length}, ${longTasks.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
    console.log(`    main's event loop delay:  p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`);
    console.log(`    Ctrl-C to prompt:         ${ctrlC} ms (target < ${TARGET.ctrlC} ms)`);
    console.log(`    main RSS growth:          ${result.rssMb.toFixed(1)} MB (peak; target < ${TARGET.rssMb} MB)`);
    console.log(`    renderer JS heap growth:  ${result.heapMb.toFixed(1)} MB (peak)`);
    console.log(`    machine CPU busy:         ${(machineBusy * 100).toFixed(0)}% of its ${cpus().length} cores (yes, dockerd, Chromium, main…)`);
    console.log(`    CPU, % of one core:       main ${(mainCpu * 100).toFixed(0)}%, docker exec -t … | wc -c ${(cliCpu * 100).toFixed(0)}% (CLI + children + wc, same ${FLOOD_S} s)`);
    // If main reads the flood slower than the CLI can, the buffers between (dockerd, TCP, the SSH window) stay full and an echo waits behind them.
    const mainRate = (after.sentChars - before.sentChars + delta('skippedChars')) / MB / floodS;
    console.log(`    flood read: main ${mainRate.toFixed(2)} M chars/s, docker CLI ${(cliFlood.bytes / MB / cliFlood.wallS).toFixed(2)} MB/s (counted by wc -c)`);
    console.log(`    skip-ahead: ${delta('skips')} skips, ${fmtMb(delta('skippedChars'))} skipped, ${w.snapshots - snapshots0} snapshots`);
    console.log(`    flow control: ${after.pauses - before.pauses} pauses, ${after.resumes - before.resumes} resumes, ${((after.sentChars - before.sentChars) / MB).toFixed(0)} M chars sent\n`);
    return result;
  } finally {
    watch?.dispose();
    await page.close();
    await dockerCli(target.name, 'rm', '-f', container);
  }
}

/** With BENCH_PROFILE=1, the renderer's heaviest functions over the flood. */
function profiled<T>(page: Page, run: () => Promise<T>): Promise<T> {
  return PROFILE ? rendererProfile(page, run, 20) : run();
}

/** Renices every `yes` on the machine (the lab's containers share its process table). */
async function renice(nice: string): Promise<void> {
  const pids = (await run('pgrep', ['-x', 'yes'])).stdout.trim().split('\n').filter(Boolean);
  await run('renice', ['-n', nice, '-p', ...pids]);
  console.log(`    reniced yes (pids ${pids.join(' ')}) to ${nice}`);
}

/** Jiffies the machine's CPUs were busy and in all, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

function fmtMb(chars: number): string {
  return `${(chars / MB).toFixed(1)} M chars`;
}

function summary(results: Result[]): void {
  const row = (label: string, value: (r: Result) => number, unit: string, target: string, met: (v: number) => boolean, digits = 0) => {
    const cells = results.map((r) => {
      const v = value(r);
      return `${`${v.toFixed(digits)}${unit}`.padStart(9)} ${met(v) ? 'met   ' : 'MISSED'}`;
    });
    console.log(`${label.padEnd(30)}${target.padEnd(12)}${cells.join('   ')}`);
  };
  const info = (label: string, text: (r: Result) => string) =>
    console.log(`${label.padEnd(30)}${''.padEnd(12)}${results.map((r) => text(r).padStart(16)).join('   ')}`);
  console.log('summary');
  console.log(`${''.padEnd(30)}${'target'.padEnd(12)}${results.map((r) => `${r.host} ${r.transport}`.padStart(16)).join('   ')}`);
  row('throughput ÷ docker CLI', (r) => r.ratio, '×', `≥ ${TARGET.ratio}×`, (v) => v >= TARGET.ratio, 2);
  row('echo p99', (r) => r.echoP99, ' ms', `< ${TARGET.echoP99} ms`, (v) => v < TARGET.echoP99);
  info('  echo p50', (r) => `${r.echoP50} ms`);
  info('  main → renderer p50/p99', (r) => `${r.toMainP50}/${r.toMainP99} ms`);
  info('  renderer → screen p50/p99', (r) => `${r.toScreenP50}/${r.toScreenP99} ms`);
  row('Ctrl-C to prompt', (r) => r.ctrlC, ' ms', `< ${TARGET.ctrlC} ms`, (v) => v < TARGET.ctrlC);
  row('main RSS growth', (r) => r.rssMb, ' MB', `< ${TARGET.rssMb} MB`, (v) => v < TARGET.rssMb, 1);
  info('renderer heap growth', (r) => `${r.heapMb.toFixed(1)} MB`);
  info('CPU main / docker CLI', (r) => `${(r.mainCpu * 100).toFixed(0)}% / ${(r.cliCpu * 100).toFixed(0)}%`);
}

await ensureRendererBuilt((m) => console.log(m));
const dataDir = freshDataDir('bench-terminal');
process.env.FLEETDECK_DATA_DIR = dataDir;
const { core } = await openFleet({ fleetFile, mode: 'browser' });
const server = await startWebServer({ dispatcher: createDispatcher(core.api), staticDir: RENDERER_DIST });
const browser = await launchChromium();
try {
  const results: Result[] = [];
  for (const name of HOSTS) {
    const target = hosts.find((h) => h.name === name);
    if (!target) throw new Error(`no lab host ${name}`);
    results.push(await benchHost(target, core.terminals, browser, server.launchUrl));
  }
  summary(results);
} finally {
  await browser.close();
  await server.close();
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
}
