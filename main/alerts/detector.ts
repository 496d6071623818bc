// Turns what the console already sees into alerts: each host's /events (die with its exit code,
// oom, "health_status: unhealthy", start), its state (offline, back), and the stats sampler's
// samples (memory near the limit). What dockerd 20.10 sends, as seen on the lab: a crash is `die`
// (exitCode); an OOM kill is `oom` then `die` 137 a few ms apart; a restart policy's restart is
// `die` then `start`; `docker restart` is kill, die, stop, start, restart; a failing health check
// sends "health_status: unhealthy" once per change to unhealthy (every exec is exec_* events).
// A die or start is decided after a grace, so that the audit line of the action that caused it
// (perhaps another process's, read by a poll) and an oom belonging to it have arrived.
import type { Alert } from '../../shared/alerts';
import type { Container } from '../../shared/model';
import type { StatsTick } from '../../shared/stats';
import type { Clock, Timer } from '../clock/clock';
import type { AlertRules } from '../fleet/alertRules';
import type { ServiceLabels } from '../fleet/spec';
import type { HostStatus } from '../inventory/hostInventory';

/**
 * How long a die or start waits for its evidence. The audit log polls every 500 ms, so another
 * process's start line is read within ~0.5 s of being written; the oom of an OOM kill comes a few
 * ms before its die. 1.5 s covers both with room for a busy machine, and is what an alert is late by.
 */
export const GRACE_MS = 1_500;
/** An oom and a die of the same container this close together are one OOM kill: one alert. */
export const OOM_DIE_MS = 5_000;
/** Containers whose memory was not sampled for this long are forgotten (removed, or gone with their host). */
const MEMORY_FORGET_MS = 5 * 60_000;

/** An event from a host's /events stream, as main/engine's HostConnection emits it. */
export interface AlertEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  /** The daemon's time of the event, ns since the epoch: part of the alert's id, so that two processes merge. */
  timeNano?: number;
  time?: number;
}

/** What the detector needs of a host connection. */
export interface AlertHost {
  readonly spec: { readonly name: string };
  readonly status: HostStatus;
  on(event: 'event', listener: (event: AlertEvent) => void): unknown;
  on(event: 'state', listener: (status: HostStatus) => void): unknown;
}

/** What it needs of the stats sampler: ticks, which keep the sampling loop running while subscribed. */
export interface AlertSamples {
  subscribe(listener: (tick: StatsTick) => void): () => void;
}

export interface DetectorDeps {
  hosts: readonly AlertHost[];
  samples: AlertSamples;
  /** The inventory's containers of a host: the service and group of a sampled container. */
  containers: (host: string) => readonly Container[];
  /** Whether one of our actions on this container caused an event that arrived at `at` (main/alerts/ourActions.ts). */
  ours: { start(): void; stop(): void; caused(host: string, container: { name: string; id: string }, at: number): boolean };
  /** State.OOMKilled of a container that exited with 137 and sent no oom; undefined where it cannot be read (removed). */
  oomKilled?: (host: string, id: string) => Promise<boolean | undefined>;
  rules: AlertRules;
  labels: ServiceLabels;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /** Every alert the detector finds; the service applies the rules' kinds, mutes and cooldown. */
  raise: (alert: Alert) => void;
  log?: (message: string) => void;
}

interface Seen {
  event: AlertEvent;
  host: string;
  id: string;
  name: string;
  /** When it arrived here (this machine's clock). */
  at: number;
}

interface HostWatch {
  online: boolean;
  /** Since when it has been down, once host-offline was raised for it. */
  downSince?: number;
}

interface MemoryWatch {
  since: number;
  last: number;
  raised: boolean;
}

const key = (host: string, id: string) => `${host}\u0000${id}`;
const EXIT_SIGKILL = 137;

export class AlertDetector {
  private running = false;
  private readonly timers = new Set<Timer>();
  private readonly hostWatch = new Map<string, HostWatch>();
  /** The last oom and die of each container (for pairing them), and its recent restarts. */
  private readonly ooms = new Map<string, Seen>();
  private readonly dies = new Map<string, Seen>();
  private readonly restarts = new Map<string, number[]>();
  private readonly memory = new Map<string, MemoryWatch>();
  private unsubscribeSamples: (() => void) | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly deps: DetectorDeps) {
    this.log = deps.log ?? (() => {});
    for (const host of deps.hosts) {
      host.on('event', (event) => this.running && this.onEvent(host.spec.name, event));
      host.on('state', (status) => this.running && this.onState(status));
    }
  }

  /** Starts watching: hosts as they are now, the sampler (when memory-near-limit is on), the audit log. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const host of this.deps.hosts) this.hostWatch.set(host.spec.name, { online: host.status.state === 'online' });
    this.deps.ours.start();
    if (this.deps.rules.kinds['memory-near-limit']) this.unsubscribeSamples = this.deps.samples.subscribe((tick) => this.onTick(tick));
  }

  /** Stops watching; decisions still waiting are dropped. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers) this.deps.clock.clearTimeout(timer);
    this.timers.clear();
    this.unsubscribeSamples?.();
    this.unsubscribeSamples = undefined;
    this.deps.ours.stop();
    for (const map of [this.hostWatch, this.ooms, this.dies, this.restarts, this.memory]) map.clear();
  }

  private onEvent(host: string, event: AlertEvent): void {
    if (event.Type !== 'container' || !event.Actor?.ID) return;
    const seen: Seen = { event, host, id: event.Actor.ID, name: event.Actor.Attributes?.name ?? event.Actor.ID.slice(0, 12), at: this.deps.clock.now() };
    const k = key(host, seen.id);
    if (event.Action === 'die' || event.Action === 'oom' || event.Action === 'start') this.forget(seen.at);
    switch (event.Action) {
      case 'die':
        this.dies.set(k, seen);
        return this.later(() => void this.decideDie(seen));
      case 'oom':
        this.ooms.set(k, seen);
        return this.later(() => this.decideOom(seen));
      case 'start': {
        // The die it follows, taken now: in a fast loop the next die comes before this start's grace ends.
        const lastDie = this.dies.get(k);
        return this.later(() => this.decideStart(seen, lastDie));
      }
      case 'health_status: unhealthy':
        return this.deps.raise(this.containerAlert('unhealthy', seen, `${seen.name} on ${host} is unhealthy (its health check failed)`));
    }
  }

  /** Drops the dies, ooms and restarts too old to pair with anything or to count, so a host's churn is not kept forever. */
  private forget(now: number): void {
    const oldest = now - Math.max(this.deps.rules.restartLoop.windowMs, OOM_DIE_MS) - GRACE_MS;
    for (const map of [this.dies, this.ooms]) for (const [k, seen] of map) if (seen.at < oldest) map.delete(k);
    for (const [k, times] of this.restarts) if (times.every((at) => at < oldest)) this.restarts.delete(k);
  }

  private later(decide: () => void): void {
    const timer = this.deps.clock.setTimeout(() => {
      this.timers.delete(timer);
      decide();
    }, GRACE_MS);
    this.timers.add(timer);
  }

  private async decideDie(die: Seen): Promise<void> {
    const k = key(die.host, die.id);
    const oom = this.ooms.get(k);
    // The oom's own decision raises one alert for both, with this exit code.
    if (this.deps.rules.kinds.oom && oom && Math.abs(oom.at - die.at) <= OOM_DIE_MS) return;
    if (this.deps.ours.caused(die.host, die, die.at)) return;
    const exitCode = exitCodeOf(die.event);
    if (this.deps.rules.kinds.oom && exitCode === EXIT_SIGKILL && this.deps.oomKilled) {
      // No oom event came (some kernels and cgroup setups lose it): State.OOMKilled says.
      const killed = await this.deps.oomKilled(die.host, die.id).catch((err: unknown) => {
        this.log(`alerts: cannot inspect ${die.name} on ${die.host}: ${(err as Error).message}`);
        return undefined;
      });
      if (!this.running) return;
      if (killed) return this.deps.raise(this.oomAlert(die, exitCode));
    }
    const code = exitCode === undefined ? '' : ` with code ${exitCode}`;
    this.deps.raise(this.containerAlert('die', die, `${die.name} on ${die.host} exited${code}; no action of ours stopped it`, exitCode));
  }

  private decideOom(oom: Seen): void {
    const die = this.dies.get(key(oom.host, oom.id));
    const exitCode = die && Math.abs(die.at - oom.at) <= OOM_DIE_MS ? exitCodeOf(die.event) : undefined;
    this.deps.raise(this.oomAlert(oom, exitCode));
  }

  private decideStart(start: Seen, die: Seen | undefined): void {
    const k = key(start.host, start.id);
    const { restarts: most, windowMs } = this.deps.rules.restartLoop;
    // A restart is a start after a die that no action of ours asked for: the restart policy's.
    if (!die || start.at - die.at > windowMs || this.deps.ours.caused(start.host, start, start.at)) return;
    const recent = [...(this.restarts.get(k) ?? []), start.at].filter((at) => start.at - at < windowMs);
    this.restarts.set(k, recent);
    if (recent.length <= most) return;
    const minutes = Math.round(windowMs / 60_000);
    const within = minutes >= 1 ? `${minutes} min` : `${Math.round(windowMs / 1_000)} s`;
    this.deps.raise(this.containerAlert('restart-loop', start, `${start.name} on ${start.host} restarted ${recent.length} times in ${within} (more than ${most})`, exitCodeOf(die.event)));
  }

  private onState(status: HostStatus): void {
    const watch = this.hostWatch.get(status.name) ?? { online: false };
    this.hostWatch.set(status.name, watch);
    const now = this.deps.clock.now();
    if (status.state === 'online') {
      if (watch.downSince !== undefined) {
        const seconds = Math.round((now - watch.downSince) / 1_000);
        this.deps.raise(this.hostAlert('host-back', status.name, now, `${status.name} is back online after ${seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`));
      }
      watch.online = true;
      delete watch.downSince;
    } else if ((status.state === 'offline' || status.state === 'error') && watch.online) {
      // Only a host that was online goes offline: one that never answered since we started is not news.
      watch.online = false;
      watch.downSince = now;
      const why = status.problem ? `: ${status.problem.reason}: ${status.problem.message}` : '';
      this.deps.raise(this.hostAlert('host-offline', status.name, now, `${status.name} is ${status.state}${why}`));
    }
  }

  private onTick(tick: StatsTick): void {
    const { percent, forMs } = this.deps.rules.memory;
    for (const s of tick.containers) {
      const k = key(s.host, s.id);
      if (!(s.memLimit > 0 && s.memPercent >= percent)) {
        this.memory.delete(k);
        continue;
      }
      const watch = this.memory.get(k) ?? { since: s.at, last: s.at, raised: false };
      watch.last = s.at;
      this.memory.set(k, watch);
      if (watch.raised || s.at - watch.since < forMs) continue;
      watch.raised = true;
      const c = this.deps.containers(s.host).find((x) => x.id === s.id);
      const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;
      this.deps.raise({
        id: `memory-near-limit:${s.host}:${s.id.slice(0, 12)}:${watch.since}`,
        time: new Date(s.at).toISOString(),
        kind: 'memory-near-limit',
        host: s.host,
        container: s.name,
        containerId: s.id,
        ...(c?.service ? { service: c.service } : {}),
        ...(c?.group ? { group: c.group } : {}),
        message: `${s.name} on ${s.host} has used ${Math.round(s.memPercent)} % of its memory limit (${mib(s.memUsage)} of ${mib(s.memLimit)}) for ${Math.round((s.at - watch.since) / 1_000)} s`,
      });
    }
    for (const [k, watch] of this.memory) if (tick.at - watch.last > MEMORY_FORGET_MS) this.memory.delete(k);
  }

  private oomAlert(seen: Seen, exitCode: number | undefined): Alert {
    const code = exitCode === undefined ? '' : ` (exit code ${exitCode})`;
    return this.containerAlert('oom', seen, `${seen.name} on ${seen.host} was killed for lack of memory${code}`, exitCode);
  }

  private containerAlert(kind: Alert['kind'], seen: Seen, message: string, exitCode?: number): Alert {
    const attrs = seen.event.Actor?.Attributes ?? {};
    const service = attrs[this.deps.labels.label];
    const group = this.deps.labels.groupLabel ? attrs[this.deps.labels.groupLabel] : undefined;
    const nanos = seen.event.timeNano ?? (seen.event.time !== undefined ? seen.event.time * 1e9 : seen.at * 1e6);
    return {
      // The daemon's event time: every process following this host names the alert the same.
      id: `${kind}:${seen.host}:${seen.id.slice(0, 12)}:${nanos}`,
      time: new Date(Math.floor(nanos / 1e6)).toISOString(),
      kind,
      host: seen.host,
      container: seen.name,
      containerId: seen.id,
      ...(service ? { service } : {}),
      ...(group ? { group } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
      message,
    };
  }

  private hostAlert(kind: 'host-offline' | 'host-back', host: string, at: number, message: string): Alert {
    return { id: `${kind}:${host}:${at}`, time: new Date(at).toISOString(), kind, host, message };
  }
}

function exitCodeOf(event: AlertEvent): number | undefined {
  const text = event.Actor?.Attributes?.exitCode;
  const code = text === undefined ? NaN : Number(text);
  return Number.isInteger(code) ? code : undefined;
}
