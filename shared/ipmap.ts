// The IP map slice: every network and container endpoint across the fleet, grouped in segments
// (one L2: same subnet on different hosts, unless the fleet file says otherwise), with each
// segment's host addresses, router, pool use and conflicts. Main builds it live from /events
// (main/ipmap/ipMapService.ts); create/clone from the map go through the action path.
import { z } from 'zod';
import { call, empty, stream } from './slice';

export const IpNetwork = z.object({
  host: z.string(),
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  subnets: z.array(z.string()),
  gateways: z.array(z.string()),
  ipRange: z.string().optional(),
  /** com.docker.network.bridge.name, for bridge networks that set it. */
  bridge: z.string().optional(),
});
export type IpNetwork = z.infer<typeof IpNetwork>;

export const IpEndpoint = z.object({
  segment: z.string(),
  host: z.string(),
  network: z.string(),
  container: z.string(),
  containerId: z.string(),
  ip: z.string(),
  mac: z.string().optional(),
  /** IPAMConfig present: the address is the container's own, held even while it is stopped. */
  static: z.boolean(),
  /** running, exited, created… */
  state: z.string(),
  /** ISO 8601. */
  since: z.string().optional(),
  /** Its host is offline: the endpoint is as last seen. */
  stale: z.boolean().optional(),
});
export type IpEndpoint = z.infer<typeof IpEndpoint>;

export const IpPoolUse = z.object({
  range: z.string(),
  byName: z.boolean(),
  size: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
  reserved: z.number().int().nonnegative(),
});
export type IpPoolUse = z.infer<typeof IpPoolUse>;

export const IpSegment = z.object({
  /** The subnet, or the fleet file's segment name. */
  id: z.string(),
  subnets: z.array(z.string()),
  hosts: z.array(z.string()),
  /** Hosts of this segment whose daemon is offline: their endpoints are kept, as last seen. */
  offlineHosts: z.array(z.string()),
  /** Each host's gateway on the segment: held by that host. */
  hostAddresses: z.array(z.object({ host: z.string(), ip: z.string() })),
  /** One gateway shared by every host of the segment. */
  router: z.string().optional(),
  pool: IpPoolUse.optional(),
});
export type IpSegment = z.infer<typeof IpSegment>;

export const IpConflictKind = z.enum(['duplicate-ip', 'duplicate-mac', 'host-address', 'outside-pool', 'mac-changed']);
export type IpConflictKind = z.infer<typeof IpConflictKind>;

export const IpConflict = z.object({
  kind: IpConflictKind,
  segment: z.string(),
  ip: z.string().optional(),
  mac: z.string().optional(),
  holders: z.array(z.object({ host: z.string(), container: z.string(), state: z.string() })),
  /** Fires when a stopped holder starts. */
  latent: z.boolean(),
  since: z.string(),
  detail: z.string(),
});
export type IpConflict = z.infer<typeof IpConflict>;

export const IpMapSnapshot = z.object({
  time: z.string(),
  segments: z.array(IpSegment),
  endpoints: z.array(IpEndpoint),
  networks: z.array(IpNetwork),
  conflicts: z.array(IpConflict),
  /** FILE:LINE: key: message, for pools that name a segment no host has. */
  poolErrors: z.array(z.string()),
});
export type IpMapSnapshot = z.infer<typeof IpMapSnapshot>;

const name = z.string().min(1).max(255);
const host = z.string().min(1);
/** The address asked for (a cell of the map, or the plan's IP confirmed): refused when taken, never swapped for another. */
const ip = z.string().min(1).optional();

export const IpCreateRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('create'), name, image: z.string().min(1), host, segment: z.string().min(1), ip }).strict(),
  z.object({ kind: z.literal('clone'), from: z.object({ host, container: z.string().min(1) }).strict(), name, host, segment: z.string().min(1), ip }).strict(),
]);
export type IpCreateRequest = z.infer<typeof IpCreateRequest>;

export const IpCreatePlan = z.object({
  name: z.string(),
  host: z.string(),
  segment: z.string(),
  ip: z.string(),
  mac: z.string().optional(),
  image: z.string(),
  settings: z.array(z.object({ key: z.string(), value: z.string() })),
});
export type IpCreatePlan = z.infer<typeof IpCreatePlan>;

export const ipMapSlice = {
  calls: {
    /** The IP the segment's pool would give a container of this name. */
    ipNext: call(z.object({ segment: z.string().min(1), name }).strict(), z.object({ ip: z.string() })),
    ipCreatePlan: call(IpCreateRequest, IpCreatePlan),
    ipCreate: call(IpCreateRequest, z.object({ host: z.string(), name: z.string(), id: z.string(), ip: z.string() })),
  },
  streams: {
    /** The whole map: first at once, then on each change, coalesced, within 2 s of it. */
    ipMap: stream(empty, IpMapSnapshot),
  },
};
