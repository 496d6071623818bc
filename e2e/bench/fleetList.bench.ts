// Benchmark: time to the full fleet view (every container on every lab host, with IPs and MACs),
// fleetdeck against the docker CLI in the same run, over the same transports: TLS to h1 and h2,
// ssh:// to h3. Run with `npm run bench:fleet` (lab up).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { openFleet } from '../../main/core/open';
import { lab, labSshShim, ROOT, type LabHost } from '../support/lab';
import { waitForStartTimes } from '../support/startTimes';

const exec = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const { hosts, fleetFile, dir } = lab();

const sshShim = labSshShim();

function dockerOver(host: LabHost, ...args: string[]): Promise<string> {
  const target = host.tcp
    ? ['-H', host.tcp, '--tlsverify', '--tlscacert', `${dir}/pki/ca.pem`, '--tlscert', `${dir}/pki/cert.pem`, '--tlskey', `${dir}/pki/key.pem`]
    : ['-H', `ssh://${host.ssh}`];
  const env = { ...process.env, PATH: `${sshShim}:${process.env.PATH}`, DOCKER_CONFIG: path.join(sshShim, 'docker') };
  return exec('docker', [...target, ...args], { env, maxBuffer: 64 << 20 }).then((r) => r.stdout);
}

/** What a script would run with the docker CLI: ps -a for the list, inspect for IPs and MACs. */
async function cliList(host: LabHost): Promise<number> {
  const ids = (await dockerOver(host, 'ps', '-aq', '--no-trunc')).trim().split('\n').filter(Boolean);
  if (ids.length) await dockerOver(host, 'inspect', ...ids);
  return ids.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  const m = median(times);
  console.log(`${label.padEnd(66)} median ${m.toFixed(0).padStart(6)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  return m;
}

console.log(`full fleet view: ${hosts.length} lab hosts (${hosts.map((h) => `${h.name} ${h.tcp ? 'TLS' : 'SSH'}`).join(', ')}), ${RUNS} runs each\n`);

let containers = 0;
const cliSerial = await measure('docker CLI: ps -a + inspect, host after host', async () => {
  containers = 0;
  for (const h of hosts) containers += await cliList(h);
});
const cliParallel = await measure('docker CLI: ps -a + inspect, all hosts in parallel', () => Promise.all(hosts.map(cliList)));
const core = await measure('fleetdeck core: connect every host (TLS, SSH) → view + start times', async () => {
  const { core } = await openFleet({ fleetFile, mode: 'browser' });
  const pending = await core.settled(10_000);
  if (pending.length) throw new Error(`hosts did not answer: ${pending.join(', ')}`);
  // Like for like with `inspect`: the start times (uptime column) follow the lists in the background.
  const unknownStart = await waitForStartTimes(core, 10_000);
  if (unknownStart.length) throw new Error(`start times never came for ${unknownStart.map((c) => c.name).join(', ')}`);
  const n = core.model.snapshot().containers.length;
  await core.close();
  if (n !== containers) throw new Error(`fleetdeck saw ${n} containers, the docker CLI ${containers}`);
});
const cli = await measure('fleetdeck CLI: npx fleetdeck ps --json (Node + tsx start included)', () =>
  exec('npx', ['fleetdeck', '--fleet', fleetFile, 'ps', '--json'], { cwd: ROOT, maxBuffer: 64 << 20 }),
);

const { core: live } = await openFleet({ fleetFile, mode: 'browser' });
await live.settled(10_000);
const refresh = await measure('fleetdeck, connected: re-list every host (what an event costs)', () => Promise.all(hosts.map((h) => live.model.refresh(h.name))));
await live.close();

console.log(`\n${containers} containers on ${hosts.length} hosts`);
const ratio = (label: string, base: number, ours: number) => console.log(`${label.padEnd(58)} ${(base / ours).toFixed(2)}×  (docker CLI time ÷ fleetdeck time; > 1: fleetdeck faster)`);
ratio('cold: docker CLI serial vs fleetdeck core', cliSerial, core);
ratio('cold: docker CLI parallel vs fleetdeck core', cliParallel, core);
ratio('cold: docker CLI serial vs fleetdeck CLI process', cliSerial, cli);
ratio('live: docker CLI parallel vs fleetdeck re-list', cliParallel, refresh);
