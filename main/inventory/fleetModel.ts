// The fleet as one model: host statuses and container lists from every host, with changes
// batched into one FleetChange per flush so a burst of events is one message to the renderer.
import type { Container, FleetChange, FleetSnapshot, Host } from '../../shared/model';
import type { ServiceLabels } from '../fleet/spec';
import pLimit from 'p-limit';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import { HostInventory, INSPECT_CONCURRENCY_FLEET, type EngineHost } from './hostInventory';

/** One renderer message per frame at most. */
const FLUSH_MS = 16;

type Listener = (change: FleetChange) => void;

export interface FleetModelOptions {
  log?: (message: string) => void;
  /** Runs the flush and every host inventory's debounce (default: the system clock). */
  clock?: Clock;
}

export class FleetModel {
  private readonly inventories = new Map<string, HostInventory>();
  private readonly byName = new Map<string, EngineHost>();
  private readonly listeners = new Set<Listener>();
  private readonly dirtyHosts = new Set<string>();
  private readonly dirtyContainers = new Set<string>();
  private flushTimer: Timer | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly hosts: EngineHost[],
    labels: ServiceLabels,
    { log, clock = systemClock }: FleetModelOptions = {},
  ) {
    this.clock = clock;
    const fleetInspectLimit = pLimit(INSPECT_CONCURRENCY_FLEET);
    for (const host of hosts) {
      this.byName.set(host.spec.name, host);
      const inventory = new HostInventory(
        host,
        labels,
        () => {
          this.dirtyContainers.add(host.spec.name);
          this.dirtyHosts.add(host.spec.name);
          this.scheduleFlush();
        },
        { clock, fleetInspectLimit, ...(log ? { log } : {}) },
      );
      this.inventories.set(host.spec.name, inventory);
      host.on('state', () => {
        this.dirtyHosts.add(host.spec.name);
        this.scheduleFlush();
      });
    }
  }

  host(name: string): EngineHost | undefined {
    return this.byName.get(name);
  }

  /** A host has settled once it answered with its containers, or failed to answer. */
  isSettled(name: string): boolean {
    const state = this.byName.get(name)?.status.state;
    return state === 'offline' || state === 'error' || (state === 'online' && this.inventories.get(name)?.loaded === true);
  }

  hostView(host: EngineHost): Host {
    const inventory = this.inventories.get(host.spec.name);
    if (!inventory?.everListed) return host.status;
    const containers = inventory.list();
    return {
      ...host.status,
      containersRunning: containers.filter((c) => c.state === 'running').length,
      containersTotal: containers.length,
    };
  }

  containers(hostName: string): Container[] {
    return this.inventories.get(hostName)?.list() ?? [];
  }

  snapshot(): FleetSnapshot {
    return {
      hosts: this.hosts.map((h) => this.hostView(h)),
      containers: this.hosts.flatMap((h) => this.containers(h.spec.name)),
    };
  }

  /** Re-lists a host now; resolves when its list is current (used after an action). */
  refresh(hostName: string): Promise<void> {
    return this.inventories.get(hostName)?.refresh() ?? Promise.resolve();
  }

  /** Sends the whole fleet at once, then every change. */
  subscribe(listener: Listener): () => void {
    listener({
      hosts: this.hosts.map((h) => this.hostView(h)),
      containers: this.hosts.map((h) => ({ host: h.spec.name, list: this.containers(h.spec.name) })),
      removedHosts: [],
    });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.clock.clearTimeout(this.flushTimer);
    for (const inventory of this.inventories.values()) inventory.close();
    this.listeners.clear();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = this.clock.setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const change: FleetChange = {
      hosts: [...this.dirtyHosts].flatMap((name) => {
        const host = this.host(name);
        return host ? [this.hostView(host)] : [];
      }),
      containers: [...this.dirtyContainers].map((name) => ({ host: name, list: this.containers(name) })),
      removedHosts: [],
    };
    this.dirtyHosts.clear();
    this.dirtyContainers.clear();
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A failing subscriber (e.g. a closed socket) must not stop the others.
      }
    }
  }
}
