// Address arithmetic for the IP map, pure and dependency-free: IPv4 as uint32 numbers (parse,
// format, CIDR math, ranges), MAC addresses in the three forms operators paste, and IPv6 as bigint
// (parsed and shown in RFC 5952 form; the map never allocates IPv6).

/** A CIDR block; base is the network address (host bits cleared). */
export interface Cidr {
  base: number;
  prefix: number;
}

/** An inclusive address range, first <= last. */
export interface IpRange {
  first: number;
  last: number;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const PREFIX = /^(0|[1-9][0-9]?)$/;

/** Strict dotted quad: four decimal octets 0–255, no leading zeros (they read as octal in inet_aton), no spaces. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix as uint32 (0 for /0: a shift by 32 is a no-op in JavaScript). */
function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** "a.b.c.d/p" with p 0–32; the base is normalised to the network (10.0.0.5/24 → 10.0.0.0/24). */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIPv4(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (ip === undefined || !PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  return { base: (ip & mask(prefix)) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrFirst(c: Cidr): number {
  return c.base;
}

export function cidrLast(c: Cidr): number {
  return c.base + cidrSize(c) - 1;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= cidrFirst(c) && ip <= cidrLast(c);
}

export function cidrOverlap(a: Cidr, b: Cidr): boolean {
  return cidrFirst(a) <= cidrLast(b) && cidrFirst(b) <= cidrLast(a);
}

export function cidrRange(c: Cidr): IpRange {
  return { first: cidrFirst(c), last: cidrLast(c) };
}

/** "a-b" (inclusive, a <= b, spaces around the dash allowed) or a CIDR block (all its addresses). */
export function parseIpRange(s: string): IpRange | undefined {
  const text = s.trim();
  if (text.includes('/')) {
    const c = parseCidr(text);
    return c && cidrRange(c);
  }
  const dash = text.indexOf('-');
  if (dash < 0) return undefined;
  const first = parseIPv4(text.slice(0, dash).trim());
  const last = parseIPv4(text.slice(dash + 1).trim());
  if (first === undefined || last === undefined || first > last) return undefined;
  return { first, last };
}

export function formatIpRange(r: IpRange): string {
  return `${formatIPv4(r.first)}-${formatIPv4(r.last)}`;
}

export function rangeSize(r: IpRange): number {
  return r.last - r.first + 1;
}

export function rangeContains(r: IpRange, ip: number): boolean {
  return ip >= r.first && ip <= r.last;
}

export function rangeOverlap(a: IpRange, b: IpRange): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const MAC_FORMS = [
  /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  // Cisco's dotted form, three groups of four.
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
];

/** 02:42:AC:11:00:02, 02-42-ac-11-00-02 or 0242.ac11.0002 → "02:42:ac:11:00:02"; anything else undefined. */
export function parseMac(s: string): string | undefined {
  for (const form of MAC_FORMS) {
    const m = form.exec(s);
    if (m) return m.slice(1).join(':').toLowerCase();
  }
  return undefined;
}

const HEXTET = /^[0-9a-f]{1,4}$/i;

function parseHextets(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(':')) {
    if (!HEXTET.test(part)) return undefined;
    out.push(parseInt(part, 16));
  }
  return out;
}

/**
 * RFC 4291 text forms: eight hextets, one "::" for a run of zeros, a dotted IPv4 tail
 * (::ffff:10.0.0.1). No zone ("%eth0") and no brackets: those are not addresses.
 */
export function parseIPv6(s: string): bigint | undefined {
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.indexOf('.', lastColon) >= 0) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    // Keep the colon when it is half of a "::" right before the IPv4 part.
    text = text.slice(0, text.endsWith('::', lastColon + 1) ? lastColon + 1 : lastColon);
    if (text === '') return undefined;
  }
  const gap = text.indexOf('::');
  let groups: number[];
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = parseHextets(text.slice(0, gap));
    const rest = parseHextets(text.slice(gap + 2));
    if (!head || !rest) return undefined;
    const zeros = 8 - head.length - rest.length - tail.length;
    // "::" stands for at least one zero group (RFC 4291 2.2).
    if (zeros < 1) return undefined;
    groups = [...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail];
  } else {
    const all = parseHextets(text);
    if (!all) return undefined;
    groups = [...all, ...tail];
    if (groups.length !== 8) return undefined;
  }
  return groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

export function isIPv6(s: string): boolean {
  return parseIPv6(s) !== undefined;
}

/** The top 96 bits of the IPv4-mapped block ::ffff:0:0/96, which RFC 5952 section 5 shows with a dotted tail. */
const V4_MAPPED_HIGH = 0xffffn;

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::", the first one on a tie. */
export function formatIPv6(n: bigint): string {
  if (n >> 32n === V4_MAPPED_HIGH) return `::ffff:${formatIPv4(Number(n & 0xffffffffn))}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** An IPv6 CIDR block ("fd00:1::/64"), base normalised to the network; for showing, not allocating. */
export function parseIPv6Cidr(s: string): { base: bigint; prefix: number } | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIPv6(s.slice(0, slash));
  const prefixText = s.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 128) return undefined;
  const hostBits = BigInt(128 - prefix);
  return { base: (ip >> hostBits) << hostBits, prefix };
}
