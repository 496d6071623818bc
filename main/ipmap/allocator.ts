// The IP allocator, pure: the next address a pool gives a container name, given every address held
// in the segment. Also the one pool check that needs the live networks: a pool on a segment no host has.
import { rangeSize } from '../../shared/ip';
import type { IpPoolSpec } from '../fleet/spec';

/** What the allocator needs of a pool (IpPoolSpec fits). */
export type AllocatorPool = Readonly<Pick<IpPoolSpec, 'byName'>> & { readonly range: Readonly<IpPoolSpec['range']>; readonly reserved: readonly number[] };

export interface AllocateRequest {
  pool: AllocatorPool;
  /** The container name; with byName it picks the starting point. */
  name: string;
  /** Every address held anywhere in the segment (static and dynamic holders, running or stopped), the host addresses and the router. */
  taken: ReadonlySet<number>;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32 over the name's UTF-8 bytes: stable across runs, platforms and versions (unlike a seeded hash). */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * byName: the name's hash into the range, then the next free address, wrapping; otherwise the lowest
 * free one. Undefined when the pool is full. Never a taken or reserved address, never outside the range.
 */
export function allocate({ pool, name, taken }: AllocateRequest): number | undefined {
  const { first } = pool.range;
  const size = rangeSize(pool.range);
  const reserved = new Set(pool.reserved);
  const start = pool.byName ? first + (fnv1a32(name) % size) : first;
  // At most taken + reserved addresses are blocked, so a free one turns up within that many + 1 steps.
  const steps = Math.min(size, taken.size + reserved.size + 1);
  for (let i = 0; i < steps; i++) {
    const candidate = first + ((start - first + i) % size);
    if (!taken.has(candidate) && !reserved.has(candidate)) return candidate;
  }
  return undefined;
}

/** What checkPoolSegments needs of a segment on the map. */
export interface KnownSegment {
  readonly id: string;
  readonly subnets: readonly string[];
}

/** A pool names its segment by id (the subnet or the declared name), or by one of the segment's subnets (as segments.ts's poolOf reads it). */
function poolOn(pool: Pick<IpPoolSpec, 'segment'>, segment: KnownSegment): boolean {
  return pool.segment === segment.id || segment.subnets.includes(pool.segment);
}

/** "A segment no host has": known only once the networks are; FILE:LINE messages like the fleet file's others. */
export function checkPoolSegments(pools: readonly Pick<IpPoolSpec, 'segment' | 'line'>[], knownSegments: readonly KnownSegment[], file: string): string[] {
  const problems: string[] = [];
  pools.forEach((pool, i) => {
    if (knownSegments.some((segment) => poolOn(pool, segment))) return;
    const known = knownSegments.map((s) => s.id).join(', ') || 'none';
    problems.push(`${file}:${pool.line}: ipPools[${i}].segment: no host has a network on segment "${pool.segment}" (segments: ${known})`);
  });
  return problems;
}
