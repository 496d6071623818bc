// Benchmarks' look inside the renderer: a CDP CPU profile of the page while something runs, and
// the functions with the most self time, printed (BENCH_PROFILE=1 in bench:logs and bench:terminal).
import path from 'node:path';
import type { Page } from '@playwright/test';

export async function rendererProfile<T>(page: Page, run: () => Promise<T>, top: number): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    self.set(name, (self.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(`    renderer profile, self time (of ${ms(total)} sampled):`);
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`      ${ms(t).padStart(7)}  ${name}`);
  return result;
}
