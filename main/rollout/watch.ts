// The watch of an updated container that deploy (hostSteps.ts) and restart (restartSteps.ts) share,
// so both fail a container the same way: it exits, restarts, turns unhealthy or is not healthy in
// time (with a HEALTHCHECK), or fails the rollout's optional exec probe.
import type Dockerode from 'dockerode';
import type { Clock } from '../clock/clock';
import type { ContainerCalls } from './containerCalls';
import type { PlanTarget } from './types';

/**
 * How often the watch looks at the container: an exit or a health status change shows within half
 * a second, for one inspect per container per half second (health checks run every few seconds).
 */
export const WATCH_POLL_MS = 500;
/** moby's defaults for a HEALTHCHECK without them (api/types/container: 30 s interval, 3 retries). */
const DEFAULT_HEALTH_INTERVAL_MS = 30_000;
const DEFAULT_HEALTH_RETRIES = 3;
/** An exec probe is a quick command (a curl, a status call); a minute ends one that hangs. */
export const PROBE_DEADLINE_MS = 60_000;

/** How long a container with this HEALTHCHECK may take to be healthy; none without one. */
function healthTimeoutMs(check: Record<string, unknown> | null | undefined): number | undefined {
  const test = check?.Test as string[] | undefined;
  if (!test?.length || test[0] === 'NONE') return undefined;
  const ns = (key: string) => (typeof check![key] === 'number' && (check![key] as number) > 0 ? (check![key] as number) / 1e6 : undefined);
  const retries = typeof check!.Retries === 'number' && check!.Retries > 0 ? check!.Retries : DEFAULT_HEALTH_RETRIES;
  return (ns('StartPeriod') ?? 0) + (ns('Interval') ?? DEFAULT_HEALTH_INTERVAL_MS) * retries;
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
    const healthMs = healthTimeoutMs(first.Config.Healthcheck);
    const began = this.clock.now();
    for (;;) {
      const now = (await this.calls.find(docker, id)) ?? first;
      const s = now.State;
      if (!s.Running || s.Restarting) throw new Error(`${name} on ${host} exited (${s.Status}, code ${s.ExitCode})`);
      if (now.RestartCount !== first.RestartCount || s.StartedAt !== first.State.StartedAt) throw new Error(`${name} on ${host} restarted`);
      if (s.Health?.Status === 'unhealthy') throw new Error(`${name} on ${host} is unhealthy`);
      const elapsed = this.clock.now() - began;
      const healthy = healthMs === undefined || s.Health?.Status === 'healthy';
      if (healthy && elapsed >= monitorMs) return;
      if (!healthy && elapsed >= monitorMs + healthMs!) throw new Error(`${name} on ${host} was not healthy within ${Math.round((monitorMs + healthMs!) / 1000)} s`);
      if (signal.aborted) return;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, WATCH_POLL_MS));
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
