// Benchmark: the production renderer with 1,000 hosts × 10,000 containers in Chromium.
// The fleet is synthetic (e2e/fixtures/fakeApi.ts), injected where Electron's preload puts the
// real API; the bench measures the renderer only. Run with `npm run bench:grid`.
// Baseline: a 60 Hz display's frame budget (16.7 ms); the ratio is p95 frame time ÷ budget.
import { createReadStream, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_ARGS } from '../playwright.config';
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

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function framesWhileScrolling(tick: number): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.addInitScript(initScript);
  const t0 = Date.now();
  await page.goto(`${base}?tick=${tick}`);
  const grid = page.getByRole('grid', { name: 'Containers' });
  await grid.getByRole('row').nth(3).waitFor();
  const firstView = Date.now() - t0;
  const domRows = await grid.getByRole('row').count();
  // Scroll the grid's scroller through the whole list, one step per frame, for 4 s.
  const frames = await page.evaluate(async () => {
    const grid = document.querySelector('[role=grid][aria-label=Containers]') as HTMLElement;
    const scroller = [grid, ...grid.querySelectorAll<HTMLElement>('*')].find((e) => e.scrollHeight > e.clientHeight + 100 && getComputedStyle(e).overflowY !== 'visible')!;
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + 4000;
    await new Promise<void>((done) => {
      const step = (now: number) => {
        deltas.push(now - last);
        last = now;
        scroller.scrollTop = ((now % 4000) / 4000) * (scroller.scrollHeight - scroller.clientHeight);
        if (now < end) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    return deltas.slice(2);
  });
  console.log(`  ${tick ? `fleet changing every ${tick} ms` : 'static fleet'}: first rows ${firstView} ms, ${domRows} rows in the DOM, ${frames.length} frames`);
  await page.close();
  return frames;
}

try {
  console.log(`grid: ${HOSTS} hosts × ${CONTAINERS} containers, production build, headless Chromium (software rendering)\n`);
  for (const tick of [0, 250]) {
    const frames = await framesWhileScrolling(tick);
    const p50 = pct(frames, 50);
    const p95 = pct(frames, 95);
    console.log(`  frame time while scrolling: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
    console.log(`  ratio p95 ÷ 60 Hz budget (${FRAME_BUDGET_MS.toFixed(1)} ms): ${(p95 / FRAME_BUDGET_MS).toFixed(2)}×  (≤ 2× is 30 fps or better)\n`);
  }
} finally {
  await browser.close();
  server.close();
}
