// Benchmark: terminals through the real UI path — Chromium → browser-mode bridge → core → dockerd
// over TLS — against the docker CLI on the same container, in the same run. `npm run bench:terminal`.
//  (a) 50 MB of TTY output rendered by xterm vs `docker exec -t … > /dev/null`.
//  (b) a 30 s `yes` flood: main RSS and renderer JS heap growth, keystroke echo latency while
//      flooding, and the time from Ctrl-C to the prompt.
// The core runs in this process, so the bench can see when the renderer has acked (= xterm has
// written) a given byte of output.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createDispatcher } from '../../main/core/dispatch';
import { openFleet } from '../../main/core/open';
import { ensureRendererBuilt, RENDERER_DIST } from '../../main/launch/rendererBuild';
import { startWebServer } from '../../main/web/server';
import { FleetPage } from '../pages/fleetPage';
import { TerminalPage } from '../pages/terminalPage';
import { launchChromium } from '../support/browser';
import { dockerCli, lab, labSshShim } from '../support/lab';

const exec = promisify(execFile);
const MB = 1 << 20;
const VOLUME = 50 * MB;
const FLOOD_S = Number(process.env.FLOOD_S ?? 30);
const CONTAINER = `fd-bench-term-${process.pid}`;
const LINE = 'fleetdeck terminal benchmark 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PROMPT = 'FDPROMPT$ ';

const { dir, fleetFile, hosts } = lab();
/** h1 is reached over TLS, h3 over SSH (BENCH_HOST=h3). */
const HOST = process.env.BENCH_HOST ?? 'h1';
const target = hosts.find((h) => h.name === HOST)!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

await ensureRendererBuilt((m) => console.log(m));
await dockerCli(HOST, 'run', '-d', '--name', CONTAINER, '--network', 'br0', '198.18.0.1:5000/lab/app:1.0');
const { core } = await openFleet({ fleetFile, mode: 'browser' });
const server = await startWebServer({ dispatcher: createDispatcher(core.api), staticDir: RENDERER_DIST });
const browser = await launchChromium();
const terminals = core.terminals;

/** Output is matched as it streams (nothing is kept), and acks tell when xterm has written it. */
let sessionId = '';
let sent = 0;
let carry = '';
let acked = 0;
const watchers: { text: string; from: number; resolve: (end: number) => void }[] = [];
const ackWaiters: { upTo: number; resolve: (at: number) => void }[] = [];
terminals.on('data', (id: string, chunk: string) => {
  if (id !== sessionId) return;
  const window = carry + chunk;
  const windowStart = sent - carry.length;
  sent += chunk.length;
  for (const w of [...watchers]) {
    const at = window.indexOf(w.text, Math.max(0, w.from - windowStart));
    if (at >= 0) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve(windowStart + at + w.text.length);
    }
  }
  carry = window.slice(-32);
});
terminals.on('ack', (id: string, total: number, at: number) => {
  if (id !== sessionId) return;
  acked = total;
  for (const w of ackWaiters.filter((w) => w.upTo <= total)) {
    ackWaiters.splice(ackWaiters.indexOf(w), 1);
    w.resolve(at);
  }
});
/** When the last awaited text left main for the renderer. */
let lastSentAt = 0;
/** Resolves with the time at which `text`, sent after offset `from`, has been written by xterm. */
async function rendered(text: string, from: number, timeoutMs = 300_000): Promise<number> {
  const end = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${text}" never arrived`)), timeoutMs);
    watchers.push({ text, from, resolve: (e) => (clearTimeout(timer), resolve(e)) });
  });
  lastSentAt = Date.now();
  if (acked >= end) return Date.now();
  return new Promise((resolve) => ackWaiters.push({ upTo: end, resolve }));
}

try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  await page.goto(server.launchUrl);
  const fleet = new FleetPage(page);
  const terminal = new TerminalPage(page);
  await fleet.search(CONTAINER);
  await fleet.select(CONTAINER);
  const opened = new Promise<string>((resolve) => terminals.once('open', (id: string) => resolve(id)));
  await page.keyboard.press('Enter');
  sessionId = await opened;
  await terminal.expectOpen();
  await terminal.focus();
  const prompt = rendered(PROMPT, sent);
  await terminal.type(`PS1='${PROMPT}'\n`);
  await prompt;
  console.log(`terminal bench: container ${CONTAINER} on ${HOST} over ${target.tcp ? 'TLS' : 'SSH'}, xterm ${await terminal.rendererName()} renderer, headless Chromium\n`);

  // (a) Throughput.
  const from = sent;
  const done = rendered('FD_DONE\r\n', from);
  const start = performance.now();
  await terminal.type(`yes '${LINE}' | head -c ${VOLUME}; echo FD_DONE\n`);
  await done;
  const ours = VOLUME / MB / ((performance.now() - start) / 1000);
  // The docker CLI over the same transport: TLS, or ssh:// with the lab's key and known_hosts.
  const via = target.tcp
    ? `docker -H ${target.tcp} --tlsverify --tlscacert ${dir}/pki/ca.pem --tlscert ${dir}/pki/cert.pem --tlskey ${dir}/pki/key.pem`
    : `PATH=${labSshShim()}:$PATH docker -H ssh://${target.ssh}`;
  const cliStart = performance.now();
  await exec('sh', ['-c', `${via} exec -t ${CONTAINER} sh -c "yes '${LINE}' | head -c ${VOLUME}" > /dev/null`]);
  const theirs = VOLUME / MB / ((performance.now() - cliStart) / 1000);
  console.log(`(a) 50 MB of TTY output`);
  console.log(`    fleetdeck, rendered in xterm:           ${ours.toFixed(1)} MB/s`);
  console.log(`    docker exec -t … > /dev/null (CLI):     ${theirs.toFixed(1)} MB/s`);
  console.log(`    ratio fleetdeck ÷ docker CLI:           ${(ours / theirs).toFixed(2)}×  (target ≥ 1.0)\n`);

  // (b) Flood.
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = await heap();
  let rssMax = rss0;
  let heapMax = heap0;
  const floodFrom = sent;
  const flooding = rendered('y\r\ny\r\n', floodFrom);
  await terminal.type('yes\n');
  await flooding;
  const echoes: number[] = [];
  const toMain: number[] = [];
  const floodEnd = Date.now() + FLOOD_S * 1000;
  for (let i = 0; Date.now() < floodEnd; i++) {
    const mark = 'QZ'[i % 2]!;
    const probeFrom = sent;
    const echoed = rendered(mark, probeFrom, 10_000);
    const t0 = Date.now();
    await page.keyboard.press(mark === 'Q' ? 'Shift+Q' : 'Shift+Z');
    echoes.push((await echoed) - t0);
    toMain.push(lastSentAt - t0);
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
    heapMax = Math.max(heapMax, await heap());
    await new Promise((r) => setTimeout(r, 250));
  }
  const stats = terminals.stats(sessionId);
  const ctrlFrom = sent;
  const promptBack = rendered(PROMPT, ctrlFrom, 10_000);
  const c0 = Date.now();
  await page.keyboard.press('Control+C');
  const ctrlC = (await promptBack) - c0;
  console.log(`(b) ${FLOOD_S} s yes flood`);
  console.log(`    main RSS growth:        ${((rssMax - rss0) / MB).toFixed(1)} MB (peak; target < 50 MB)`);
  console.log(`    renderer JS heap growth: ${((heapMax - heap0) / MB).toFixed(1)} MB (peak)`);
  console.log(`    keystroke echo while flooding: p50 ${pct(echoes, 50)} ms, p99 ${pct(echoes, 99)} ms over ${echoes.length} keystrokes (target p99 < 100 ms)`);
  console.log(`      of which keypress → echo sent by main: p50 ${pct(toMain, 50)} ms, p99 ${pct(toMain, 99)} ms (the rest: bridge + xterm)`);
  console.log(`      all, sorted: ${[...echoes].sort((a, b) => a - b).join(' ')}`);
  console.log(`    Ctrl-C to prompt:       ${ctrlC} ms (target < 1000 ms)`);
  console.log(`    flow control: ${stats.pauses} pauses, ${stats.resumes} resumes, ${(stats.sentChars / MB).toFixed(0)} M chars sent\n`);
} finally {
  await browser.close();
  await server.close();
  await core.close();
  await dockerCli(HOST, 'rm', '-f', CONTAINER);
}
