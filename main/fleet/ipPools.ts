// The fleet file's ipPools and segments: their schema, and the checks that need the whole file (a
// range or reserved address outside its segment, two pools overlapping, a segment's unknown host).
// "A segment no host has" needs the live networks: main/ipmap/allocator.ts's checkPoolSegments.
import { z } from 'zod';
import { cidrContains, cidrOverlap, cidrRange, formatCidr, formatIPv4, parseCidr, parseIPv4, parseIPv6Cidr, parseIpRange, rangeOverlap, type Cidr } from '../../shared/ip';
import type { IpPoolSpec, SegmentSpec } from './spec';

const nonEmpty = z.string().min(1);

export const IpPoolEntry = z
  .object({
    segment: nonEmpty,
    range: nonEmpty,
    reserved: z.array(nonEmpty).default([]),
    byName: z.boolean().default(false),
    /** On daemons with API 1.44+: set the MAC the engine would derive from the IP (derive), or none. */
    mac: z.enum(['derive', 'none']).optional(),
  })
  .strict();

export const SegmentEntry = z
  .object({
    // No "/" so a name never reads as a subnet: a segment id is one or the other.
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit'),
    subnet: nonEmpty.optional(),
    subnets: z.array(nonEmpty).min(1, 'at least one subnet').optional(),
    hosts: z.array(nonEmpty).min(1, 'at least one host (or leave hosts out)').optional(),
  })
  .strict()
  .refine((s) => !s.subnet !== !s.subnets, 'give subnet or subnets (one of them)');

type Path = (string | number)[];

export interface PoolContext {
  hostNames: ReadonlySet<string>;
  /** Reports a problem at a key (as the fleet file's others: FILE:LINE: key: message). */
  problem: (where: Path, message: string) => void;
  lineOf: (where: Path) => number;
}

/** A subnet in normal form, or a problem: not IPv4, or host bits set (Docker would say the network address). */
function subnetAt(text: string, where: Path, ctx: PoolContext): Cidr | undefined {
  const c = parseCidr(text);
  if (!c) {
    ctx.problem(where, parseIPv6Cidr(text) ? `IPv6 subnet "${text}": the map shows IPv6 but allocates IPv4 only` : `not an IPv4 subnet: "${text}" (e.g. 10.77.0.0/24)`);
    return undefined;
  }
  if (formatCidr(c) !== text) {
    ctx.problem(where, `"${text}" has host bits set: the subnet is ${formatCidr(c)}`);
    return undefined;
  }
  return c;
}

export function buildSegments(entries: z.infer<typeof SegmentEntry>[], ctx: PoolContext): SegmentSpec[] {
  const byName = new Map<string, number>();
  /** Per subnet, who declared it: a host-less declaration owns it for every host, otherwise per host. */
  const owners = new Map<string, { index: number; hosts?: string[] }[]>();
  return entries.map((entry, i) => {
    const where: Path = ['segments', i];
    const first = byName.get(entry.name);
    if (first !== undefined) ctx.problem([...where, 'name'], `duplicate segment name "${entry.name}" (also segments[${first}])`);
    else byName.set(entry.name, i);

    const texts = entry.subnets ?? [entry.subnet ?? ''];
    const subnetPath = (j: number): Path => (entry.subnets ? [...where, 'subnets', j] : [...where, 'subnet']);
    const subnets = texts.flatMap((text, j) => {
      const c = subnetAt(text, subnetPath(j), ctx);
      return c ? [formatCidr(c)] : [];
    });
    entry.hosts?.forEach((host, j) => {
      if (!ctx.hostNames.has(host)) ctx.problem([...where, 'hosts', j], `no host "${host}" in hosts`);
    });

    subnets.forEach((subnet, j) => {
      const before = owners.get(subnet) ?? [];
      const clash = before.find((o) => !o.hosts || !entry.hosts || o.hosts.some((h) => entry.hosts?.includes(h)));
      if (clash) {
        const whose = clash.hosts && entry.hosts ? ` for host ${clash.hosts.find((h) => entry.hosts?.includes(h))}` : '';
        ctx.problem(subnetPath(j), `subnet ${subnet} is already in segments[${clash.index}]${whose}: a network belongs to one segment`);
      }
      owners.set(subnet, [...before, { index: i, ...(entry.hosts ? { hosts: entry.hosts } : {}) }]);
    });

    const spec: SegmentSpec = { name: entry.name, subnets, line: ctx.lineOf(where) };
    if (entry.hosts) spec.hosts = entry.hosts;
    return spec;
  });
}

interface Resolved {
  pool: IpPoolSpec;
  index: number;
  /** The segment id the pool serves: a declared name, or the subnet (a host-less declaration over it takes it). */
  id: string;
  subnets: Cidr[];
}

export function buildPools(entries: z.infer<typeof IpPoolEntry>[], segments: SegmentSpec[], ctx: PoolContext): IpPoolSpec[] {
  const resolved: Resolved[] = [];
  entries.forEach((entry, i) => {
    const where: Path = ['ipPools', i];
    const target = resolveSegment(entry.segment, segments, [...where, 'segment'], ctx);
    const range = rangeAt(entry.range, [...where, 'range'], ctx);
    const reserved = entry.reserved.flatMap((text, j) => {
      const ip = parseIPv4(text);
      if (ip === undefined) ctx.problem([...where, 'reserved', j], `not an IPv4 address: "${text}"`);
      else if (target && !target.subnets.some((c) => cidrContains(c, ip))) ctx.problem([...where, 'reserved', j], `${text} is outside segment ${entry.segment} (${target.subnets.map(formatCidr).join(', ')})`);
      return ip === undefined ? [] : [ip];
    });
    if (!target || !range) return;
    if (!target.subnets.some((c) => cidrContains(c, range.first) && cidrContains(c, range.last))) {
      ctx.problem([...where, 'range'], `${entry.range} is outside segment ${entry.segment} (${target.subnets.map(formatCidr).join(', ')})`);
      return;
    }
    const pool: IpPoolSpec = { segment: target.written, range, reserved, byName: entry.byName, ...(entry.mac ? { mac: entry.mac } : {}), line: ctx.lineOf(where) };
    resolved.push({ pool, index: i, id: target.id, subnets: target.subnets });
  });

  resolved.forEach((a, k) => {
    for (const b of resolved.slice(0, k)) {
      if (a.id === b.id) {
        ctx.problem(['ipPools', a.index, 'segment'], `segment ${a.id} already has a pool (ipPools[${b.index}], line ${b.pool.line}): one pool per segment`);
      } else if (a.subnets.some((x) => b.subnets.some((y) => cidrOverlap(x, y))) && rangeOverlap(a.pool.range, b.pool.range)) {
        const overlap = `${formatIPv4(Math.max(a.pool.range.first, b.pool.range.first))}-${formatIPv4(Math.min(a.pool.range.last, b.pool.range.last))}`;
        ctx.problem(['ipPools', a.index, 'range'], `overlaps ipPools[${b.index}] (line ${b.pool.line}) on ${overlap}`);
      }
    }
  });
  return resolved.map((r) => r.pool);
}

function resolveSegment(text: string, segments: SegmentSpec[], where: Path, ctx: PoolContext): { id: string; written: string; subnets: Cidr[] } | undefined {
  const declared = segments.find((s) => s.name === text);
  if (declared) return { id: declared.name, written: declared.name, subnets: declared.subnets.flatMap((s) => parseCidr(s) ?? []) };
  if (!text.includes('/')) {
    const names = segments.map((s) => s.name);
    ctx.problem(where, `"${text}" is neither a subnet (e.g. 10.77.0.0/24) nor a declared segment${names.length ? ` (segments: ${names.join(', ')})` : ''}`);
    return undefined;
  }
  const c = subnetAt(text, where, ctx);
  if (!c) return undefined;
  const subnet = formatCidr(c);
  const over = segments.find((s) => !s.hosts && s.subnets.includes(subnet));
  return { id: over?.name ?? subnet, written: subnet, subnets: [c] };
}

function rangeAt(text: string, where: Path, ctx: PoolContext): { first: number; last: number } | undefined {
  if (text.includes('/')) {
    const c = subnetAt(text, where, ctx);
    return c && cidrRange(c);
  }
  const range = parseIpRange(text);
  if (range) return range;
  const parts = text.split('-').map((p) => p.trim());
  const [first, last] = parts.map(parseIPv4);
  if (parts.length === 2 && first !== undefined && last !== undefined) ctx.problem(where, `${parts[0]} comes after ${parts[1]}: a range goes from low to high`);
  else ctx.problem(where, `not a range: "${text}" (use FIRST-LAST, e.g. 10.77.0.20-10.77.0.250, or a subnet)`);
  return undefined;
}
