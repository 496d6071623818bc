// The IP map's cells, pure: a segment's IPv4 subnets cut into pages of at most 256 addresses, each
// address with what holds it (free, dynamic, static, reserved, host, conflict), its endpoints and
// conflicts; the keyboard's moves between cells; and where a search (IP, MAC or container name)
// lands. The view (IpMapView.tsx) only draws what this returns.
import type { IpConflict, IpConflictKind, IpEndpoint, IpMapSnapshot, IpSegment } from '../../../shared/ipmap';
import { cidrSize, formatIPv4, parseCidr, parseIPv4, parseMac } from '../../../shared/ip';

/** One page is one /24's worth: 16 rows of 16, so a /24 reads as one square and larger subnets page. */
export const PAGE_SIZE = 256;
export const ROW_CELLS = 16;

export type CellKind = 'free' | 'dynamic' | 'static' | 'reserved' | 'host' | 'conflict';

/** Letters say the kind besides the colour (for colour-blind readers); the legend names them. */
export const CELL_LETTER: Record<CellKind, string> = { free: '·', dynamic: 'd', static: 'S', reserved: 'R', host: 'H', conflict: '!' };
export const CELL_WORD: Record<CellKind, string> = { free: 'free', dynamic: 'dynamic', static: 'static', reserved: 'reserved', host: 'host address', conflict: 'conflict' };

export const CONFLICT_WORD: Record<IpConflictKind, string> = {
  'duplicate-ip': 'duplicate IP',
  'duplicate-mac': 'duplicate MAC',
  'host-address': 'on a host address',
  'outside-pool': 'outside its pool',
  'mac-changed': 'MAC changed',
};

export type IpPage = { subnet: string; first: number; count: number };

export type IpCell = {
  ip: string;
  kind: CellKind;
  endpoints: readonly IpEndpoint[];
  /** Hosts whose own (gateway) address this is. */
  hosts: readonly string[];
  /** Why it is reserved: the network or broadcast address, or the segment's router. */
  reserved?: string;
  conflicts: readonly IpConflict[];
};

/** A segment's IPv4 subnets in pages (IPv6 subnets are shown in the details only: never allocated, never gridded). */
export function segmentPages(segment: IpSegment): IpPage[] {
  const pages: IpPage[] = [];
  for (const subnet of segment.subnets) {
    const cidr = parseCidr(subnet);
    if (!cidr) continue;
    const size = cidrSize(cidr);
    for (let off = 0; off < size; off += PAGE_SIZE) pages.push({ subnet, first: cidr.base + off, count: Math.min(PAGE_SIZE, size - off) });
  }
  return pages;
}

/** What the map knows about one segment, by address. */
export type SegmentIndex = {
  endpoints: ReadonlyMap<number, IpEndpoint[]>;
  conflicts: ReadonlyMap<number, IpConflict[]>;
  hosts: ReadonlyMap<number, string[]>;
  router: number | undefined;
  /** Network and broadcast addresses of subnets with room for hosts (/30 and larger). */
  edges: ReadonlyMap<number, string>;
};

function push<V>(map: Map<number, V[]>, key: number | undefined, value: V): void {
  if (key === undefined) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexSegment(snapshot: IpMapSnapshot, segment: IpSegment): SegmentIndex {
  const endpoints = new Map<number, IpEndpoint[]>();
  for (const e of snapshot.endpoints) if (e.segment === segment.id) push(endpoints, parseIPv4(e.ip), e);
  const conflicts = new Map<number, IpConflict[]>();
  for (const c of snapshot.conflicts) {
    if (c.segment !== segment.id) continue;
    const at = new Set<number>();
    const ip = c.ip === undefined ? undefined : parseIPv4(c.ip);
    if (ip !== undefined) at.add(ip);
    // A MAC conflict sits on every address its holders have in the segment.
    else for (const h of c.holders) for (const e of snapshot.endpoints) if (e.segment === segment.id && e.host === h.host && e.container === h.container && (!c.mac || e.mac === c.mac)) { const n = parseIPv4(e.ip); if (n !== undefined) at.add(n); }
    for (const n of at) push(conflicts, n, c);
  }
  const hosts = new Map<number, string[]>();
  for (const h of segment.hostAddresses) push(hosts, parseIPv4(h.ip), h.host);
  const edges = new Map<number, string>();
  for (const subnet of segment.subnets) {
    const cidr = parseCidr(subnet);
    if (!cidr || cidr.prefix > 30) continue;
    edges.set(cidr.base, 'the network address');
    edges.set(cidr.base + cidrSize(cidr) - 1, 'the broadcast address');
  }
  return { endpoints, conflicts, hosts, router: segment.router === undefined ? undefined : parseIPv4(segment.router), edges };
}

export function cellAt(index: SegmentIndex, n: number): IpCell {
  const endpoints = index.endpoints.get(n) ?? [];
  const conflicts = index.conflicts.get(n) ?? [];
  const hosts = index.hosts.get(n) ?? [];
  const reserved = index.router === n ? 'the segment’s router' : index.edges.get(n);
  const kind: CellKind = conflicts.length > 0 ? 'conflict'
    : hosts.length > 0 ? 'host'
      : reserved !== undefined ? 'reserved'
        : endpoints.some((e) => e.static) ? 'static'
          : endpoints.length > 0 ? 'dynamic' : 'free';
  return { ip: formatIPv4(n), kind, endpoints, hosts, reserved, conflicts };
}

export function pageCells(index: SegmentIndex, page: IpPage): IpCell[] {
  return Array.from({ length: page.count }, (_, i) => cellAt(index, page.first + i));
}

/** The cell's accessible name: its IP first, then what it is and who holds it. */
export function cellName(cell: IpCell): string {
  const who = [
    ...cell.hosts.map((h) => `host ${h}`),
    ...cell.endpoints.map((e) => `${e.container} on ${e.host}${e.state === 'running' ? '' : ` (${e.state})`}`),
  ];
  const latent = cell.kind === 'conflict' && cell.conflicts.every((c) => c.latent) ? 'latent ' : '';
  return `${cell.ip} ${latent}${CELL_WORD[cell.kind]}${cell.reserved ? `, ${cell.reserved}` : ''}${who.length ? `: ${who.join(', ')}` : ''}`;
}

/** Where the keyboard is: a page and a cell on it. */
export type CellPos = { page: number; cell: number };

/**
 * The move a key makes: arrows by one cell (↑/↓ by a row of 16), Home/End to the row's ends
 * (with Ctrl the page's), PageUp/PageDown to the same place on the previous/next page (on the
 * first/last page, to its first/last row). Undefined: not a move key.
 */
export function moveCell(pos: CellPos, key: string, ctrl: boolean, pages: readonly IpPage[]): CellPos | undefined {
  const count = pages[pos.page]?.count ?? 0;
  if (count === 0) return undefined;
  const clamp = (page: number, cell: number): CellPos => ({ page, cell: Math.max(0, Math.min((pages[page]?.count ?? 1) - 1, cell)) });
  const rowStart = pos.cell - (pos.cell % ROW_CELLS);
  switch (key) {
    case 'ArrowRight': return clamp(pos.page, pos.cell + 1);
    case 'ArrowLeft': return clamp(pos.page, pos.cell - 1);
    case 'ArrowDown': return pos.cell + ROW_CELLS < count ? clamp(pos.page, pos.cell + ROW_CELLS) : pos;
    case 'ArrowUp': return pos.cell - ROW_CELLS >= 0 ? clamp(pos.page, pos.cell - ROW_CELLS) : pos;
    case 'Home': return clamp(pos.page, ctrl ? 0 : rowStart);
    case 'End': return clamp(pos.page, ctrl ? count - 1 : rowStart + ROW_CELLS - 1);
    case 'PageDown':
      if (pos.page + 1 < pages.length) return clamp(pos.page + 1, pos.cell);
      return clamp(pos.page, Math.floor((count - 1) / ROW_CELLS) * ROW_CELLS + (pos.cell % ROW_CELLS));
    case 'PageUp':
      if (pos.page > 0) return clamp(pos.page - 1, pos.cell);
      return clamp(pos.page, pos.cell % ROW_CELLS);
    default: return undefined;
  }
}

/** The page and cell of an address in a segment's pages, if it has one. */
export function posOf(pages: readonly IpPage[], ip: string): CellPos | undefined {
  const n = parseIPv4(ip);
  if (n === undefined) return undefined;
  const page = pages.findIndex((p) => n >= p.first && n < p.first + p.count);
  return page < 0 ? undefined : { page, cell: n - pages[page]!.first };
}

export type SearchHit = { segment: string; ip: string };

/**
 * Where a search lands: an IP (the segment that holds it, else the one whose subnet has it), a MAC
 * (any form), or a container name (exact first, then the first that contains it, A–Z).
 */
export function findCell(snapshot: IpMapSnapshot, query: string): SearchHit | undefined {
  const q = query.trim();
  if (q === '') return undefined;
  const ip = parseIPv4(q);
  if (ip !== undefined) {
    const held = snapshot.endpoints.find((e) => parseIPv4(e.ip) === ip);
    if (held) return { segment: held.segment, ip: held.ip };
    const seg = snapshot.segments.find((s) => segmentPages(s).some((p) => ip >= p.first && ip < p.first + p.count));
    return seg ? { segment: seg.id, ip: formatIPv4(ip) } : undefined;
  }
  const mac = parseMac(q);
  if (mac !== undefined) {
    const e = snapshot.endpoints.find((x) => x.mac !== undefined && parseMac(x.mac) === mac);
    return e ? { segment: e.segment, ip: e.ip } : undefined;
  }
  const lower = q.toLowerCase();
  const v4 = snapshot.endpoints.filter((e) => parseIPv4(e.ip) !== undefined);
  const byName = [...v4].sort((a, b) => a.container.localeCompare(b.container));
  const e = byName.find((x) => x.container.toLowerCase() === lower) ?? byName.find((x) => x.container.toLowerCase().includes(lower));
  return e ? { segment: e.segment, ip: e.ip } : undefined;
}

/** The endpoint behind a conflict's holder, for its container's id (the grid's row key). */
export function holderEndpoint(snapshot: IpMapSnapshot, holder: { host: string; container: string }): IpEndpoint | undefined {
  return snapshot.endpoints.find((e) => e.host === holder.host && e.container === holder.container);
}
