// shared/ip.ts: IPv4 parsing and formatting, CIDR math, ranges, the three MAC forms, IPv6 parsing and
// its RFC 5952 form, each with the inputs it must refuse.
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrFirst,
  cidrLast,
  cidrOverlap,
  cidrRange,
  cidrSize,
  formatCidr,
  formatIPv4,
  formatIPv6,
  formatIpRange,
  isIPv6,
  parseCidr,
  parseIPv4,
  parseIPv6,
  parseIPv6Cidr,
  parseIpRange,
  parseMac,
  rangeContains,
  rangeOverlap,
  rangeSize,
  type Cidr,
} from './ip';

const ip = (s: string): number => {
  const n = parseIPv4(s);
  if (n === undefined) throw new Error(`test address ${s} does not parse`);
  return n;
};
const cidr = (s: string): Cidr => {
  const c = parseCidr(s);
  if (!c) throw new Error(`test block ${s} does not parse`);
  return c;
};

describe('parseIPv4 / formatIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['198.18.4.1', 0xc6120401],
    ['10.0.0.1', 0x0a000001],
    ['1.2.3.4', 0x01020304],
    ['128.0.0.0', 0x80000000],
    ['100.200.0.9', 0x64c80009],
  ])('%s is %d', (text, n) => {
    expect(parseIPv4(text)).toBe(n);
    expect(formatIPv4(n)).toBe(text);
  });

  it('is never negative, even with the top bit set', () => {
    expect(parseIPv4('200.1.1.1')).toBeGreaterThan(0);
    expect(parseIPv4('255.0.0.0')).toBe(4278190080);
  });

  it.each([
    '',
    '1',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.',
    '.1.2.3',
    '1..2.3',
    '256.1.1.1',
    '1.1.1.256',
    '1.1.1.999',
    '1000.1.1.1',
    '010.1.1.1',
    '1.01.1.1',
    '1.1.1.00',
    '-1.1.1.1',
    '+1.1.1.1',
    ' 1.1.1.1',
    '1.1.1.1 ',
    '1.1.1.1/24',
    '0x1.1.1.1',
    'a.b.c.d',
    '1.1.1.1e0',
    '1.1.1.١', // an Arabic-Indic digit: \d would take it, the octet pattern must not
    '::1',
  ])('refuses %j', (text) => {
    expect(parseIPv4(text)).toBeUndefined();
  });

  it('round-trips every octet value in every position', () => {
    for (let v = 0; v < 256; v++) {
      for (const text of [`${v}.0.0.0`, `0.${v}.0.0`, `0.0.${v}.0`, `0.0.0.${v}`]) {
        expect(formatIPv4(ip(text))).toBe(text);
      }
    }
  });
});

describe('CIDR', () => {
  it.each([
    ['198.18.4.0/24', '198.18.4.0', 24],
    ['198.18.4.77/24', '198.18.4.0', 24],
    ['10.77.1.130/25', '10.77.1.128', 25],
    ['10.77.1.130/32', '10.77.1.130', 32],
    ['10.77.1.130/31', '10.77.1.130', 31],
    ['255.255.255.255/1', '128.0.0.0', 1],
    ['255.255.255.255/0', '0.0.0.0', 0],
    ['172.17.0.1/16', '172.17.0.0', 16],
  ])('%s is %s/%d', (text, base, prefix) => {
    expect(parseCidr(text)).toEqual({ base: ip(base), prefix });
    expect(formatCidr(cidr(text))).toBe(`${base}/${prefix}`);
  });

  it.each(['198.18.4.0', '198.18.4.0/', '198.18.4.0/33', '198.18.4.0/024', '198.18.4.0/-1', '198.18.4.0/24/1', '198.18.4/24', '/24', '198.18.4.0/ 24', '198.18.4.0/2a'])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it('first, last and size', () => {
    const c = cidr('198.18.4.0/24');
    expect(cidrSize(c)).toBe(256);
    expect(formatIPv4(cidrFirst(c))).toBe('198.18.4.0');
    expect(formatIPv4(cidrLast(c))).toBe('198.18.4.255');
    expect(cidrRange(c)).toEqual({ first: ip('198.18.4.0'), last: ip('198.18.4.255') });
    expect(cidrSize(cidr('0.0.0.0/0'))).toBe(2 ** 32);
    expect(cidrLast(cidr('0.0.0.0/0'))).toBe(0xffffffff);
    expect(cidrSize(cidr('10.0.0.1/32'))).toBe(1);
    expect(cidrLast(cidr('10.0.0.1/32'))).toBe(ip('10.0.0.1'));
    expect(formatIPv4(cidrLast(cidr('10.77.0.0/15')))).toBe('10.77.255.255');
    expect(formatIPv4(cidrFirst(cidr('10.77.0.0/15')))).toBe('10.76.0.0');
  });

  it('contains its first and last address, not the ones beside them', () => {
    const c = cidr('198.18.4.0/24');
    expect(cidrContains(c, ip('198.18.4.0'))).toBe(true);
    expect(cidrContains(c, ip('198.18.4.255'))).toBe(true);
    expect(cidrContains(c, ip('198.18.4.77'))).toBe(true);
    expect(cidrContains(c, ip('198.18.3.255'))).toBe(false);
    expect(cidrContains(c, ip('198.18.5.0'))).toBe(false);
    expect(cidrContains(cidr('0.0.0.0/0'), ip('255.255.255.255'))).toBe(true);
    expect(cidrContains(cidr('200.0.0.0/8'), ip('200.255.255.255'))).toBe(true);
    expect(cidrContains(cidr('200.0.0.0/8'), ip('201.0.0.0'))).toBe(false);
  });

  it.each([
    ['10.77.0.0/24', '10.77.0.0/24', true],
    ['10.77.0.0/24', '10.77.0.128/25', true],
    ['10.77.0.128/25', '10.77.0.0/16', true],
    ['10.77.0.0/25', '10.77.0.128/25', false],
    ['10.77.0.0/24', '10.78.0.0/24', false],
    ['0.0.0.0/0', '198.18.4.0/24', true],
    ['10.0.0.1/32', '10.0.0.1/32', true],
    ['10.0.0.1/32', '10.0.0.2/32', false],
  ])('%s and %s overlap: %s', (a, b, overlap) => {
    expect(cidrOverlap(cidr(a), cidr(b))).toBe(overlap);
    expect(cidrOverlap(cidr(b), cidr(a))).toBe(overlap);
  });
});

describe('ranges', () => {
  it.each([
    ['198.18.4.14-198.18.4.63', '198.18.4.14', '198.18.4.63'],
    ['198.18.4.14 - 198.18.4.63', '198.18.4.14', '198.18.4.63'],
    ['  10.0.0.5-10.0.0.5 ', '10.0.0.5', '10.0.0.5'],
    ['10.0.0.250-10.0.1.3', '10.0.0.250', '10.0.1.3'],
    ['198.18.4.0/26', '198.18.4.0', '198.18.4.63'],
    ['198.18.4.70/26', '198.18.4.64', '198.18.4.127'],
  ])('%j is %s to %s', (text, first, last) => {
    expect(parseIpRange(text)).toEqual({ first: ip(first), last: ip(last) });
  });

  it.each(['', '198.18.4.14', '198.18.4.63-198.18.4.14', '198.18.4.14-', '-198.18.4.14', '198.18.4.14-198.18.4.256', '1.1.1.1-2.2.2.2-3.3.3.3', '198.18.4.0/33', 'a-b'])(
    'refuses %j',
    (text) => {
      expect(parseIpRange(text)).toBeUndefined();
    },
  );

  it('size, containment, overlap and format', () => {
    const r = { first: ip('198.18.4.14'), last: ip('198.18.4.63') };
    expect(rangeSize(r)).toBe(50);
    expect(rangeSize({ first: 7, last: 7 })).toBe(1);
    expect(rangeContains(r, ip('198.18.4.14'))).toBe(true);
    expect(rangeContains(r, ip('198.18.4.63'))).toBe(true);
    expect(rangeContains(r, ip('198.18.4.13'))).toBe(false);
    expect(rangeContains(r, ip('198.18.4.64'))).toBe(false);
    expect(formatIpRange(r)).toBe('198.18.4.14-198.18.4.63');
    expect(rangeOverlap(r, { first: ip('198.18.4.63'), last: ip('198.18.4.70') })).toBe(true);
    expect(rangeOverlap(r, { first: ip('198.18.4.64'), last: ip('198.18.4.70') })).toBe(false);
    expect(rangeOverlap({ first: ip('198.18.4.1'), last: ip('198.18.4.13') }, r)).toBe(false);
    expect(rangeOverlap({ first: ip('198.18.4.20'), last: ip('198.18.4.21') }, r)).toBe(true);
  });
});

describe('parseMac', () => {
  it.each([
    ['02:42:AC:11:00:02', '02:42:ac:11:00:02'],
    ['02:42:ac:11:00:02', '02:42:ac:11:00:02'],
    ['02-42-ac-11-00-02', '02:42:ac:11:00:02'],
    ['02-42-AC-11-00-02', '02:42:ac:11:00:02'],
    ['0242.ac11.0002', '02:42:ac:11:00:02'],
    ['0242.AC11.0002', '02:42:ac:11:00:02'],
    ['ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff'],
    ['00:00:00:00:00:00', '00:00:00:00:00:00'],
    ['02:fd:00:04:00:ec', '02:fd:00:04:00:ec'],
  ])('%s is %s', (text, canonical) => {
    expect(parseMac(text)).toBe(canonical);
  });

  it.each([
    '',
    '02:42:ac:11:00',
    '02:42:ac:11:00:02:03',
    '2:42:ac:11:0:2',
    '02:42:ac:11:00:0g',
    '02:42-ac:11:00:02',
    '02-42-ac-11-00:02',
    '0242ac110002',
    '0242.ac11.002',
    '0242.ac11',
    '02.42.ac.11.00.02',
    ' 02:42:ac:11:00:02',
    '02:42:ac:11:00:02 ',
    '02::42:ac:11:00:02',
  ])('refuses %j', (text) => {
    expect(parseMac(text)).toBeUndefined();
  });
});

describe('IPv6', () => {
  it.each([
    ['::', 0n, '::'],
    ['::1', 1n, '::1'],
    ['1::', 1n << 112n, '1::'],
    ['2001:db8::1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['fd00:1:2:3:4:5:6:7', 0xfd000001000200030004000500060007n, 'fd00:1:2:3:4:5:6:7'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fe80::42:acff:fe11:2', 0xfe800000000000000042acfffe110002n, 'fe80::42:acff:fe11:2'],
    ['::ffff:198.18.4.1', 0xffffc6120401n, '::ffff:198.18.4.1'],
    ['::ffff:c612:401', 0xffffc6120401n, '::ffff:198.18.4.1'],
    ['64:ff9b::198.18.4.1', 0x0064ff9b0000000000000000c6120401n, '64:ff9b::c612:401'],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
    ['::1.2.3.4', 0x01020304n, '::102:304'],
  ])('%s', (text, n, short) => {
    expect(parseIPv6(text)).toBe(n);
    expect(isIPv6(text)).toBe(true);
    expect(formatIPv6(n)).toBe(short);
    expect(parseIPv6(short)).toBe(n);
  });

  // RFC 5952 section 4: the rules for the short form.
  it.each([
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'], // 4.2.1: the longest run
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // 4.2.2: never "::" for one group
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // 4.2.3: the longer run
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // 4.2.3: the first of two equal runs
    ['2001:db8:0000:0001:0000:0000:0000:0000', '2001:db8:0:1::'],
    ['0:0:0:0:0:0:0:2', '::2'],
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'], // 4.3: lower case
    ['2001:db8:00aa:0:0:0:0:1', '2001:db8:aa::1'], // 4.1: no leading zeros
  ])('%s is shown as %s', (text, short) => {
    const n = parseIPv6(text);
    expect(n).toBeDefined();
    expect(formatIPv6(n!)).toBe(short);
  });

  it.each([
    '',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4::5:6:7:8',
    '12345::1',
    'g::1',
    '1:',
    ':1',
    '1::2:',
    ':1::2',
    '::1.2.3',
    '::1.2.3.256',
    '::010.1.1.1',
    '1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3.4:5',
    ':1.2.3.4',
    'fe80::1%eth0',
    '[::1]',
    ' ::1',
    '198.18.4.0/24',
  ])('refuses %j', (text) => {
    expect(parseIPv6(text)).toBeUndefined();
    expect(isIPv6(text)).toBe(false);
  });

  it('parses IPv6 blocks with the base normalised', () => {
    expect(parseIPv6Cidr('fd00:1::5/64')).toEqual({ base: 0xfd000001000000000000000000000000n, prefix: 64 });
    expect(parseIPv6Cidr('::/0')).toEqual({ base: 0n, prefix: 0 });
    expect(parseIPv6Cidr('::1/128')).toEqual({ base: 1n, prefix: 128 });
    expect(parseIPv6Cidr('::1/129')).toBeUndefined();
    expect(parseIPv6Cidr('::1/064')).toBeUndefined();
    expect(parseIPv6Cidr('::1')).toBeUndefined();
    expect(parseIPv6Cidr('10.0.0.0/8')).toBeUndefined();
  });
});
