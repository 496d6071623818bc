import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesShort, formatPercent, formatRate, uptimeFromStatus } from './format';

describe('formatRate (decimal, like docker stats)', () => {
  it.each([
    [0, '0 B/s'], [-5, '0 B/s'], [NaN, '0 B/s'], [3.4, '3 B/s'], [999, '999 B/s'], [1_000, '1.0 KB/s'], [12_400, '12.4 KB/s'],
    [250_000, '250 KB/s'], [3_100_000, '3.1 MB/s'], [999_900_000, '1000 MB/s'], [2_500_000_000, '2.5 GB/s'],
  ])('%s → %s', (v, text) => expect(formatRate(v)).toBe(text));
});

describe('formatBytes (binary, for memory)', () => {
  it.each([
    [0, '0 B'], [1023, '1023 B'], [1024, '1.00 KiB'], [512 * 1024, '512 KiB'], [87.4 * 2 ** 20, '87.4 MiB'], [64 * 2 ** 20, '64.0 MiB'],
    [1.25 * 2 ** 30, '1.25 GiB'], [-1, '—'],
  ])('%s → %s', (v, text) => expect(formatBytes(v)).toBe(text));
});

describe('formatPercent', () => {
  it.each([[0.44, '0.4 %'], [9.96, '10.0 %'], [37.4, '37 %'], [312.2, '312 %'], [-0.1, '0.0 %'], [Infinity, '—']])('%s → %s', (v, text) =>
    expect(formatPercent(v)).toBe(text));
});

describe('formatBytesShort (narrow grid cells)', () => {
  it.each([[0, '0B'], [1000, '1000B'], [512 * 1024, '512K'], [87.4 * 2 ** 20, '87M'], [1.26 * 2 ** 30, '1.3G'], [126 * 2 ** 30, '126G'], [NaN, '—']])('%s → %s', (v, text) =>
    expect(formatBytesShort(v)).toBe(text));
});

describe('uptimeFromStatus', () => {
  it.each([
    ['Up 3 hours (healthy)', '3 hours'], ['Up About a minute', 'About a minute'], ['Up 2 days (Paused)', '2 days'],
    ['Exited (0) 3 minutes ago', undefined], ['Created', undefined],
  ])('%s → %s', (status, text) => expect(uptimeFromStatus(status)).toBe(text));
});
