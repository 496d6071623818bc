import { describe, expect, it } from 'vitest';
import type { IpConflict, IpEndpoint, IpMapSnapshot, IpSegment } from '../../../shared/ipmap';
import { cellAt, cellName, findCell, indexSegment, moveCell, pageCells, posOf, segmentPages } from './ipCells';
import { parseIPv4 } from '../../../shared/ip';

const seg = (patch: Partial<IpSegment> = {}): IpSegment => ({
  id: '198.18.4.0/24', subnets: ['198.18.4.0/24'], hosts: ['h1', 'h2'], offlineHosts: [],
  hostAddresses: [{ host: 'h1', ip: '198.18.4.2' }, { host: 'h2', ip: '198.18.4.3' }], router: '198.18.4.1', ...patch,
});
const ep = (container: string, host: string, ip: string, patch: Partial<IpEndpoint> = {}): IpEndpoint => ({
  segment: '198.18.4.0/24', host, network: 'br0', container, containerId: `${container}-id`, ip, static: true, state: 'running', ...patch,
});
const conflict = (patch: Partial<IpConflict>): IpConflict => ({
  kind: 'duplicate-ip', segment: '198.18.4.0/24', holders: [], latent: false, since: '2026-12-02T00:00:00.000Z', detail: '', ...patch,
});
const snap = (patch: Partial<IpMapSnapshot> = {}): IpMapSnapshot => ({
  time: '2026-12-02T00:00:00.000Z', segments: [seg()], endpoints: [], networks: [], conflicts: [], poolErrors: [], ...patch,
});
const n = (ip: string) => parseIPv4(ip)!;

describe('segmentPages', () => {
  it('is one page for a /24, four for a /22, one short page for a /28, none for IPv6', () => {
    expect(segmentPages(seg())).toEqual([{ subnet: '198.18.4.0/24', first: n('198.18.4.0'), count: 256 }]);
    const big = segmentPages(seg({ subnets: ['10.0.0.0/22', '10.9.0.16/28', 'fd00::/64'] }));
    expect(big.map((p) => p.count)).toEqual([256, 256, 256, 256, 16]);
    expect(big[3]!.first).toBe(n('10.0.3.0'));
  });
});

describe('cells', () => {
  it('tells every kind, a conflict above all, and names each cell by its IP first', () => {
    const a = ep('fd-a', 'h1', '198.18.4.248');
    const b = ep('fd-b', 'h2', '198.18.4.248', { state: 'exited' });
    const s = snap({
      endpoints: [a, b, ep('web-1', 'h1', '198.18.4.20'), ep('dyn-1', 'h2', '198.18.4.70', { static: false })],
      conflicts: [conflict({ ip: '198.18.4.248', holders: [{ host: 'h1', container: 'fd-a', state: 'running' }, { host: 'h2', container: 'fd-b', state: 'exited' }] })],
    });
    const index = indexSegment(s, s.segments[0]!);
    const kind = (ip: string) => cellAt(index, n(ip)).kind;
    expect([kind('198.18.4.0'), kind('198.18.4.1'), kind('198.18.4.2'), kind('198.18.4.20'), kind('198.18.4.70'), kind('198.18.4.248'), kind('198.18.4.100'), kind('198.18.4.255')])
      .toEqual(['reserved', 'reserved', 'host', 'static', 'dynamic', 'conflict', 'free', 'reserved']);
    expect(cellName(cellAt(index, n('198.18.4.248')))).toBe('198.18.4.248 conflict: fd-a on h1, fd-b on h2 (exited)');
    expect(cellName(cellAt(index, n('198.18.4.1')))).toBe('198.18.4.1 reserved, the segment’s router');
    expect(cellName(cellAt(index, n('198.18.4.2')))).toBe('198.18.4.2 host address: host h1');
    expect(pageCells(index, segmentPages(s.segments[0]!)[0]!)).toHaveLength(256);
  });

  it('puts a MAC conflict on its holders’ addresses, and says a latent one is latent', () => {
    const s = snap({
      endpoints: [ep('m-1', 'h1', '198.18.4.30', { mac: '02:fd:00:04:00:1e' }), ep('m-2', 'h2', '198.18.4.31', { mac: '02:fd:00:04:00:1e', state: 'exited' })],
      conflicts: [conflict({ kind: 'duplicate-mac', mac: '02:fd:00:04:00:1e', latent: true, holders: [{ host: 'h1', container: 'm-1', state: 'running' }, { host: 'h2', container: 'm-2', state: 'exited' }] })],
    });
    const index = indexSegment(s, s.segments[0]!);
    expect(cellAt(index, n('198.18.4.30')).kind).toBe('conflict');
    expect(cellAt(index, n('198.18.4.31')).kind).toBe('conflict');
    expect(cellName(cellAt(index, n('198.18.4.31')))).toMatch(/^198\.18\.4\.31 latent conflict/);
  });

  it('ignores other segments’ endpoints and conflicts', () => {
    const s = snap({ endpoints: [ep('x', 'h1', '198.18.4.9', { segment: 'other' })], conflicts: [conflict({ segment: 'other', ip: '198.18.4.9' })] });
    expect(cellAt(indexSegment(s, s.segments[0]!), n('198.18.4.9')).kind).toBe('free');
  });
});

describe('moveCell', () => {
  const one = segmentPages(seg());
  const four = segmentPages(seg({ subnets: ['10.0.0.0/22'] }));
  it('moves by cell and row within the page and stops at its edges', () => {
    expect(moveCell({ page: 0, cell: 17 }, 'ArrowRight', false, one)).toEqual({ page: 0, cell: 18 });
    expect(moveCell({ page: 0, cell: 17 }, 'ArrowUp', false, one)).toEqual({ page: 0, cell: 1 });
    expect(moveCell({ page: 0, cell: 1 }, 'ArrowUp', false, one)).toEqual({ page: 0, cell: 1 });
    expect(moveCell({ page: 0, cell: 250 }, 'ArrowDown', false, one)).toEqual({ page: 0, cell: 250 });
    expect(moveCell({ page: 0, cell: 255 }, 'ArrowRight', false, one)).toEqual({ page: 0, cell: 255 });
    expect(moveCell({ page: 0, cell: 37 }, 'Home', false, one)).toEqual({ page: 0, cell: 32 });
    expect(moveCell({ page: 0, cell: 37 }, 'End', false, one)).toEqual({ page: 0, cell: 47 });
    expect(moveCell({ page: 0, cell: 37 }, 'End', true, one)).toEqual({ page: 0, cell: 255 });
    expect(moveCell({ page: 0, cell: 37 }, 'x', false, one)).toBeUndefined();
  });
  it('pages with PageUp/PageDown, and on a single page goes to its first or last row', () => {
    expect(moveCell({ page: 0, cell: 37 }, 'PageDown', false, four)).toEqual({ page: 1, cell: 37 });
    expect(moveCell({ page: 3, cell: 37 }, 'PageDown', false, four)).toEqual({ page: 3, cell: 245 });
    expect(moveCell({ page: 0, cell: 37 }, 'PageUp', false, one)).toEqual({ page: 0, cell: 5 });
    expect(posOf(four, '10.0.2.7')).toEqual({ page: 2, cell: 7 });
    expect(posOf(four, '10.1.0.0')).toBeUndefined();
  });
});

describe('findCell', () => {
  const s = snap({ endpoints: [ep('web-12', 'h1', '198.18.4.21', { mac: '02:fd:00:04:00:15' }), ep('web-1', 'h2', '198.18.4.20')] });
  it('finds by IP (held or free), MAC in any form, and name (exact before contains)', () => {
    expect(findCell(s, '198.18.4.21')).toEqual({ segment: '198.18.4.0/24', ip: '198.18.4.21' });
    expect(findCell(s, ' 198.18.4.99 ')).toEqual({ segment: '198.18.4.0/24', ip: '198.18.4.99' });
    expect(findCell(s, '10.1.1.1')).toBeUndefined();
    expect(findCell(s, '02-FD-00-04-00-15')).toEqual({ segment: '198.18.4.0/24', ip: '198.18.4.21' });
    expect(findCell(s, 'web-1')).toEqual({ segment: '198.18.4.0/24', ip: '198.18.4.20' });
    expect(findCell(s, 'EB-12')).toEqual({ segment: '198.18.4.0/24', ip: '198.18.4.21' });
    expect(findCell(s, 'nothing')).toBeUndefined();
  });
});
