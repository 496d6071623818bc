import { describe, expect, it } from 'vitest';
import { parseIPv4 } from '../../shared/ip';
import { MemoryFiles } from '../audit/fixtures/memoryFiles';
import { FakeClock } from '../clock/fakeClock';
import { conflictFinder, findConflicts, type ConflictEndpoint, type ConflictInput, type ConflictSegment } from './conflicts';
import { MacHistory, type MacChange, type MacChanges } from './macHistory';

const SEG = '198.18.4.0/24';
const ip4 = (s: string) => parseIPv4(s)!;
const segment: ConflictSegment = {
  id: SEG,
  subnets: [SEG],
  // Each host's own address on its bridge: the field's normal layout.
  hostAddresses: [
    { host: 'h1', ip: '198.18.4.11' },
    { host: 'h2', ip: '198.18.4.12' },
  ],
  router: '198.18.4.1',
};
const pool = { segment: SEG, range: { first: ip4('198.18.4.14'), last: ip4('198.18.4.63') } };
const noHistory: MacChanges = { changeOf: () => undefined };

let seq = 0;
function ep(over: Partial<ConflictEndpoint> & { host: string; container: string; ip: string }): ConflictEndpoint {
  return { segment: SEG, containerId: `${over.container}-id-${seq++}`, static: true, state: 'running', since: '2026-12-01T10:00:00.000Z', ...over };
}

function find(endpoints: ConflictEndpoint[], more: Partial<ConflictInput> = {}) {
  return findConflicts({ endpoints, segments: [segment], pools: [pool], macHistory: noHistory, ...more });
}

describe('findConflicts', () => {
  it('finds none on a clean map: distinct IPs and MACs in the pool, per-host gateways and a router', () => {
    expect(
      find([
        ep({ host: 'h1', container: 'a', ip: '198.18.4.20', mac: '02:fd:00:04:00:14' }),
        ep({ host: 'h2', container: 'b', ip: '198.18.4.21', mac: '02:fd:00:04:00:15' }),
        ep({ host: 'h2', container: 'dyn', ip: '198.18.4.70', static: false }),
      ]),
    ).toEqual([]);
  });

  it('does not take per-host gateways or one shared router for conflicts among hosts', () => {
    const shared: ConflictSegment = { ...segment, hostAddresses: [{ host: 'h1', ip: '198.18.4.1' }, { host: 'h2', ip: '198.18.4.1' }], router: '198.18.4.1' };
    expect(findConflicts({ endpoints: [], segments: [shared, segment], pools: [pool], macHistory: noHistory })).toEqual([]);
  });

  it('reports the same IP on two hosts with both holders', () => {
    const found = find([ep({ host: 'h1', container: 'fd-ipc-a', ip: '198.18.4.30', since: '2026-12-01T10:00:00.000Z' }), ep({ host: 'h2', container: 'fd-ipc-b', ip: '198.18.4.30', since: '2026-12-01T10:05:00.000Z' })]);
    expect(found).toEqual([
      {
        kind: 'duplicate-ip',
        segment: SEG,
        ip: '198.18.4.30',
        holders: [
          { host: 'h1', container: 'fd-ipc-a', state: 'running' },
          { host: 'h2', container: 'fd-ipc-b', state: 'running' },
        ],
        latent: false,
        since: '2026-12-01T10:05:00.000Z',
        detail: expect.stringContaining('h1/fd-ipc-a, h2/fd-ipc-b'),
      },
    ]);
  });

  it('shows a duplicate with a stopped static holder as latent; a stopped dynamic one holds nothing', () => {
    const latent = find([ep({ host: 'h1', container: 'a', ip: '198.18.4.31' }), ep({ host: 'h2', container: 'b', ip: '198.18.4.31', state: 'exited' })]);
    expect(latent).toHaveLength(1);
    expect(latent[0]).toMatchObject({ kind: 'duplicate-ip', latent: true, holders: [{ container: 'a' }, { container: 'b', state: 'exited' }] });
    expect(latent[0]!.detail).toContain('once the stopped ones start');
    expect(find([ep({ host: 'h1', container: 'a', ip: '198.18.4.31' }), ep({ host: 'h2', container: 'b', ip: '198.18.4.31', state: 'exited', static: false })])).toEqual([]);
  });

  it('counts one container on two networks of a segment once', () => {
    const a = ep({ host: 'h1', container: 'a', ip: '198.18.4.32', mac: '02:fd:00:04:00:20' });
    expect(find([a, { ...a }])).toEqual([]);
  });

  it('keeps segments apart: the same IP in two segments is no conflict', () => {
    const other: ConflictSegment = { id: '10.77.0.0/24', subnets: ['10.77.0.0/24'], hostAddresses: [] };
    expect(
      findConflicts({
        endpoints: [ep({ host: 'h1', container: 'a', ip: '10.77.0.5', segment: other.id }), ep({ host: 'h2', container: 'b', ip: '10.77.0.5', segment: 'x' })],
        segments: [other],
        pools: [],
        macHistory: noHistory,
      }),
    ).toEqual([]);
  });

  it('reports the same MAC twice in a segment, whatever its form, latent where a holder is stopped', () => {
    const found = find([
      ep({ host: 'h1', container: 'a', ip: '198.18.4.33', mac: '02:FD:00:04:00:21' }),
      ep({ host: 'h2', container: 'b', ip: '198.18.4.34', mac: '02-fd-00-04-00-21', state: 'created' }),
    ]);
    expect(found).toEqual([expect.objectContaining({ kind: 'duplicate-mac', mac: '02:fd:00:04:00:21', latent: true, holders: [expect.objectContaining({ container: 'a' }), expect.objectContaining({ container: 'b' })] })]);
    expect(find([ep({ host: 'h1', container: 'a', ip: '198.18.4.33', mac: '02:fd:00:04:00:21' }), ep({ host: 'h2', container: 'b', ip: '198.18.4.34', mac: '02:fd:00:04:00:21' })])[0]).toMatchObject({ latent: false });
  });

  it("reports a container on another host's address, and on the router", () => {
    const found = find([ep({ host: 'h2', container: 'fd-ipc-gw', ip: '198.18.4.11' }), ep({ host: 'h1', container: 'r', ip: '198.18.4.1', state: 'exited' })]);
    const kinds = found.map((c) => [c.kind, c.ip, c.latent]);
    expect(kinds).toContainEqual(['host-address', '198.18.4.11', false]);
    expect(kinds).toContainEqual(['host-address', '198.18.4.1', true]);
    expect(found.find((c) => c.ip === '198.18.4.11')!.detail).toContain("h1's address");
    expect(found.find((c) => c.ip === '198.18.4.1')!.detail).toContain('router');
  });

  it('reports a static IP outside its pool range (pool named by subnet or segment id); a dynamic one is not', () => {
    const named: ConflictSegment = { id: 'dc1', subnets: ['10.77.0.0/24', '10.78.0.0/24'], hostAddresses: [] };
    const found = findConflicts({
      endpoints: [
        ep({ host: 'h1', container: 'out', ip: '198.18.4.242' }),
        ep({ host: 'h1', container: 'stopped-out', ip: '198.18.4.243', state: 'exited' }),
        ep({ host: 'h1', container: 'dyn', ip: '198.18.4.100', static: false }),
        ep({ host: 'h1', container: 'in', ip: '198.18.4.14' }),
        ep({ host: 'h1', container: 'edge', ip: '198.18.4.63' }),
        ep({ host: 'h1', container: 'dc', ip: '10.78.0.9', segment: 'dc1' }),
      ],
      segments: [segment, named],
      pools: [pool, { segment: 'dc1', range: { first: ip4('10.77.0.20'), last: ip4('10.77.0.250') } }],
      macHistory: noHistory,
    });
    expect(found.map((c) => [c.kind, c.segment, c.holders[0]!.container, c.latent])).toEqual([
      ['outside-pool', SEG, 'out', false],
      ['outside-pool', SEG, 'stopped-out', true],
      ['outside-pool', 'dc1', 'dc', false],
    ]);
  });

  it('finds no outside-pool without a pool for the segment', () => {
    expect(findConflicts({ endpoints: [ep({ host: 'h1', container: 'x', ip: '198.18.4.250' })], segments: [segment], pools: [], macHistory: noHistory })).toEqual([]);
  });

  it('reports an IP whose MAC changed, from the history, for the holder with the new MAC', () => {
    const change: MacChange = { previous: '02:fd:00:04:00:f2', current: '02:fd:00:04:00:f3', at: '2026-12-01T10:10:00.000Z' };
    const history: MacChanges = { changeOf: (s, ip) => (s === SEG && ip === '198.18.4.40' ? change : undefined) };
    const holder = ep({ host: 'h2', container: 'fd-ipc-new', ip: '198.18.4.40', mac: '02:FD:00:04:00:F3' });
    expect(find([holder], { macHistory: history })).toEqual([
      { kind: 'mac-changed', segment: SEG, ip: '198.18.4.40', mac: '02:fd:00:04:00:f3', holders: [{ host: 'h2', container: 'fd-ipc-new', state: 'running' }], latent: false, since: change.at, detail: expect.stringContaining('from 02:fd:00:04:00:f2 to 02:fd:00:04:00:f3') },
    ]);
    // The history's current MAC is not this holder's (or the holder is stopped): nothing to say yet.
    expect(find([{ ...holder, mac: '02:fd:00:04:00:99' }], { macHistory: history })).toEqual([]);
    expect(find([{ ...holder, state: 'exited' }], { macHistory: history })).toEqual([]);
  });

  it('orders conflicts by segment, then IP as a number', () => {
    const found = find([
      ep({ host: 'h1', container: 'a', ip: '198.18.4.100' }),
      ep({ host: 'h2', container: 'b', ip: '198.18.4.100' }),
      ep({ host: 'h1', container: 'c', ip: '198.18.4.9' }),
      ep({ host: 'h2', container: 'd', ip: '198.18.4.9' }),
    ]);
    expect(found.map((c) => [c.kind, c.ip])).toEqual([
      ['duplicate-ip', '198.18.4.9'],
      ['outside-pool', '198.18.4.9'],
      ['outside-pool', '198.18.4.9'],
      ['duplicate-ip', '198.18.4.100'],
      ['outside-pool', '198.18.4.100'],
      ['outside-pool', '198.18.4.100'],
    ]);
  });
});

describe('conflictFinder', () => {
  it('feeds each map to the MAC history first, so a MAC change behind an IP is reported at once', () => {
    const history = new MacHistory({ dataDir: '/data', files: new MemoryFiles(), clock: new FakeClock(Date.parse('2026-12-01T10:00:00.000Z')) });
    const check = conflictFinder(history);
    const input = (mac: string, complete = true) => ({ endpoints: [ep({ host: 'h1', container: 'fd-ipc-m', ip: '198.18.4.40', mac })], segments: [segment], pools: [pool], complete });
    expect(check(input('02:fd:00:04:00:28'))).toEqual([]);
    expect(check(input('02:fd:00:04:00:29')).map((c) => [c.kind, c.ip, c.mac])).toEqual([['mac-changed', '198.18.4.40', '02:fd:00:04:00:29']]);
  });

  it('records nothing from a map taken before every online host answered (a duplicate IP half seen is not a MAC)', () => {
    const history = new MacHistory({ dataDir: '/data', files: new MemoryFiles(), clock: new FakeClock(Date.parse('2026-12-01T10:00:00.000Z')) });
    const check = conflictFinder(history);
    const input = (mac: string, complete: boolean) => ({ endpoints: [ep({ host: 'h2', container: 'fd-ipc-d', ip: '198.18.4.41', mac })], segments: [segment], pools: [pool], complete });
    expect(check(input('02:fd:00:04:00:a2', false))).toEqual([]);
    expect(check(input('02:fd:00:04:00:f2', true))).toEqual([]);
    expect(history.seen(segment.id, '198.18.4.41').map((s) => s.mac)).toEqual(['02:fd:00:04:00:f2']);
  });
});
