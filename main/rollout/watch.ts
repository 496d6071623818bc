// The watch of an updated container that deploy (hostSteps.ts) and restart (restartSteps.ts) share,
// so both fail a container the same way: it exits, restarts, turns unhealthy or is not healthy in
// time (with a HEALTHCHECK), or fails the rollout's optional exec probe.
import type Dockerode from 'dockerode';
import type { Clock } from '../clock/clock';
import type { ContainerCalls } from './containerCalls';
import type { PlanTarget } from './types';

/**
 * How often the watch looks at the container: an exit shows within half a second, for one inspect
 * per container per half second.
 */
export const WATCH_POLL_MS = 500;
/**
 * After a health probe is due (dockerd runs one every Interval from the start), the watch looks
 * every 50 ms for PROBE_WINDOW_MS. bench:rollout: polling at 500 ms alone, a container seen healthy
 * 5.5 s after its start had turned healthy at 5.07 s, 0.45 s lost per batch; a probe of the lab
 * app (busybox wget in the container) answers within ~0.3 s of its due time under load. Where the
 * daemon's clock is skewed from ours the window misses and the watch polls at 500 ms: slower,
 * never wrong.
 */
export const PROBE_POLL_MS = 50;
export const PROBE_WINDOW_MS = 1_000;
/** moby's defaults for a HEALTHCHECK without them (api/types/container: 30 s interval, 3 retries). */
const DEFAULT_HEALTH_INTERVAL_MS = 30_000;
const DEFAULT_HEALTH_RETRIES = 3;
/** An exec probe is a quick command (a curl, a status call); a minute ends one that hangs. */
export const PROBE_DEADLINE_MS = 60_000;

interface HealthTiming {
  intervalMs: number;
  /** How long the container may take to be healthy. */
  timeoutMs: number;
}

/** The timing of this HEALTHCHECK; none without one. */
function healthTiming(check: Record<string, unknown> | null | undefined): HealthTiming | undefined {
  const test = check?.Test as string[] | undefined;
  if (!test?.length || test[0] === 'NONE') return undefined;
  const ns = (key: string) => (typeof check![key] === 'number' && (check![key] as number) > 0 ? (check![key] as number) / 1e6 : undefined);
  const retries = typeof check!.Retries === 'number' && check!.Retries > 0 ? check!.Retries : DEFAULT_HEALTH_RETRIES;
  const intervalMs = ns('Interval') ?? DEFAULT_HEALTH_INTERVAL_MS;
  return { intervalMs, timeoutMs: (ns('StartPeriod') ?? 0) + intervalMs * retries };
}

/**
 * How long to wait before looking again: never past the monitor's end or a health probe's due
 * time, then every PROBE_POLL_MS for PROBE_WINDOW_MS (at most half the interval) after a due
 * probe, else WATCH_POLL_MS.
 */
export function nextLookMs(input: { now: number; startedAt: number; healthy: boolean; health?: { intervalMs: number }; monitorLeftMs: number }): number {
  const untilMonitorEnds = input.monitorLeftMs > 0 ? input.monitorLeftMs : Infinity;
  if (input.healthy || !input.health || !Number.isFinite(input.startedAt)) return Math.min(WATCH_POLL_MS, untilMonitorEnds);
  const { intervalMs } = input.health;
  const sinceStart = input.now - input.startedAt;
  const sinceProbe = ((sinceStart % intervalMs) + intervalMs) % intervalMs;
  if (sinceStart >= intervalMs && sinceProbe < Math.min(PROBE_WINDOW_MS, intervalMs / 2)) return Math.min(PROBE_POLL_MS, untilMonitorEnds);
  return Math.min(WATCH_POLL_MS, intervalMs - sinceProbe, untilMonitorEnds);
}

/** How much of the last health probe's output a failure quotes: a line or two, enough to say why. */
const PROBE_OUTPUT_CHARS = 200;

/** The last health probe's exit code and output, for the failure's reason; nothing where none is recorded. */
export function lastProbe(log: readonly { ExitCode: number; Output: string }[] | undefined): string {
  const last = log?.at(-1);
  if (!last) return '';
  const output = last.Output.replace(/\s+/g, ' ').trim();
  const shown = output.length > PROBE_OUTPUT_CHARS ? `${output.slice(0, PROBE_OUTPUT_CHARS - 1)}…` : output;
  return ` (last health check: exit ${last.ExitCode}${shown ? `, ${JSON.stringify(shown)}` : ''})`;
}

/** The calls the watch makes: reads, and the probe as an audited action. */
export type WatchCalls = Pick<ContainerCalls<Pick<Dockerode, 'getContainer'>>, 'docker' | 'find' | 'act'>;

export class ContainerWatch {
  constructor(
    private readonly calls: WatchCalls,
    private readonly clock: Pick<Clock, 'now' | 'setTimeout'>,
    /** An optional command run in the container after it is healthy: a non-zero exit fails it. */
    private readonly probeCommand?: string[],
  ) {}

  /** The monitor of an updated container: the watch, then the probe (unless the rollout cut it short). */
  async monitor(target: PlanTarget, id: string, monitorMs: number, signal: AbortSignal): Promise<void> {
    await this.watch(target.host, id, monitorMs, signal);
    if (this.probeCommand && !signal.aborted) await this.probe(target, id, this.probeCommand);
  }

  /**
   * Resolves when the container has run `monitorMs` without exiting or restarting and, with a
   * HEALTHCHECK, is healthy; rejects on an exit, a restart, `unhealthy`, or no `healthy` within
   * monitorMs plus the check's start period and interval × retries.
   */
  async watch(host: string, id: string, monitorMs: number, signal: AbortSignal): Promise<void> {
    const docker = this.calls.docker(host);
    const first = await this.calls.find(docker, id);
    if (!first) throw new Error(`container ${id.slice(0, 12)} on ${host} is gone`);
    const name = first.Name.slice(1);
    const health = healthTiming(first.Config.Healthcheck);
    const began = this.clock.now();
    for (;;) {
      const now = (await this.calls.find(docker, id)) ?? first;
      const s = now.State;
      if (!s.Running || s.Restarting) throw new Error(`${name} on ${host} exited (${s.Status}, code ${s.ExitCode})`);
      if (now.RestartCount !== first.RestartCount || s.StartedAt !== first.State.StartedAt) throw new Error(`${name} on ${host} restarted`);
      if (s.Health?.Status === 'unhealthy') throw new Error(`${name} on ${host} is unhealthy${lastProbe(s.Health.Log)}`);
      const elapsed = this.clock.now() - began;
      const healthy = health === undefined || s.Health?.Status === 'healthy';
      if (healthy && elapsed >= monitorMs) return;
      if (!healthy && elapsed >= monitorMs + health!.timeoutMs) throw new Error(`${name} on ${host} was not healthy within ${Math.round((monitorMs + health!.timeoutMs) / 1000)} s`);
      if (signal.aborted) return;
      const wait = nextLookMs({ now: this.clock.now(), startedAt: Date.parse(s.StartedAt), healthy, ...(health ? { health } : {}), monitorLeftMs: monitorMs - elapsed });
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
    }
  }

  private async probe(target: PlanTarget, id: string, command: string[]): Promise<void> {
    const code = await this.calls.act(target, 'exec-probe', { command }, PROBE_DEADLINE_MS, async (d, abortSignal) => {
      const exec = await d.getContainer(id).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, abortSignal });
      const stream = await exec.start({ hijack: true, stdin: false, abortSignal });
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve).on('close', resolve).on('error', reject);
        stream.resume();
      });
      return (await exec.inspect()).ExitCode;
    });
    if (code !== 0) throw new Error(`${target.name} on ${target.host}: the probe ${JSON.stringify(command.join(' '))} exited with ${code}`);
  }
}
