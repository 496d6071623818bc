// Keeps one host's container list in sync: a full list when the host comes online, and a fresh
// list (debounced, one in flight) after each container or network event. The list is published as
// soon as it is read; start times (which only inspect knows) follow in the background.
import type Dockerode from 'dockerode';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Container, Host } from '../../shared/model';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import type { ServiceLabels } from '../fleet/spec';
import { normalizeContainer, parseDockerTime, type EngineContainer } from './normalize';

/** A host's status as the engine reports it; the inventory adds the container counts. */
export type HostStatus = Omit<Host, 'containersRunning' | 'containersTotal'>;

export interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  id?: string;
}

/** What the inventory needs from a host connection (main/engine's HostConnection). */
export interface EngineHost {
  readonly spec: { readonly name: string };
  readonly docker: Dockerode;
  readonly status: HostStatus;
  on(event: 'state', listener: (status: HostStatus) => void): unknown;
  on(event: 'online', listener: () => void): unknown;
  on(event: 'event', listener: (event: DockerEvent) => void): unknown;
}

/** Re-listing right after an event burst: short enough to stay well inside the 1 s freshness goal. */
const EVENT_DEBOUNCE_MS = 50;
/** Inspect calls in flight per host while learning start times; keeps room for user actions. */
const INSPECT_CONCURRENCY_PER_HOST = 2;
/** The same, fleet-wide: a thousand hosts coming online must not open thousands of sockets at once. */
export const INSPECT_CONCURRENCY_FLEET = 32;

export interface HostInventoryOptions {
  log?: (message: string) => void;
  /** Runs the debounce after events (default: the system clock). */
  clock?: Clock;
  /** Shared by every host of a fleet (default: a limit of this host's own). */
  fleetInspectLimit?: LimitFunction;
}

export class HostInventory {
  private items: EngineContainer[] = [];
  private containers: Container[] = [];
  /** Start times by container id; undefined once inspect failed (learned again after its next start). */
  private startedAt = new Map<string, number | undefined>();
  private refreshing = false;
  private again = false;
  private learning = false;
  private timer: Timer | undefined;
  private closed = false;
  private readonly inspectLimit = pLimit(INSPECT_CONCURRENCY_PER_HOST);
  private readonly log: (message: string) => void;
  private readonly clock: Clock;
  private readonly fleetInspectLimit: LimitFunction;
  /** True once a list has been read since the host last came online. */
  loaded = false;
  /** True once any list has been read: until then the host's container counts are unknown. */
  everListed = false;

  constructor(
    private readonly host: EngineHost,
    private readonly labels: ServiceLabels,
    private readonly onChange: (containers: Container[]) => void,
    options: HostInventoryOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.clock = options.clock ?? systemClock;
    this.fleetInspectLimit = options.fleetInspectLimit ?? pLimit(INSPECT_CONCURRENCY_FLEET);
    host.on('online', () => {
      this.loaded = false;
      // Inspects that failed while the host was going away get another try.
      for (const [id, at] of this.startedAt) if (at === undefined) this.startedAt.delete(id);
      this.refreshSoon(0);
    });
    host.on('event', (event) => this.onEngineEvent(event));
  }

  list(): Container[] {
    return this.containers;
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
  }

  /** Lists now (or right after the list in flight) and resolves when the list is current. */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.again = false;
        await this.listOnce();
      } while (this.again && !this.closed);
    } catch (err) {
      // The connection's own state machine reports the host offline; keep the last known list.
      this.log(`${this.host.spec.name}: listing containers failed: ${(err as Error).message}`);
    } finally {
      this.refreshing = false;
    }
  }

  private refreshSoon(delay = EVENT_DEBOUNCE_MS): void {
    if (this.closed || this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  private onEngineEvent(event: DockerEvent): void {
    if (event.Type !== 'container' && event.Type !== 'network') return;
    // Health checks run as execs: their exec_* events change nothing we show (health_status does).
    if (event.Action?.startsWith('exec_')) return;
    const id = event.Actor?.ID ?? event.id;
    if (event.Type === 'container' && id && /^(start|restart|unpause|die|destroy)$/.test(event.Action ?? '')) {
      this.startedAt.delete(id);
    }
    this.refreshSoon();
  }

  private async listOnce(): Promise<void> {
    const items = (await this.host.docker.listContainers({ all: true })) as unknown as EngineContainer[];
    if (this.closed) return;
    const live = new Set(items.map((i) => i.Id));
    for (const id of this.startedAt.keys()) if (!live.has(id)) this.startedAt.delete(id);
    this.items = items;
    this.publish();
    this.loaded = true;
    this.everListed = true;
    void this.learnStartTimes();
  }

  private publish(): void {
    this.containers = this.items.map((item) => normalizeContainer(this.host.spec.name, item, this.labels, this.startedAt.get(item.Id)));
    this.onChange(this.containers);
  }

  /** Inspects the running containers whose start time is unknown, then publishes them; one pass at a time. */
  private async learnStartTimes(): Promise<void> {
    if (this.learning) return;
    this.learning = true;
    try {
      for (;;) {
        const ids = this.items.filter((i) => i.State === 'running' && !this.startedAt.has(i.Id)).map((i) => i.Id);
        if (ids.length === 0 || this.closed) return;
        await Promise.all(ids.map((id) => this.inspectLimit(() => this.fleetInspectLimit(() => this.learnStartTime(id)))));
        if (!this.closed) this.publish();
      }
    } finally {
      this.learning = false;
    }
  }

  private async learnStartTime(id: string): Promise<void> {
    if (this.closed) return;
    try {
      const info = await this.host.docker.getContainer(id).inspect();
      this.startedAt.set(id, parseDockerTime(info.State?.StartedAt));
    } catch {
      // Gone between list and inspect, or the host is failing: its next list or reconnect retries.
      this.startedAt.set(id, undefined);
    }
  }
}
