// The allocator against random fleets (fast-check): in range, never taken or reserved, full only
// when the range is, deterministic by name, byName = the first free address from the name's hash
// (wrapping), otherwise the lowest free one; and checkPoolSegments' FILE:LINE messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4, parseIPv4 } from '../../shared/ip';
import type { IpPoolSpec } from '../fleet/spec';
import { allocate, checkPoolSegments, fnv1a32 } from './allocator';

const ip = (s: string) => parseIPv4(s) ?? Number.NaN;

/** A pool in 10.77.0.0/16 of 1–600 addresses (a /24 and then some: wrapping and the blocked-count bound both get exercised). */
const poolArb = fc
  .record({ first: fc.integer({ min: ip('10.77.0.0'), max: ip('10.77.250.0') }), size: fc.integer({ min: 1, max: 600 }), byName: fc.boolean() })
  .chain(({ first, size, byName }) =>
    fc.record({
      pool: fc.constant<IpPoolSpec>({ segment: '10.77.0.0/16', range: { first, last: first + size - 1 }, reserved: [], byName, line: 3 }),
      reserved: fc.uniqueArray(fc.integer({ min: first - 5, max: first + size + 5 }), { maxLength: 20 }),
      // Taken addresses: some in the range (up to all of it), some outside it, as a real segment has.
      taken: fc.uniqueArray(fc.integer({ min: first - 20, max: first + size + 20 }), { maxLength: size + 40 }),
    }),
  )
  .map(({ pool, reserved, taken }) => ({ pool: { ...pool, reserved }, taken: new Set(taken) }));

const nameArb = fc.string({ minLength: 1, maxLength: 40 });

/** The reference: walk the whole range from the start address, wrapping. */
function reference(pool: IpPoolSpec, name: string, taken: ReadonlySet<number>): number | undefined {
  const size = pool.range.last - pool.range.first + 1;
  const start = pool.byName ? fnv1a32(name) % size : 0;
  for (let i = 0; i < size; i++) {
    const candidate = pool.range.first + ((start + i) % size);
    if (!taken.has(candidate) && !pool.reserved.includes(candidate)) return candidate;
  }
  return undefined;
}

describe('allocate (property tests against random fleets)', () => {
  it('never returns a taken, reserved or out-of-range address, and is full only when the range is', () => {
    fc.assert(
      fc.property(poolArb, nameArb, ({ pool, taken }, name) => {
        const got = allocate({ pool, name, taken });
        const rangeFree = Array.from({ length: pool.range.last - pool.range.first + 1 }, (_, i) => pool.range.first + i).some(
          (a) => !taken.has(a) && !pool.reserved.includes(a),
        );
        if (got === undefined) return !rangeFree;
        return got >= pool.range.first && got <= pool.range.last && !taken.has(got) && !pool.reserved.includes(got);
      }),
      { numRuns: 500 },
    );
  });

  it('is the first free address from the start point, wrapping (the name hash with byName, the range start without)', () => {
    fc.assert(
      fc.property(poolArb, nameArb, ({ pool, taken }, name) => allocate({ pool, name, taken }) === reference(pool, name, taken)),
      { numRuns: 500 },
    );
  });

  it('is deterministic by name: the same fleet in any order gives the same address', () => {
    fc.assert(
      fc.property(poolArb, nameArb, ({ pool, taken }, name) => {
        const reordered = new Set([...taken].reverse());
        const again = allocate({ pool: { ...pool, reserved: [...pool.reserved].reverse() }, name, taken: reordered });
        return allocate({ pool, name, taken }) === again;
      }),
      { numRuns: 300 },
    );
  });

  it('with byName, a name keeps its address while the fleet changes elsewhere in the segment', () => {
    fc.assert(
      fc.property(poolArb, nameArb, fc.uniqueArray(fc.integer({ min: 0, max: 700 }), { maxLength: 30 }), ({ pool, taken }, name, more) => {
        const byName = { ...pool, byName: true };
        const got = allocate({ pool: byName, name, taken });
        if (got === undefined) return true;
        // More holders anywhere but the address itself and the addresses the scan passed over.
        const size = byName.range.last - byName.range.first + 1;
        const start = byName.range.first + (fnv1a32(name) % size);
        const passed = (a: number) => (start <= got ? a >= start && a <= got : a >= start || a <= got);
        const grown = new Set(taken);
        for (const offset of more) {
          const a = byName.range.first - 50 + offset;
          if (!passed(a)) grown.add(a);
        }
        return allocate({ pool: byName, name, taken: grown }) === got;
      }),
      { numRuns: 300 },
    );
  });

  it('without byName, gives the lowest free address whatever the name', () => {
    fc.assert(
      fc.property(poolArb, nameArb, nameArb, ({ pool, taken }, a, b) => {
        const lowest = { ...pool, byName: false };
        return allocate({ pool: lowest, name: a, taken }) === allocate({ pool: lowest, name: b, taken });
      }),
      { numRuns: 300 },
    );
  });

  it('hands out distinct addresses to a sequence of names until the pool is full', () => {
    fc.assert(
      fc.property(poolArb, fc.uniqueArray(nameArb, { minLength: 1, maxLength: 80 }), ({ pool, taken }, names) => {
        const held = new Set(taken);
        for (const name of names) {
          const got = allocate({ pool, name, taken: held });
          if (got === undefined) return reference(pool, name, held) === undefined;
          if (held.has(got)) return false;
          held.add(got);
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('allocate (examples)', () => {
  const lab: IpPoolSpec = { segment: '198.18.4.0/24', range: { first: ip('198.18.4.14'), last: ip('198.18.4.63') }, reserved: [ip('198.18.4.1')], byName: true, line: 1 };

  it('FNV-1a 32 matches the published test vectors (the hash must never change: it pins every byName address)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives the lab pool a fixed address per name, and the next one when it is taken', () => {
    const first = allocate({ pool: lab, name: 'web-1', taken: new Set() });
    expect(first).toBe(ip('198.18.4.14') + (fnv1a32('web-1') % 50));
    const second = allocate({ pool: lab, name: 'web-1', taken: new Set([first!]) });
    expect(second).toBe(first === ip('198.18.4.63') ? ip('198.18.4.14') : first! + 1);
  });

  it('wraps from the end of the range to its start', () => {
    const pool: IpPoolSpec = { ...lab, range: { first: ip('10.0.0.10'), last: ip('10.0.0.12') }, reserved: [] };
    const name = ['a', 'b', 'c', 'd', 'e', 'f'].find((n) => fnv1a32(n) % 3 === 2)!;
    expect(formatIPv4(allocate({ pool, name, taken: new Set([ip('10.0.0.12')]) })!)).toBe('10.0.0.10');
  });

  it('skips reserved addresses and is undefined when all are held', () => {
    const pool: IpPoolSpec = { ...lab, byName: false, range: { first: ip('10.0.0.1'), last: ip('10.0.0.3') }, reserved: [ip('10.0.0.1')] };
    expect(formatIPv4(allocate({ pool, name: 'x', taken: new Set([ip('10.0.0.2')]) })!)).toBe('10.0.0.3');
    expect(allocate({ pool, name: 'x', taken: new Set([ip('10.0.0.2'), ip('10.0.0.3')]) })).toBeUndefined();
  });

  it('finds the one free address of a /16-sized pool with every other one taken', () => {
    const pool: IpPoolSpec = { ...lab, byName: true, range: { first: ip('10.77.0.0'), last: ip('10.77.255.255') }, reserved: [] };
    const free = ip('10.77.3.9');
    const taken = new Set(Array.from({ length: 65536 }, (_, i) => ip('10.77.0.0') + i).filter((a) => a !== free));
    expect(allocate({ pool, name: 'svc-7', taken })).toBe(free);
  });
});

describe('checkPoolSegments', () => {
  const pool = (segment: string, line: number): IpPoolSpec => ({ segment, range: { first: 0, last: 0 }, reserved: [], byName: false, line });
  const known = [
    { id: '198.18.4.0/24', subnets: ['198.18.4.0/24'] },
    { id: 'dc1', subnets: ['10.77.0.0/24', '10.78.0.0/24'] },
  ];

  it('accepts a pool named by a segment id or by one of its subnets', () => {
    expect(checkPoolSegments([pool('198.18.4.0/24', 3), pool('dc1', 7), pool('10.78.0.0/24', 11)], known, '/f/fleet.yaml')).toEqual([]);
  });

  it('reports a segment no host has at the pool entry\'s line', () => {
    expect(checkPoolSegments([pool('198.18.4.0/24', 3), pool('10.99.0.0/24', 9)], known, '/f/fleet.yaml')).toEqual([
      '/f/fleet.yaml:9: ipPools[1].segment: no host has a network on segment "10.99.0.0/24" (segments: 198.18.4.0/24, dc1)',
    ]);
    expect(checkPoolSegments([pool('dc2', 4)], [], 'fleet.yaml')).toEqual(['fleet.yaml:4: ipPools[0].segment: no host has a network on segment "dc2" (segments: none)']);
  });
});
