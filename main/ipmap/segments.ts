// Pure: which segment each network belongs to, and each segment's hosts, host addresses, router
// and pool use. Networks on different hosts with the same subnet are one segment unless the fleet
// file declares otherwise: several subnets that are one L2 (a name over them), or one subnet that
// is several (a name for its part on the listed hosts).
import type { IpNetwork, IpPoolUse, IpSegment } from '../../shared/ipmap';
import { formatIpRange, parseCidr, parseIPv4, rangeContains, rangeSize } from '../../shared/ip';

/** What the model needs of the fleet file's segments (main/fleet/spec.ts's SegmentSpec fits). */
export interface DeclaredSegment {
  readonly name: string;
  readonly subnets: readonly string[];
  readonly hosts?: readonly string[] | undefined;
}

/** What the model needs of a fleet file pool (main/fleet/spec.ts's IpPoolSpec fits). */
export interface PoolSpec {
  readonly segment: string;
  readonly range: { readonly first: number; readonly last: number };
  readonly reserved: readonly number[];
  readonly byName: boolean;
}

const isIPv4Cidr = (s: string): boolean => parseCidr(s) !== undefined;

/** The network's IPv4 subnet: the one a segment is keyed by (IPv6 is shown, never allocated). */
export function ipv4Subnet(network: IpNetwork): string | undefined {
  return network.subnets.find(isIPv4Cidr);
}

/** A host-specific declaration wins over a host-less one, which wins over the bare subnet. */
export function segmentIdOf(host: string, network: IpNetwork, declared: readonly DeclaredSegment[]): string | undefined {
  const subnet = ipv4Subnet(network);
  if (!subnet) return undefined;
  const covering = declared.filter((d) => d.subnets.includes(subnet));
  return (covering.find((d) => d.hosts?.includes(host)) ?? covering.find((d) => !d.hosts))?.name ?? subnet;
}

/** IPv4 gateways of a network. */
const gatewaysOf = (network: IpNetwork): string[] => network.gateways.filter((g) => parseIPv4(g) !== undefined);

/**
 * The segments of these networks. A gateway every host of a segment shares (two hosts or more) is
 * its router; every other gateway is the address of the host whose network has it.
 */
export function buildSegments(networks: readonly IpNetwork[], declared: readonly DeclaredSegment[], offline: ReadonlySet<string>): IpSegment[] {
  const byId = new Map<string, IpNetwork[]>();
  for (const n of networks) {
    const id = segmentIdOf(n.host, n, declared);
    if (id === undefined) continue;
    byId.set(id, [...(byId.get(id) ?? []), n]);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, nets]) => {
      const hosts = [...new Set(nets.map((n) => n.host))].sort();
      const subnets = [...new Set(nets.flatMap((n) => n.subnets.filter(isIPv4Cidr)))].sort();
      const gatewaysByHost = new Map(hosts.map((h) => [h, new Set(nets.filter((n) => n.host === h).flatMap(gatewaysOf))]));
      const shared = hosts.length >= 2 ? [...(gatewaysByHost.get(hosts[0] ?? '') ?? [])].find((g) => hosts.every((h) => gatewaysByHost.get(h)?.has(g))) : undefined;
      const hostAddresses = hosts.flatMap((host) => [...(gatewaysByHost.get(host) ?? [])].filter((ip) => ip !== shared).map((ip) => ({ host, ip })));
      return { id, subnets, hosts, offlineHosts: hosts.filter((h) => offline.has(h)), hostAddresses, ...(shared ? { router: shared } : {}) };
    });
}

/** The pool a segment draws from: named by the segment's id or by one of its subnets. */
export function poolOf(segment: Pick<IpSegment, 'id' | 'subnets'>, pools: readonly PoolSpec[]): PoolSpec | undefined {
  return pools.find((p) => p.segment === segment.id) ?? pools.find((p) => segment.subnets.includes(p.segment));
}

/**
 * A pool's use: reserved = the pool's reserved addresses, the host addresses and the router inside
 * its range; used = the other addresses of the range held in the segment; free = the rest.
 */
export function poolUse(pool: PoolSpec, segment: Pick<IpSegment, 'hostAddresses' | 'router'>, held: ReadonlySet<number>): IpPoolUse {
  const inRange = (ip: number) => rangeContains(pool.range, ip);
  const hostHeld = [...segment.hostAddresses.map((a) => a.ip), ...(segment.router ? [segment.router] : [])].map(parseIPv4);
  const reserved = new Set([...pool.reserved, ...hostHeld].filter((ip): ip is number => ip !== undefined && inRange(ip)));
  const used = [...held].filter((ip) => inRange(ip) && !reserved.has(ip)).length;
  const size = rangeSize(pool.range);
  return { range: formatIpRange(pool.range), byName: pool.byName, size, used, free: size - used - reserved.size, reserved: reserved.size };
}
