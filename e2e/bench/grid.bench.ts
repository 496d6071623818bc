// Benchmark: the production renderer with 1,000 hosts × 10,000 containers in Chromium.
// The fleet is synthetic (e2e/fixtures/fakeApi.ts), injected where Electron's preload puts the
// real API; the bench measures the renderer only. Run with `npm run bench:grid`.
// Baseline: a 60 Hz display's frame budget (16.7 ms); the ratio is p95 frame time ÷ budget.
import { createReadStream, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'esbuild';
import { launchChromium } from '../support/browser';
import { ensureRendererBuilt, RENDERER_DIST, ROOT } from '../../main/launch/rendererBuild';

const HOSTS = Number(process.env.HOSTS ?? 1000);
const CONTAINERS = Number(process.env.CONTAINERS ?? 10000);
const FRAME_BUDGET_MS = 1000 / 60;

await ensureRendererBuilt((m) => console.log(m));
const fake = await build({
  stdin: {
    contents: `import { createFakeApi } from './e2e/fixtures/fakeApi';\nwindow.fleetdeck = createFakeApi({ hosts: ${HOSTS}, containers: ${CONTAINERS}, seed: 7, tickMs: Number(new URLSearchParams(location.search).get('tick') ?? 0), latencyMs: 0, failRate: 0 });`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  write: false,
});
const initScript = fake.outputFiles[0]!.text;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  let file = path.join(RENDERER_DIST, path.normalize(url.pathname));
  if (!file.startsWith(RENDERER_DIST) || !existsSync(file) || url.pathname === '/') file = path.join(RENDERER_DIST, 'index.html');
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await launchChromium();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function framesWhileScrolling(tick: number, pxPerFrame = 0): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.addInitScript(initScript);
  const t0 = Date.now();
  await page.goto(`${base}?tick=${tick}`);
  const grid = page.getByRole('grid', { name: 'Containers' });
  await grid.getByRole('row').nth(3).waitFor();
  const firstView = Date.now() - t0;
  const domRows = await grid.getByRole('row').count();
  // Scroll the grid's scroller through the whole list, one step per frame, for 4 s.
  const frames = await scrollFrames(page, '[role=grid][aria-label=Containers]', pxPerFrame);
  console.log(`  ${pxPerFrame ? `wheel, ${pxPerFrame} px per frame` : 'fling'}, ${tick ? `fleet changing every ${tick} ms` : 'static fleet'}: first rows ${firstView} ms, ${domRows} rows in the DOM, ${frames.length} frames`);
  await page.close();
  return frames;
}

/** Scrolls the first scrollable element in `root` for 4 s, one step per frame: `pxPerFrame`, or 0 to fling through the whole height. */
async function scrollFrames(page: Page, root: string, pxPerFrame = 0): Promise<number[]> {
  // A string, not a function: tsx would inject its own helpers into a serialised function.
  return (await page.evaluate(`(async () => {
    const root = document.querySelector(${JSON.stringify(root)});
    const scroller = [root, ...root.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 100 && getComputedStyle(e).overflowY !== 'visible') ?? document.scrollingElement;
    const deltas = [];
    let last = performance.now();
    const end = last + 4000;
    await new Promise((done) => {
      const step = (now) => {
        deltas.push(now - last);
        last = now;
        scroller.scrollTop = ${pxPerFrame} > 0 ? scroller.scrollTop + ${pxPerFrame} : ((now % 4000) / 4000) * (scroller.scrollHeight - scroller.clientHeight);
        if (now < end) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    return deltas.slice(2);
  })()`)) as number[];
}

/** The naive peer: the same 10,000 rows as one plain HTML table, not virtualised. */
async function plainTableFrames(): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const cells = (i: number) => [`svc-${i}`, `h${i % HOSTS}`, 'payments', `svc-${i % 50}`, 'lab/app:1.0', 'running · healthy', `198.18.${(i >> 8) & 255}.${i & 255}`, '3h 2m'];
  const rows = Array.from({ length: CONTAINERS }, (_, i) => `<tr>${cells(i).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  const t0 = Date.now();
  await page.setContent(`<div id="t" style="height:860px;overflow:auto;font:13px sans-serif"><table>${rows}</table></div>`);
  console.log(`  plain table: first rows ${Date.now() - t0} ms, ${CONTAINERS} rows in the DOM`);
  const frames = await scrollFrames(page, '#t');
  await page.close();
  return frames;
}

async function idleFrames(): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.setContent('<div id="t" style="height:860px;overflow:auto"><div style="height:100000px"></div></div>');
  const frames = await scrollFrames(page, '#t');
  await page.close();
  return frames;
}

try {
  console.log(`grid: ${HOSTS} hosts × ${CONTAINERS} containers, production build, headless Chromium (software rendering)`);
  console.log('each case scrolls for 4 s, one step per frame: a fling (top to bottom, new rows every frame) or a fast wheel (100 px a frame)\n');
  const report = (frames: number[]) => {
    const p95 = pct(frames, 95);
    console.log(`  frame time: p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
    return p95;
  };
  const idle = report(await idleFrames());
  console.log('  (idle page: this machine\'s frame ceiling)\n');
  const plain = report(await plainTableFrames());
  console.log('');
  for (const [tick, px] of [[0, 0], [250, 0], [0, 100], [250, 100]] as const) {
    const ours = report(await framesWhileScrolling(tick, px));
    console.log(`  ratio p95: plain 10,000-row table ÷ fleetdeck grid ${(plain / ours).toFixed(2)}×; fleetdeck ÷ idle page ${(ours / idle).toFixed(2)}×; fleetdeck ÷ 60 Hz budget ${(ours / FRAME_BUDGET_MS).toFixed(2)}×\n`);
  }
} finally {
  await browser.close();
  server.close();
}
