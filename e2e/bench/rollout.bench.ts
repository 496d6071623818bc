// Benchmark: the rollout engine (issue 11) on the lab, against baselines measured in the same run,
// on the same 12 containers (rolloutBenchService.ts: fd-bench-svc, 4 on each of h1, h2, h3, static
// IP and MAC), in 4 batches of 3 (one container per host each).
// (r) `fleetdeck restart --service … --batches …` against the ideal: the sum over batches of each
//     batch's slowest restart, each container's restart timed alone (restartAlone.ts: stop + start
//     through the Engine API on the host's socket, then the engine's wait: healthy and `monitor`).
// (d) `fleetdeck deploy` 1.0 → 1.1 against a sequential docker-CLI script (dockerCliDeploy.sh:
//     pull, stop, rename, create, start, rm per container), each run from fresh 1.0 members.
// Medians of BENCH_RUNS runs; every fd-bench-* container is removed at the end, even on failure.
// Run with `npm run bench:rollout` (lab up); BENCH_PART=r|d runs one part.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { RolloutJournal, type RolloutRecord } from '../../main/rollout/journal';
import { freshDataDir } from '../support/dataDir';
import { lab, labHost, labRegistryEnv, ROOT } from '../support/lab';
import { aloneMs, restartAlone, type AloneRestart } from './restartAlone';
import { batchesArg, check, daemons, HOSTS, LANES, members, recreate, removeAll, SERVICE, waitForHosts, waitReady, type Health, type Member } from './rolloutBenchService';

const exec = promisify(execFile);
const PART = process.env.BENCH_PART ?? 'rd';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * Both runs of the restart use the same monitor as their ideal. 0 s: the watch ends once the
 * container is healthy, so the ratio is the engine's own cost; 5 s: the CLI's default, where the
 * engine's one more monitor after the last batch (Swarm's) adds 5 s the ideal does not have.
 */
const RESTART_MONITORS = (process.env.BENCH_RESTART_MONITORS ?? '0s,5s').split(',');
/** The script waits for nothing: 0 s is the least the engine can be asked to watch. */
const DEPLOY_MONITOR = process.env.BENCH_DEPLOY_MONITOR ?? '0s';
/**
 * image: the lab app's HEALTHCHECK, which the engine gates every batch on (its first probe comes
 * 5 s after the start); none: HEALTHCHECK NONE on the containers, like for like with the script.
 */
const DEPLOY_HEALTH = (process.env.BENCH_DEPLOY_HEALTH ?? 'image,none').split(',') as Health[];
/** The daemons are 20.10 (API 1.41): their own CLI, since Docker 28's refuses --mac-address there. */
const SCRIPT_DOCKER = process.env.BENCH_SCRIPT_DOCKER ?? '/usr/bin/docker';
/** A restart at a 5 s monitor takes ~30 s; a host away (helper D's fault test) may stretch it. */
const CLI_TIMEOUT_MS = 300_000;
/** A run that fails (a host away mid-run) is tried again from fresh members, this many times in all. */
const ATTEMPTS = 3;
const BIN = path.join(ROOT, 'main/cli/bin.mjs');
const SCRIPT = path.join(ROOT, 'e2e/bench/dockerCliDeploy.sh');

const info = lab();
const dataDir = freshDataDir('bench-rollout');
const env = { ...process.env, ...labRegistryEnv(), FLEETDECK_DATA_DIR: dataDir };
const journal = new RolloutJournal({ dataDir });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ours: number, base: number, target: number) => `${(ours / base).toFixed(2)}× (target ≤ ${target}×: ${ours / base <= target ? 'met' : 'NOT met'})`;
const runsOf = (xs: number[]) => `runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(', ')}`;
const monitorMs = (text: string) => Number(/^(\d+)s$/.exec(text)?.[1] ?? NaN) * 1000;

/** Set on SIGINT/SIGTERM: the cleanup runs, and nothing is tried again. */
let interrupted = false;

async function attempt<T>(label: string, reset: () => Promise<void>, run: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (i >= ATTEMPTS || interrupted) throw err;
      console.log(`  (${label} failed: ${(err as Error).message.split('\n')[0]}; trying again from fresh members)`);
      await waitForHosts();
      await reset();
    }
  }
}

/** RUNS runs of `once`, each once every host answers. */
async function repeated<T>(label: string, reset: () => Promise<void>, once: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let run = 0; run < RUNS; run++) {
    out.push(
      await attempt(label, reset, async () => {
        await waitForHosts();
        return once();
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------- the engine, through its CLI

interface CliRun {
  wallMs: number;
  spawnedAt: number;
  record: RolloutRecord;
}

/** `fleetdeck ARGS --json` as the `fleetdeck` bin runs it (node main/cli/bin.mjs; npx's lookup left out); it must complete. */
async function fleetdeck(args: string[]): Promise<CliRun> {
  const spawnedAt = Date.now();
  const t0 = performance.now();
  let stdout: string;
  try {
    ({ stdout } = await exec(process.execPath, [BIN, '--fleet', info.fleetFile, ...args, '--json'], { cwd: ROOT, env, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 << 20 }));
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`fleetdeck ${args[0]} exited ${e.code}: ${(e.stderr ?? '').trim() || e.stdout}`);
  }
  const wallMs = performance.now() - t0;
  const { id } = JSON.parse(stdout) as { id: string };
  const record = journal.read(id);
  if (!record?.endedAt || record.state !== 'completed') throw new Error(`rollout ${id} is ${record?.state ?? 'not on record'}`);
  return { wallMs, spawnedAt, record };
}

interface Lane {
  spanMs: number;
  /** The slowest member's update (pull…start: its first step until it waits healthy). */
  updateMs: number;
  /** The slowest member's watch (waiting-healthy until done). */
  watchMs: number;
}

/** Where a rollout's time went, from its journal's step times (wall clock, as spawnedAt). */
interface Timeline {
  /** Node + tsx start, hosts connected, plan checked (inspects, the registry's digest), until the header line. */
  prepMs: number;
  lanes: Lane[];
  /** After the last batch's last done: the one more monitor, and (deploy) removing the old revisions. */
  tailMs: number;
  /** The journal's start line to its end line. */
  rolloutMs: number;
  wallMs: number;
  /** Per host, per step: how long each member's step lasted (until its next step), over the batches. */
  steps: Record<string, Record<string, number[]>>;
}

function timeline(run: CliRun, ms: Member[]): Timeline {
  const at = (iso: string) => Date.parse(iso);
  const { record } = run;
  const start = at(record.startedAt);
  const end = at(record.endedAt!);
  const lanes = Array.from({ length: LANES }, (_, lane): Lane => {
    const per = ms.filter((m) => m.lane === lane).map((m) => {
      const steps = record.steps.filter((st) => st.container === m.key);
      const when = (step: string) => at(steps.find((st) => st.step === step)?.time ?? '');
      return { first: Math.min(...steps.map((st) => at(st.time))), healthy: when('waiting-healthy'), done: when('done') };
    });
    return {
      spanMs: Math.max(...per.map((p) => p.done)) - Math.min(...per.map((p) => p.first)),
      updateMs: Math.max(...per.map((p) => p.healthy - p.first)),
      watchMs: Math.max(...per.map((p) => p.done - p.healthy)),
    };
  });
  const lastDone = Math.max(...record.steps.filter((st) => st.step === 'done').map((st) => at(st.time)));
  const steps: Timeline['steps'] = {};
  for (const m of ms) {
    const mine = record.steps.filter((st) => st.container === m.key);
    mine.slice(0, -1).forEach((st, i) => ((steps[m.host] ??= {})[st.step] ??= []).push(at(mine[i + 1]!.time) - at(st.time)));
  }
  return { prepMs: start - run.spawnedAt, lanes, tailMs: end - lastDone, rolloutMs: end - start, wallMs: run.wallMs, steps };
}

/** Each figure of the timelines, its median over the runs. */
function medianTimeline(ts: Timeline[]): Timeline {
  const m = (pick: (t: Timeline) => number) => median(ts.map(pick));
  return {
    prepMs: m((t) => t.prepMs),
    lanes: Array.from({ length: LANES }, (_, l) => ({ spanMs: m((t) => t.lanes[l]!.spanMs), updateMs: m((t) => t.lanes[l]!.updateMs), watchMs: m((t) => t.lanes[l]!.watchMs) })),
    tailMs: m((t) => t.tailMs),
    rolloutMs: m((t) => t.rolloutMs),
    wallMs: m((t) => t.wallMs),
    steps: Object.fromEntries(HOSTS.map((h) => [h, Object.fromEntries(Object.keys(ts[0]?.steps[h] ?? {}).map((step) => [step, [median(ts.flatMap((t) => t.steps[h]?.[step] ?? []))]]))])),
  };
}

/** Each step's median duration on each host, e.g. "stopping: h1 0.40 s, h2 0.41 s, h3 0.62 s". */
function stepLines(t: Timeline, alone?: Record<string, (h: string) => number>): string[] {
  const steps = [...new Set(HOSTS.flatMap((h) => Object.keys(t.steps[h] ?? {})))];
  return steps.map((step) => {
    const by = HOSTS.map((h) => `${h} ${s(t.steps[h]?.[step]?.[0] ?? NaN)}${alone?.[step] ? ` (alone ${s(alone[step](h))})` : ''}`);
    return `      ${step.padEnd(16)} ${by.join(', ')}`;
  });
}

// ---------------------------------------------------------------- (r) rolling restart vs the ideal

async function restartPart(): Promise<void> {
  const ms = members(info.images['1.0']!, 'image');
  const reset = () => recreate(ms);
  console.log(`(r) rolling restart of ${ms.length} containers (${SERVICE}, lab/app:1.0 with its health check), ${LANES} batches of ${HOSTS.length}, ${RUNS} runs each\n`);
  await reset();

  const alone = await repeated('a restart alone', reset, async () => {
    const row: AloneRestart[] = [];
    for (const m of ms) row.push(await restartAlone(daemons[m.host], m.name));
    return row;
  });
  // Not the ideal: the machine's cost of a batch's 3 restarts at once (3 daemons on 2 cores), without the engine.
  const together = await repeated('a batch at once', reset, async () => {
    const row: AloneRestart[] = [];
    for (let l = 0; l < LANES; l++) {
      const lane = ms.flatMap((m, i) => (m.lane === l ? [i] : []));
      const results = await Promise.all(lane.map((i) => restartAlone(daemons[ms[i]!.host], ms[i]!.name)));
      lane.forEach((i, k) => (row[i] = results[k]!));
    }
    return row;
  });
  const each = ms.map((m, i) => `${m.host}/…-${m.lane + 1} ${s(median(alone.map((r) => r[i]!.stopStartMs)))} + ${s(median(alone.map((r) => r[i]!.readyMs)))}`);
  console.log(`  each restart alone (median): stop + start, then until healthy:\n    ${each.join('\n    ')}\n`);

  for (const monitor of RESTART_MONITORS) {
    const mMs = monitorMs(monitor);
    const args = ['restart', '--service', SERVICE, '--batches', batchesArg(ms), '--monitor', monitor];
    const runs = await repeated('fleetdeck restart', reset, async () => {
      await waitReady(ms);
      return timeline(await fleetdeck(args), ms);
    });
    // Per run, per batch: its slowest member, with the engine's wait of this monitor.
    const lanesOf = (rows: AloneRestart[][]) => rows.map((row) => Array.from({ length: LANES }, (_, l) => Math.max(...ms.flatMap((m, i) => (m.lane === l ? [aloneMs(row[i]!, mMs)] : [])))));
    const perRun = lanesOf(alone);
    const idealLanes = Array.from({ length: LANES }, (_, l) => median(perRun.map((lanes) => lanes[l]!)));
    const idealTotals = perRun.map((lanes) => lanes.reduce((a, b) => a + b, 0));
    const ideal = median(idealTotals);
    const togetherTotals = lanesOf(together).map((lanes) => lanes.reduce((a, b) => a + b, 0));
    const t = medianTimeline(runs);
    console.log(`  fleetdeck restart --monitor ${monitor} (the ideal waits the same: healthy and ${monitor} after each start, per batch)`);
    for (let l = 0; l < LANES; l++) {
      console.log(`    batch ${l + 1}: ideal ${s(idealLanes[l]!)}, engine ${s(t.lanes[l]!.spanMs)} (slowest stop+start ${s(t.lanes[l]!.updateMs)}, watch ${s(t.lanes[l]!.watchMs)})  ${(t.lanes[l]!.spanMs / idealLanes[l]!).toFixed(2)}×`);
    }
    const aloneOn = (pick: (r: AloneRestart) => number) => (h: string) => median(alone.flatMap((row) => ms.flatMap((m, i) => (m.host === h ? [pick(row[i]!)] : []))));
    console.log(`    each step, until the next one (median over batches and runs; the engine's steps include the journal line, the audited call, and for the watch its 500 ms poll):`);
    for (const line of stepLines(t, { stopping: aloneOn((r) => r.stopMs), starting: aloneOn((r) => r.startMs), 'waiting-healthy': aloneOn((r) => Math.max(r.readyMs, mMs)) })) console.log(line);
    console.log(`    after the last batch (the one more monitor of every container): engine ${s(t.tailMs)}, ideal 0 s`);
    console.log(`    total: ideal ${s(ideal)} (${runsOf(idealTotals)})`);
    console.log(`           (not the ideal: each batch's 3 restarts at once through the Engine API, no engine: ${s(median(togetherTotals))}, ${runsOf(togetherTotals)})`);
    console.log(`           rollout (journal start → end) ${s(t.rolloutMs)} (${runsOf(runs.map((r) => r.rolloutMs))})  → ${ratio(t.rolloutMs, ideal, 1.2)}`);
    console.log(`           CLI process (spawn → exit) ${s(t.wallMs)} (${runsOf(runs.map((r) => r.wallMs))}; before the rollout: Node + tsx, connect, plan ${s(t.prepMs)})  → ${ratio(t.wallMs, ideal, 1.2)}`);
    console.log(`           the batches alone (rollout − after the last batch) ${s(t.rolloutMs - t.tailMs)}  → ${((t.rolloutMs - t.tailMs) / ideal).toFixed(2)}×\n`);
  }
}

// ---------------------------------------------------------------- (d) deploy vs a docker-CLI script

async function script(ms: Member[], image: string, health: Health): Promise<number> {
  const args = ms.flatMap((m) => [labHost(m.host).socket, m.name, m.ip, m.mac]);
  const t0 = performance.now();
  await exec('bash', [SCRIPT, image, SERVICE, health, ...args], { env: { ...env, DOCKER_BIN: SCRIPT_DOCKER }, timeout: CLI_TIMEOUT_MS });
  return performance.now() - t0;
}

async function deployPart(health: Health): Promise<void> {
  const from = members(info.images['1.0']!, health);
  const to = info.images['1.1']!;
  const reset = () => recreate(from);
  const what = health === 'image' ? 'the image’s health check (first probe 5 s after start): the engine gates each batch on it' : 'HEALTHCHECK NONE on the containers: neither side waits for health';
  console.log(`(d) deploy lab/app:1.0 → 1.1 of the same ${from.length} containers, ${what}; --monitor ${DEPLOY_MONITOR}; ${RUNS} runs each, from fresh 1.0 members, in alternating order\n`);
  const engine: Timeline[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const engineRun = () =>
      attempt('fleetdeck deploy', reset, async () => {
        await reset();
        const t = timeline(await fleetdeck(['deploy', '--service', SERVICE, '--image', to, '--batches', batchesArg(from), '--monitor', DEPLOY_MONITOR]), from);
        await check(from, to, 'fleetdeck deploy');
        engine.push(t);
      });
    const scriptRun = () =>
      attempt('the docker-CLI script', reset, async () => {
        await reset();
        const ms = await script(from, to, health);
        await check(from, to, 'the docker-CLI script');
        baseline.push(ms);
      });
    for (const step of run % 2 === 0 ? [engineRun, scriptRun] : [scriptRun, engineRun]) await step();
  }
  const t = medianTimeline(engine);
  const base = median(baseline);
  console.log(`  docker-CLI script, sequential, one container after another: ${s(base)} (${runsOf(baseline)})`);
  console.log(`  fleetdeck deploy, ${LANES} batches of ${HOSTS.length}:`);
  for (let l = 0; l < LANES; l++) console.log(`    batch ${l + 1}: ${s(t.lanes[l]!.spanMs)} (slowest pull…start ${s(t.lanes[l]!.updateMs)}, watch ${s(t.lanes[l]!.watchMs)})`);
  console.log(`    each step, until the next one (median over batches and runs):`);
  for (const line of stepLines(t)) console.log(line);
  console.log(`    after the last batch (the one more monitor, removing the ${from.length} old revisions): ${s(t.tailMs)}`);
  console.log(`    rollout (journal start → end) ${s(t.rolloutMs)} (${runsOf(engine.map((r) => r.rolloutMs))})  → ${ratio(t.rolloutMs, base, 1.0)}`);
  console.log(`    CLI process (spawn → exit) ${s(t.wallMs)} (${runsOf(engine.map((r) => r.wallMs))}; before the rollout: Node + tsx, connect, plan ${s(t.prepMs)})  → ${ratio(t.wallMs, base, 1.0)}\n`);
}

// ---------------------------------------------------------------- main

async function environment(): Promise<void> {
  const cpus = os.cpus();
  const hosts = await Promise.all(
    info.hosts.map(async (h) => {
      const v = await daemons[h.name as Member['host']].version();
      return `${h.name} dockerd ${v.Version} (API ${v.ApiVersion}; fleetdeck over ${h.tcp ? 'TLS' : 'SSH'})`;
    }),
  );
  const cli = (await exec(SCRIPT_DOCKER, ['--version'])).stdout.trim();
  console.log(`environment: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}`);
  console.log(`  hosts: ${hosts.join('; ')}`);
  console.log(`  the ideal's restarts and the script use each host's unix socket; the script's CLI: ${SCRIPT_DOCKER} (${cli})`);
  console.log(`  fleetdeck: node main/cli/bin.mjs (the fleetdeck bin), its own data directory; journal fsync before each step, audit line per action\n`);
}

let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= removeAll()
    .catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`))
    .finally(() => rmSync(dataDir, { recursive: true, force: true })));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`bench:rollout: ${signal}, removing the fd-bench-* containers`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let code = 0;
try {
  await waitForHosts();
  await environment();
  if (PART.includes('r')) await restartPart();
  if (PART.includes('d')) for (const health of DEPLOY_HEALTH) await deployPart(health);
} catch (err) {
  console.error(`bench:rollout failed: ${(err as Error).stack ?? String(err)}`);
  code = 1;
} finally {
  await cleanUp();
}
process.exit(code);
