// The IP map model: every host's networks and endpoints, kept live from the hosts' /events, and
// the fleet-wide snapshot built from them (segments, host addresses, pool use, conflicts, pool
// errors), published coalesced to its listeners. A host that goes offline keeps its last-known
// endpoints, marked stale, and is listed in its segments' offlineHosts; nothing waits on it.
import type { HostState } from '../../shared/model';
import type { IpConflict, IpEndpoint, IpMapSnapshot, IpNetwork, IpSegment } from '../../shared/ipmap';
import { formatIPv4, parseIPv4 } from '../../shared/ip';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import type { DockerEvent } from '../inventory/hostInventory';
import type { HostEndpoint } from './engineRead';
import { buildSegments, poolOf, poolUse, segmentIdOf, type DeclaredSegment, type PoolSpec } from './segments';

/** What the model needs of a host connection (main/engine's HostConnection fits). */
export interface IpMapHost {
  readonly spec: { readonly name: string };
  readonly status: { readonly state: HostState };
  on(event: 'state', listener: (status: { state: HostState }) => void): unknown;
  on(event: 'online', listener: () => void): unknown;
  on(event: 'event', listener: (event: DockerEvent) => void): unknown;
}

/** How a host's networks and endpoints are read (engineRead.ts over the host's Docker client). */
export interface HostReader<H extends IpMapHost> {
  networks(host: H): Promise<IpNetwork[]>;
  endpoints(host: H, networks: readonly { id: string; name: string }[]): Promise<HostEndpoint[]>;
}

/** The conflict finder's input (main/ipmap/conflicts.ts, with the MAC history bound in by the caller). */
export interface ConflictsInput {
  endpoints: readonly IpEndpoint[];
  segments: readonly IpSegment[];
  /** Each with `segment` set to the id of the segment it serves. */
  pools: readonly PoolSpec[];
  /** Every online host has been read: the endpoints are the whole fleet's, not the first hosts' to answer. */
  complete: boolean;
}

export interface IpMapOptions<H extends IpMapHost> {
  hosts: readonly H[];
  reader: HostReader<H>;
  /** The fleet file's segments and pools. */
  segments: readonly DeclaredSegment[];
  pools: readonly PoolSpec[];
  conflicts: (input: ConflictsInput) => IpConflict[];
  /** FILE:LINE messages for pools whose segment no host has. */
  poolErrors: (known: { id: string; subnets: string[] }[]) => string[];
  allocate: (input: { pool: PoolSpec; name: string; taken: ReadonlySet<number> }) => number | undefined;
  clock?: Clock;
  log?: (message: string) => void;
}

/** Re-reading after an event burst: a create+start+connect burst is one read, well inside the 2 s goal. */
export const IP_EVENT_DEBOUNCE_MS = 100;
/** Changes from several hosts within this window make one snapshot. */
export const IP_PUBLISH_COALESCE_MS = 50;

const ENDPOINT_CONTAINER_ACTIONS = /^(create|start|die|destroy|rename)$/;
const ENDPOINT_NETWORK_ACTIONS = /^(connect|disconnect)$/;
const NETWORK_ACTIONS = /^(create|destroy)$/;

interface HostView {
  networks: IpNetwork[];
  endpoints: HostEndpoint[];
  wantNetworks: boolean;
  wantEndpoints: boolean;
  /** The read in flight: a new want is picked up by its loop. */
  reading: Promise<void> | undefined;
  timer: Timer | undefined;
}

export class IpMapService<H extends IpMapHost = IpMapHost> {
  private readonly views = new Map<string, HostView>();
  private readonly listeners = new Set<(snapshot: IpMapSnapshot) => void>();
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private current: IpMapSnapshot | undefined;
  private published = '';
  private publishTimer: Timer | undefined;
  private closed = false;

  constructor(private readonly options: IpMapOptions<H>) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => {});
    for (const host of options.hosts) {
      this.views.set(host.spec.name, { networks: [], endpoints: [], wantNetworks: true, wantEndpoints: true, reading: undefined, timer: undefined });
      host.on('online', () => this.want(host, 'networks', 0));
      host.on('state', () => this.changed());
      host.on('event', (event) => this.onEngineEvent(host, event));
      if (host.status.state === 'online') this.want(host, 'networks', 0);
    }
  }

  snapshot(): IpMapSnapshot {
    this.current ??= this.build();
    return this.current;
  }

  /** Called with each new snapshot (coalesced; only when something besides its time changed). */
  onChange(listener: (snapshot: IpMapSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every address held in the segment: endpoints (stopped static holders too), host addresses, the router. */
  taken(segment: string): Set<number> {
    const snap = this.snapshot();
    const seg = snap.segments.find((s) => s.id === segment);
    const ips = [
      ...snap.endpoints.filter((e) => e.segment === segment).map((e) => e.ip),
      ...(seg?.hostAddresses.map((a) => a.ip) ?? []),
      ...(seg?.router ? [seg.router] : []),
    ];
    return new Set(ips.map(parseIPv4).filter((ip): ip is number => ip !== undefined));
  }

  /** The address the segment's pool gives a container of this name; throws when there is none. */
  next(segment: string, name: string): string {
    const seg = this.snapshot().segments.find((s) => s.id === segment);
    if (!seg) throw Object.assign(new Error(`no segment ${segment} on any host`), { code: 'not-found' });
    const pool = poolOf(seg, this.options.pools);
    if (!pool) throw Object.assign(new Error(`segment ${segment} has no pool in the fleet file (ipPools)`), { code: 'not-found' });
    const ip = this.options.allocate({ pool, name, taken: this.taken(segment) });
    if (ip === undefined) throw Object.assign(new Error(`the pool of segment ${segment} has no free address`), { code: 'conflict' });
    return formatIPv4(ip);
  }

  /** The segment of a host's network (by name or id), or undefined when the map does not follow it. */
  segmentOf(host: string, network: string): string | undefined {
    const net = this.views.get(host)?.networks.find((n) => n.name === network || n.id === network);
    return net && segmentIdOf(host, net, this.options.segments);
  }

  /** Re-reads every host now and resolves once they have answered or failed (for tests and the CLI). */
  async refresh(): Promise<void> {
    await Promise.all(this.options.hosts.map((host) => this.read(host, true)));
  }

  close(): void {
    this.closed = true;
    for (const view of this.views.values()) this.clock.clearTimeout(view.timer);
    this.clock.clearTimeout(this.publishTimer);
    this.listeners.clear();
  }

  private onEngineEvent(host: H, event: DockerEvent): void {
    const action = event.Action ?? '';
    if (event.Type === 'container' && ENDPOINT_CONTAINER_ACTIONS.test(action)) this.want(host, 'endpoints');
    else if (event.Type === 'network' && ENDPOINT_NETWORK_ACTIONS.test(action)) this.want(host, 'endpoints');
    else if (event.Type === 'network' && NETWORK_ACTIONS.test(action)) this.want(host, 'networks');
  }

  private want(host: H, what: 'networks' | 'endpoints', delay = IP_EVENT_DEBOUNCE_MS): void {
    const view = this.views.get(host.spec.name);
    if (!view || this.closed) return;
    if (what === 'networks') view.wantNetworks = true;
    view.wantEndpoints = true;
    if (view.timer) return;
    view.timer = this.clock.setTimeout(() => {
      view.timer = undefined;
      void this.read(host);
    }, delay);
  }

  /** Reads what the host's view wants; one read in flight per host, another right after if asked meanwhile. */
  private read(host: H, all = false): Promise<void> {
    const view = this.views.get(host.spec.name);
    if (!view) return Promise.resolve();
    if (all) view.wantNetworks = view.wantEndpoints = true;
    view.reading ??= this.readLoop(host, view).finally(() => (view.reading = undefined));
    return view.reading;
  }

  private async readLoop(host: H, view: HostView): Promise<void> {
    try {
      while ((view.wantNetworks || view.wantEndpoints) && !this.closed) {
        if (view.wantNetworks) {
          view.wantNetworks = false;
          view.networks = await this.options.reader.networks(host);
        }
        view.wantEndpoints = false;
        view.endpoints = await this.options.reader.endpoints(host, view.networks);
        this.changed();
      }
    } catch (err) {
      // The connection reports the host offline; its last-known view stays, marked stale.
      this.log(`${host.spec.name}: reading the IP map failed: ${(err as Error).message}`);
    }
  }

  private changed(): void {
    this.current = undefined;
    if (this.publishTimer || this.closed) return;
    this.publishTimer = this.clock.setTimeout(() => {
      this.publishTimer = undefined;
      const snap = this.snapshot();
      const key = JSON.stringify({ ...snap, time: '' });
      if (key === this.published) return;
      this.published = key;
      for (const listener of this.listeners) listener(snap);
    }, IP_PUBLISH_COALESCE_MS);
  }

  private build(): IpMapSnapshot {
    const { hosts, segments: declared, pools } = this.options;
    const offline = new Set(hosts.filter((h) => h.status.state !== 'online').map((h) => h.spec.name));
    const networks = hosts.flatMap((h) => this.views.get(h.spec.name)?.networks ?? []);
    const segments = buildSegments(networks, declared, offline);
    const endpoints = hosts.flatMap((h) => this.endpointsOf(h.spec.name, offline.has(h.spec.name)));
    const servedPools: PoolSpec[] = [];
    for (const seg of segments) {
      const pool = poolOf(seg, pools);
      if (!pool) continue;
      servedPools.push({ ...pool, segment: seg.id });
      const held = new Set(endpoints.filter((e) => e.segment === seg.id).map((e) => parseIPv4(e.ip)).filter((ip): ip is number => ip !== undefined));
      seg.pool = poolUse(pool, seg, held);
    }
    return {
      time: new Date(this.clock.now()).toISOString(),
      segments,
      endpoints,
      networks,
      conflicts: this.options.conflicts({ endpoints, segments, pools: servedPools, complete: hosts.every((h) => offline.has(h.spec.name) || this.views.has(h.spec.name)) }),
      poolErrors: this.options.poolErrors(segments.map((s) => ({ id: s.id, subnets: s.subnets }))),
    };
  }

  private endpointsOf(host: string, stale: boolean): IpEndpoint[] {
    const view = this.views.get(host);
    if (!view) return [];
    const byId = new Map(view.networks.map((n) => [n.id, n]));
    return view.endpoints.flatMap(({ networkId, ...e }) => {
      const net = byId.get(networkId);
      const segment = net && segmentIdOf(host, net, this.options.segments);
      return segment ? [{ ...e, segment, host, ...(stale ? { stale: true } : {}) }] : [];
    });
  }
}
