// "Create container here" and "Clone" from the IP map: the plan (name, host, the pool's next IP for
// the name, image, the settings it carries) and the create itself, through the action path
// (audited 'create' then 'start' on the target host), on the segment's network on that host with
// IPAMConfig.IPv4Address. An address held anywhere in the segment is refused, naming its holder,
// and checked again right before the create (the map may have changed since the plan). A clone
// carries the source's settings as a deploy does (main/rollout/createConfig's carryOver), with the
// new name, host and IP and without the source's MAC.
import type Dockerode from 'dockerode';
import type { ActionPath } from '../actions/actionPath';
import { ActionError, CONTAINER_ACTION_DEADLINE_MS } from '../actions/actionPath';
import { dockerErrorCode, dockerMessage, dockerStatus } from '../engine/dockerErrors';
import type { z } from 'zod';
import { formatIPv4, parseIPv4 } from '../../shared/ip';
import type { IpCreatePlan, IpCreateRequest, ipMapSlice } from '../../shared/ipmap';
import type { ApiOf } from '../../shared/slice';
import { connectTo } from '../rollout/hostSteps';
import { apiAtLeast, carryOver, type CarriedConfig, type EndpointConfig, type ImageDefaults, type InspectedContainer } from '../rollout/createConfig';

/** moby API 1.44: the first to take a per-endpoint MacAddress at create; before it the engine derives the MAC from the IP. */
const ENDPOINT_MAC_API = '1.44';

export type IpCreated = z.infer<typeof ipMapSlice.calls.ipCreate.response>;

/** What it reads of the map (main/ipmap/ipMapService): who holds what, and each host's networks. */
export interface CreateHereMap {
  snapshot(): {
    endpoints: readonly { segment: string; host: string; network: string; container: string; ip: string; state: string }[];
    segments: readonly { id: string; subnets: readonly string[]; hostAddresses: readonly { host: string; ip: string }[]; router?: string }[];
    networks: readonly { host: string; name: string }[];
  };
  segmentOf(host: string, network: string): string | undefined;
  /** Every address held anywhere in the segment (uint32), reserved and host addresses included. */
  taken(segment: string): ReadonlySet<number>;
}

/** The segment's pool as the fleet file gives it (main/fleet/spec's IpPoolSpec); `mac` says whether to set a MAC on 1.44+. */
export interface CreateHerePool {
  segment: string;
  range: { first: number; last: number };
  reserved: readonly number[];
  byName: boolean;
  line: number;
  mac?: 'derive' | 'none';
}

export type CreateHereDocker = Pick<Dockerode, 'getContainer' | 'getImage' | 'createContainer' | 'version'>;

export interface CreateHereDeps<P extends CreateHerePool = CreateHerePool> {
  map: CreateHereMap;
  pools: () => readonly P[];
  /** The pool's next address for the name over what is taken (main/ipmap/allocator's allocate). */
  allocate: (input: { pool: P; name: string; taken: ReadonlySet<number> }) => number | undefined;
  actions: Pick<ActionPath, 'run'>;
  hosts: { host(name: string): { readonly docker: CreateHereDocker } | undefined };
  /** The fleet file's path, to name a reserved address's line. */
  fleetFile?: string;
}

/** A plan and the create body it stands for. */
interface Prepared {
  plan: IpCreatePlan;
  network: string;
  config: CarriedConfig;
}

/** The MAC the engine derives from an IPv4 address (02:42 then the address's four bytes). */
export function derivedMac(ip: number): string {
  return ['02', '42', ...[24, 16, 8, 0].map((shift) => ((ip >>> shift) & 255).toString(16).padStart(2, '0'))].join(':');
}

/**
 * The MAC to set on the new endpoint: none before API 1.44 (the engine derives it from the IP);
 * on 1.44+ the derived one only where the pool says 'derive' (1.44+ engines pick a random MAC).
 */
export function endpointMac(apiVersion: string, pool: Pick<CreateHerePool, 'mac'>, ip: number): string | undefined {
  return apiAtLeast(apiVersion, ENDPOINT_MAC_API) && pool.mac === 'derive' ? derivedMac(ip) : undefined;
}

/** Who holds `ip` in the segment, in words, or undefined when nobody the map knows does. */
export function holderOf(map: CreateHereMap, pool: CreateHerePool | undefined, segment: string, ip: string, fleetFile = 'the fleet file'): string | undefined {
  const snap = map.snapshot();
  const endpoint = snap.endpoints.find((e) => e.segment === segment && e.ip === ip);
  if (endpoint) return `container ${endpoint.container} on ${endpoint.host} (${endpoint.state})`;
  const seg = snap.segments.find((s) => s.id === segment);
  if (seg?.router === ip) return `the segment's router`;
  const hostAddress = seg?.hostAddresses.find((h) => h.ip === ip);
  if (hostAddress) return `${hostAddress.host}'s host address`;
  const n = parseIPv4(ip);
  if (n !== undefined && pool?.reserved.includes(n)) return `a reserved address (${fleetFile}:${pool.line})`;
  if (n !== undefined && map.taken(segment).has(n)) return 'an address already taken';
  return undefined;
}

/** The plan's settings in words: what the new container carries. */
export function describeSettings(config: CarriedConfig, network: string, ip: string, mac: string | undefined, from?: string): IpCreatePlan['settings'] {
  const { body } = config;
  const settings: IpCreatePlan['settings'] = [];
  const add = (key: string, value: string | undefined) => {
    if (value) settings.push({ key, value });
  };
  add('from', from);
  add('network', `${network} at ${ip}`);
  add('mac', mac ?? 'none set: the engine chooses it');
  add('command', [...(body.Entrypoint ?? []), ...(body.Cmd ?? [])].join(' '));
  add('env', body.Env?.length ? body.Env.map((e) => e.split('=')[0]).join(', ') : undefined);
  add('labels', Object.keys(body.Labels ?? {}).join(', '));
  const mounts = [...(body.HostConfig.Binds ?? []), ...(body.HostConfig.Mounts ?? []).map((m) => `${m.Source ?? ''}:${m.Target}`)];
  add('mounts', mounts.join(', '));
  add('ports', Object.keys((body.HostConfig.PortBindings as Record<string, unknown> | undefined) ?? {}).join(', '));
  const restart = body.HostConfig.RestartPolicy as { Name?: string } | undefined;
  add('restart', restart?.Name);
  add('other networks', [...Object.keys(body.NetworkingConfig.EndpointsConfig).filter((n) => n !== network), ...config.connect.map((c) => c.network)].join(', '));
  return settings;
}

export class CreateHere<P extends CreateHerePool = CreateHerePool> {
  constructor(private readonly deps: CreateHereDeps<P>) {}

  async plan(request: IpCreateRequest): Promise<IpCreatePlan> {
    return (await this.prepare(request)).plan;
  }

  /** Creates and starts the planned container; the request's `ip`, when given, is the plan's (refused when taken since). */
  async create(request: IpCreateRequest): Promise<IpCreated> {
    const { plan, network, config } = await this.prepare(request);
    const target = { host: plan.host, container: plan.name };
    const id = await this.deps.actions.run({ action: 'create', target, params: { image: plan.image, network, ip: plan.ip }, deadlineMs: CONTAINER_ACTION_DEADLINE_MS }, async (host, abortSignal) => {
      this.refuseTaken(plan.segment, plan.ip); // right before creating: the map may have changed
      const created = await host.docker.createContainer({ ...(config.body as Dockerode.ContainerCreateOptions), name: plan.name, abortSignal });
      return created.id;
    });
    for (const { network: other, endpoint } of config.connect) {
      await this.deps.actions.run({ action: 'network-connect', target, params: { network: other }, deadlineMs: CONTAINER_ACTION_DEADLINE_MS }, async (host, abortSignal) => {
        await connectTo(host.docker, other, id, endpoint, abortSignal);
      });
    }
    await this.deps.actions.run({ action: 'start', target, params: { id: id.slice(0, 12) }, deadlineMs: CONTAINER_ACTION_DEADLINE_MS }, async (host, abortSignal) => {
      await host.docker.getContainer(id).start({ abortSignal });
    });
    return { host: plan.host, name: plan.name, id, ip: plan.ip };
  }

  private async prepare(request: IpCreateRequest): Promise<Prepared> {
    const { segment, host, name } = request;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new ActionError(`"${name}" is not a container name (letters, digits, _ . - and not starting with one of those)`, 'conflict');
    const pool = this.poolOf(segment);
    if (!pool) throw new ActionError(`segment ${segment} has no IP pool in the fleet file`, 'not-found');
    const network = this.networkOn(host, segment);
    const docker = this.docker(host);
    const ip = this.address(request, pool);
    const apiVersion = await read(async () => (await docker.version()).ApiVersion);
    const mac = endpointMac(apiVersion, pool, parseIPv4(ip)!);
    const endpoint: EndpointConfig = { IPAMConfig: { IPv4Address: ip }, ...(mac ? { MacAddress: mac } : {}) };
    let config: CarriedConfig;
    let from: string | undefined;
    if (request.kind === 'create') {
      config = {
        name,
        body: { Image: request.image, Hostname: name, HostConfig: { NetworkMode: network }, NetworkingConfig: { EndpointsConfig: { [network]: endpoint } } },
        connect: [],
      };
    } else {
      from = `${request.from.container} on ${request.from.host}`;
      config = await this.cloneConfig(request.from, name, segment, network, endpoint, apiVersion);
    }
    const image = config.body.Image;
    return { plan: { name, host, segment, ip, ...(mac ? { mac } : {}), image, settings: describeSettings(config, network, ip, mac, from) }, network, config };
  }

  /** The asked address (refused when taken, naming its holder), else the pool's next for the name. */
  private address(request: IpCreateRequest, pool: P): string {
    if (request.ip !== undefined) {
      const n = parseIPv4(request.ip);
      if (n === undefined) throw new ActionError(`"${request.ip}" is not an IPv4 address`, 'conflict');
      if (n < pool.range.first || n > pool.range.last) throw new ActionError(`${request.ip} is outside the pool of ${pool.segment} (${formatIPv4(pool.range.first)}-${formatIPv4(pool.range.last)})`, 'conflict');
      this.refuseTaken(request.segment, request.ip);
      return request.ip;
    }
    const next = this.deps.allocate({ pool, name: request.name, taken: this.deps.map.taken(request.segment) });
    if (next === undefined) throw new ActionError(`the pool of ${request.segment} has no free address`, 'conflict');
    return formatIPv4(next);
  }

  private refuseTaken(segment: string, ip: string): void {
    const pool = this.poolOf(segment);
    const holder = holderOf(this.deps.map, pool, segment, ip, this.deps.fleetFile);
    if (holder) throw new ActionError(`${ip} is in use in ${segment}: held by ${holder}`, 'conflict');
  }

  /** The pool naming the segment, else one naming a subnet of it (as the map's pool use finds it: segments.ts poolOf). */
  private poolOf(segment: string): P | undefined {
    const pools = this.deps.pools();
    const subnets = this.deps.map.snapshot().segments.find((s) => s.id === segment)?.subnets ?? [];
    return pools.find((p) => p.segment === segment) ?? pools.find((p) => subnets.includes(p.segment));
  }

  private networkOn(host: string, segment: string): string {
    const network = this.deps.map.snapshot().networks.find((n) => n.host === host && this.deps.map.segmentOf(host, n.name) === segment);
    if (!network) throw new ActionError(`${host} has no network on segment ${segment}`, 'not-found');
    return network.name;
  }

  private docker(host: string): CreateHereDocker {
    const found = this.deps.hosts.host(host);
    if (!found) throw new ActionError(`no host named "${host}" in the fleet`, 'not-found');
    return found.docker;
  }

  /** The source's settings as a deploy carries them, moved to the new name, host, network and IP, without its MAC. */
  private async cloneConfig(from: { host: string; container: string }, name: string, segment: string, network: string, endpoint: EndpointConfig, apiVersion: string): Promise<CarriedConfig> {
    const source = this.docker(from.host);
    const old = await read(async () => (await source.getContainer(from.container).inspect()) as unknown as InspectedContainer & { Image: string });
    const defaults = (await read(() => source.getImage(old.Image).inspect())).Config as ImageDefaults;
    const carried = carryOver({ old: { ...old, Config: { ...old.Config, MacAddress: '' } }, oldImage: defaults, newImage: defaults, image: old.Config.Image ?? old.Image, apiVersion });
    const { EndpointsConfig } = carried.body.NetworkingConfig;
    const sourceNetwork = Object.keys(old.NetworkSettings.Networks ?? {}).find((n) => this.deps.map.segmentOf(from.host, n) === segment);
    const moved: Record<string, EndpointConfig> = {};
    for (const [net, settings] of Object.entries(EndpointsConfig)) {
      if (net === sourceNetwork) moved[network] = { ...withoutAddress(settings), ...endpoint };
      else moved[net] = withoutAddress(settings);
    }
    if (!sourceNetwork) moved[network] = endpoint;
    const networkMode = carried.body.HostConfig.NetworkMode === sourceNetwork ? network : carried.body.HostConfig.NetworkMode;
    return {
      name,
      body: { ...carried.body, Hostname: name, HostConfig: { ...carried.body.HostConfig, ...(networkMode ? { NetworkMode: networkMode } : {}) }, NetworkingConfig: { EndpointsConfig: moved } },
      connect: carried.connect.map((c) => ({ network: c.network, endpoint: withoutAddress(c.endpoint) })),
    };
  }
}

/** The slice's create calls (main/ipmap/bind.ts spreads them into the IP map's binding). */
export function bindIpCreate(creator: Pick<CreateHere, 'plan' | 'create'>): Pick<ApiOf<typeof ipMapSlice>, 'ipCreatePlan' | 'ipCreate'> {
  return {
    ipCreatePlan: (request) => creator.plan(request),
    ipCreate: (request) => creator.create(request),
  };
}

/** An endpoint without the source's addresses: the clone must not take them (static IPs and MACs are unique). */
function withoutAddress({ IPAMConfig: _ipam, MacAddress: _mac, ...rest }: EndpointConfig): EndpointConfig {
  return rest;
}

/** A read on a daemon, its failure in the action path's shape (a missing container reads 'not-found'). */
async function read<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ActionError) throw err;
    throw new ActionError(dockerMessage(err), dockerStatus(err) === 404 ? 'not-found' : dockerErrorCode(err));
  }
}
