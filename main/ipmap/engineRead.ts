// Reads one host's networks and container endpoints from the Engine API and maps them to the IP
// map's shapes. The mapping is pure (mapNetwork, mapEndpoints); readNetworks/readEndpoints make
// the calls: GET /networks, an inspect for each network that carries addresses, and
// GET /containers/json?all=1 (whose NetworkSettings.Networks carry IPAMConfig).
import type Dockerode from 'dockerode';
import type { IpNetwork } from '../../shared/ipmap';

/** The drivers whose endpoints hold addresses on an L2 of their own (overlay, host, null do not). */
export const ADDRESSED_DRIVERS = new Set(['bridge', 'macvlan', 'ipvlan']);
const BRIDGE_NAME = 'com.docker.network.bridge.name';
/** docker0: host-local and NATed on every host, so its equal subnets are not one L2. */
const DEFAULT_BRIDGE = 'com.docker.network.bridge.default_bridge';

/** The fields of GET /networks/{id} that the map uses. */
export interface EngineNetwork {
  Id: string;
  Name: string;
  Driver: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null } | null;
  Options?: Record<string, string> | null;
}

/** The fields of GET /containers/json?all=1 items that the map uses. */
export interface EngineEndpointContainer {
  Id: string;
  Names?: string[];
  State: string;
  Created: number;
  NetworkSettings?: {
    Networks?: Record<string, { NetworkID?: string; IPAddress?: string; MacAddress?: string; IPAMConfig?: { IPv4Address?: string } | null }> | null;
  } | null;
}

/** An endpoint as one host sees it, before the model places it in a segment. */
export interface HostEndpoint {
  network: string;
  networkId: string;
  container: string;
  containerId: string;
  ip: string;
  mac?: string;
  static: boolean;
  state: string;
  since: string;
}

/** Whether the map follows this network: an addressed driver, not docker0. */
export function isMapped(n: EngineNetwork): boolean {
  return ADDRESSED_DRIVERS.has(n.Driver) && n.Options?.[DEFAULT_BRIDGE] !== 'true';
}

export function mapNetwork(host: string, n: EngineNetwork): IpNetwork {
  const config = n.IPAM?.Config ?? [];
  const ipRange = config.find((c) => c.IPRange)?.IPRange;
  const bridge = n.Options?.[BRIDGE_NAME];
  return {
    host,
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    subnets: config.flatMap((c) => (c.Subnet ? [c.Subnet] : [])),
    gateways: config.flatMap((c) => (c.Gateway ? [c.Gateway] : [])),
    ...(ipRange ? { ipRange } : {}),
    ...(bridge ? { bridge } : {}),
  };
}

/**
 * Every IPv4 endpoint of the listed containers on the given networks. A stopped container has no
 * IPAddress, but one with IPAMConfig.IPv4Address still holds that address; one created and never
 * started has no NetworkID yet either, so it is matched by the network's name.
 */
export function mapEndpoints(items: readonly EngineEndpointContainer[], networks: readonly { id: string; name: string }[]): HostEndpoint[] {
  const ids = new Set(networks.map((n) => n.id));
  const idByName = new Map(networks.map((n) => [n.name, n.id]));
  const out: HostEndpoint[] = [];
  for (const item of items) {
    const container = (item.Names?.[0] ?? item.Id.slice(0, 12)).replace(/^\//, '');
    for (const [network, n] of Object.entries(item.NetworkSettings?.Networks ?? {})) {
      const networkId = n.NetworkID || idByName.get(network);
      if (!networkId || !ids.has(networkId)) continue;
      const configured = n.IPAMConfig?.IPv4Address || undefined;
      const ip = n.IPAddress || configured;
      if (!ip) continue;
      out.push({
        network,
        networkId,
        container,
        containerId: item.Id,
        ip,
        ...(n.MacAddress ? { mac: n.MacAddress.toLowerCase() } : {}),
        static: configured !== undefined,
        state: item.State,
        since: new Date(item.Created * 1000).toISOString(),
      });
    }
  }
  return out;
}

export async function readNetworks(docker: Dockerode, host: string): Promise<IpNetwork[]> {
  const listed = (await docker.listNetworks()) as unknown as EngineNetwork[];
  const mapped = listed.filter(isMapped);
  const inspected = await Promise.all(mapped.map((n) => inspectNetwork(docker, n.Id)));
  return inspected.flatMap((n) => (n && isMapped(n) ? [mapNetwork(host, n)] : []));
}

/** The network, or undefined when it was removed since the list (any other failure throws). */
async function inspectNetwork(docker: Dockerode, id: string): Promise<EngineNetwork | undefined> {
  try {
    return (await docker.getNetwork(id).inspect()) as EngineNetwork;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

export async function readEndpoints(docker: Dockerode, networks: readonly { id: string; name: string }[]): Promise<HostEndpoint[]> {
  const items = (await docker.listContainers({ all: true })) as unknown as EngineEndpointContainer[];
  return mapEndpoints(items, networks);
}
