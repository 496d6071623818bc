// Benchmark: time to the full fleet view (every container on every lab host, with IPs and MACs),
// fleetdeck against the docker CLI in the same run. Run with `npm run bench:fleet` (lab up).
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { openFleet } from '../../main/core/open';
import { dockerPs, lab, ROOT } from '../support/lab';

const exec = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function measure(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(fn));
  const m = median(times);
  console.log(`${label.padEnd(64)} median ${m.toFixed(0).padStart(6)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  return m;
}

const { hosts, fleetFile } = lab();
let containers = 0;

console.log(`fleet listing: ${hosts.length} lab hosts (${hosts.map((h) => (h.tcp ? 'TLS' : 'SSH')).join(', ')}), ${RUNS} runs each\n`);

const cliSerial = await measure('docker CLI: ps -a + inspect, host after host', async () => {
  containers = 0;
  for (const h of hosts) containers += (await dockerPs(h.name)).length;
});
const cliParallel = await measure('docker CLI: ps -a + inspect, all hosts in parallel', () => Promise.all(hosts.map((h) => dockerPs(h.name))));
const core = await measure('fleetdeck core: connect to every host → full fleet view', async () => {
  const { core } = await openFleet({ fleetFile, mode: 'browser' });
  const pending = await core.settled(10_000);
  if (pending.length) throw new Error(`hosts did not answer: ${pending.join(', ')}`);
  const n = core.model.snapshot().containers.length;
  await core.close();
  if (n !== containers) throw new Error(`fleetdeck saw ${n} containers, the docker CLI ${containers}`);
});
const cli = await measure('fleetdeck CLI: npx fleetdeck ps --json (process start included)', () =>
  exec('npx', ['fleetdeck', '--fleet', fleetFile, 'ps', '--json'], { cwd: ROOT, maxBuffer: 64 << 20 }),
);

console.log(`\n${containers} containers on ${hosts.length} hosts`);
console.log(`ratio docker CLI (serial) / fleetdeck core:   ${(cliSerial / core).toFixed(2)}×  (>1 means fleetdeck is faster)`);
console.log(`ratio docker CLI (parallel) / fleetdeck core: ${(cliParallel / core).toFixed(2)}×`);
console.log(`ratio docker CLI (serial) / fleetdeck CLI:    ${(cliSerial / cli).toFixed(2)}×`);
