// The IP map's conflicts (issue 13, Deliver 3), found from one map: the same IP twice in a segment,
// the same MAC twice, a container on a host's address (or the router's), a static IP outside its
// pool's range, and an IP whose MAC changed lately (the MAC history says). Pure: the model calls it
// on each change. A stopped holder of a static IP still holds it: what it takes part in is latent.
import { parseIPv4 } from '../../shared/ip';
import type { IpConflict, IpEndpoint, IpSegment } from '../../shared/ipmap';
import { LIVE_STATES, normalMac, type MacChanges } from './macHistory';

/** What findConflicts reads of an endpoint. */
export type ConflictEndpoint = Pick<IpEndpoint, 'segment' | 'host' | 'container' | 'containerId' | 'ip' | 'mac' | 'static' | 'state' | 'since'>;

/** What findConflicts reads of a segment. */
export type ConflictSegment = Pick<IpSegment, 'id' | 'subnets' | 'hostAddresses' | 'router'>;

/** What findConflicts reads of a pool (main/fleet/spec.ts's IpPoolSpec fits): its segment is a segment's id or one of its subnets. */
export interface ConflictPool {
  segment: string;
  range: { first: number; last: number };
}

export interface ConflictInput {
  endpoints: readonly ConflictEndpoint[];
  segments: readonly ConflictSegment[];
  pools: readonly ConflictPool[];
  macHistory: MacChanges;
}

const isLive = (e: ConflictEndpoint) => LIVE_STATES.has(e.state);
/** A dynamic address is given back when its container stops; a static one stays the container's. */
const holds = (e: ConflictEndpoint) => e.ip !== '' && (isLive(e) || e.static);
const holder = (e: ConflictEndpoint) => ({ host: e.host, container: e.container, state: e.state });
const latestSince = (es: readonly ConflictEndpoint[]) => es.map((e) => e.since ?? '').sort().at(-1) ?? '';
const names = (es: readonly ConflictEndpoint[]) => es.map((e) => `${e.host}/${e.container}${isLive(e) ? '' : ` (${e.state})`}`).join(', ');

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** One container on two networks of a segment is one holder, not two. */
function distinctContainers(es: readonly ConflictEndpoint[]): ConflictEndpoint[] {
  return [...groupBy(es, (e) => `${e.host}\0${e.containerId}`).values()].map((g) => g[0]!);
}

/** A conflict of one holder, latent while it is stopped. */
function alone(kind: 'host-address' | 'outside-pool', segment: string, e: ConflictEndpoint, detail: string): IpConflict {
  return { kind, segment, ip: e.ip, holders: [holder(e)], latent: !isLive(e), since: e.since ?? '', detail: `${detail}${isLive(e) ? '' : `; it collides once it starts (${e.state})`}` };
}

/** Two or more holders; latent while fewer than two of them are live. */
function shared(kind: 'duplicate-ip' | 'duplicate-mac', segment: string, es: ConflictEndpoint[], what: string): IpConflict | undefined {
  const holders = distinctContainers(es);
  if (holders.length < 2) return undefined;
  const live = holders.filter(isLive).length;
  const latent = live < 2;
  return {
    kind,
    segment,
    ...(kind === 'duplicate-ip' ? { ip: holders[0]!.ip } : { mac: normalMac(holders[0]!.mac)! }),
    holders: holders.map(holder),
    latent,
    since: latestSince(holders),
    detail: `${what} is held by ${holders.length} containers: ${names(holders)}${latent ? '; it collides once the stopped ones start' : ''}`,
  };
}

export function findConflicts(input: ConflictInput): IpConflict[] {
  const segments = new Map(input.segments.map((s) => [s.id, s]));
  const poolOf = (s: ConflictSegment | undefined) => s && input.pools.find((p) => p.segment === s.id || s.subnets.includes(p.segment));
  const conflicts: IpConflict[] = [];
  for (const [segmentId, all] of groupBy(input.endpoints, (e) => e.segment)) {
    const segment = segments.get(segmentId);
    const held = all.filter(holds);
    for (const es of groupBy(held, (e) => e.ip).values()) {
      const c = shared('duplicate-ip', segmentId, es, es[0]!.ip);
      if (c) conflicts.push(c);
    }
    for (const es of groupBy(all, (e) => normalMac(e.mac)).values()) {
      const c = shared('duplicate-mac', segmentId, es, `MAC ${normalMac(es[0]!.mac)}`);
      if (c) conflicts.push(c);
    }
    const hostAddresses = [...(segment?.hostAddresses ?? []).map((h) => ({ ip: h.ip, whose: `${h.host}'s address` })), ...(segment?.router ? [{ ip: segment.router, whose: "the segment's router" }] : [])];
    for (const address of hostAddresses) {
      for (const e of distinctContainers(held.filter((x) => x.ip === address.ip))) {
        conflicts.push(alone('host-address', segmentId, e, `${e.host}/${e.container} has ${e.ip}, ${address.whose} on ${segmentId}`));
      }
    }
    const pool = poolOf(segment);
    if (pool) {
      for (const e of distinctContainers(held.filter((x) => x.static))) {
        const n = parseIPv4(e.ip);
        if (n === undefined || (n >= pool.range.first && n <= pool.range.last)) continue;
        conflicts.push(alone('outside-pool', segmentId, e, `${e.host}/${e.container}'s static ${e.ip} is outside the pool's range on ${segmentId}`));
      }
    }
    for (const [ip, es] of groupBy(all.filter((e) => isLive(e) && e.mac), (e) => e.ip)) {
      if (distinctContainers(es).length !== 1) continue;
      const e = es[0]!;
      const change = input.macHistory.changeOf(segmentId, ip);
      if (!change || change.current !== normalMac(e.mac)) continue;
      conflicts.push({
        kind: 'mac-changed',
        segment: segmentId,
        ip,
        mac: change.current,
        holders: [holder(e)],
        latent: false,
        since: change.at,
        detail: `the MAC behind ${ip} changed from ${change.previous} to ${change.current} at ${change.at}: caches may still send to the old one`,
      });
    }
  }
  const ipOrder = (c: IpConflict) => (c.ip !== undefined ? (parseIPv4(c.ip) ?? 0) : -1);
  return conflicts.sort((a, b) => a.segment.localeCompare(b.segment) || ipOrder(a) - ipOrder(b) || a.kind.localeCompare(b.kind) || (a.mac ?? '').localeCompare(b.mac ?? ''));
}

/** What the history-bound finder feeds the MAC history (macHistory.ts's MacHistory fits). */
export interface ObservingHistory extends MacChanges {
  observe(endpoints: readonly ConflictEndpoint[]): string[];
}

/**
 * findConflicts with the MAC history bound in: each map first updates the history, then is checked
 * (the model's `conflicts` option). Only a complete map updates it: in one taken while some hosts
 * had not answered yet, one holder of a duplicate IP looks alone, its MAC was recorded, and the
 * other's later looked like a MAC change (ip.itest, a CLI whose h2 answered before h1).
 */
export function conflictFinder(macHistory: ObservingHistory): (input: Omit<ConflictInput, 'macHistory'> & { complete: boolean }) => IpConflict[] {
  return ({ complete, ...input }) => {
    if (complete) macHistory.observe(input.endpoints);
    return findConflicts({ ...input, macHistory });
  };
}
