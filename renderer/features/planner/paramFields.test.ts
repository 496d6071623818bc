import { describe, expect, it } from 'vitest';
import { parseCount, parsePercent, parseSeconds, percentText, secondsText } from './paramFields';

describe('parseSeconds', () => {
  it('takes seconds (fractions too) and gives milliseconds', () => {
    expect(parseSeconds('5')).toEqual({ ok: true, value: 5000 });
    expect(parseSeconds(' 1.5 ')).toEqual({ ok: true, value: 1500 });
    expect(parseSeconds('0')).toEqual({ ok: true, value: 0 });
  });
  it('refuses what the engine would, saying why', () => {
    expect(parseSeconds('')).toEqual({ ok: false, message: 'a number of seconds' });
    expect(parseSeconds('5s')).toEqual({ ok: false, message: 'a number of seconds' });
    expect(parseSeconds('-1')).toEqual({ ok: false, message: '0 or more seconds' });
    expect(parseSeconds('86401')).toEqual({ ok: false, message: 'at most a day (86400 s)' });
  });
});

describe('parsePercent', () => {
  it('takes 0 to 100, with or without %', () => {
    expect(parsePercent('10')).toEqual({ ok: true, value: 0.1 });
    expect(parsePercent('25 %')).toEqual({ ok: true, value: 0.25 });
    expect(parsePercent('0')).toEqual({ ok: true, value: 0 });
    expect(parsePercent('100')).toEqual({ ok: true, value: 1 });
  });
  it('refuses outside 0..100 and non-numbers', () => {
    expect(parsePercent('101').ok).toBe(false);
    expect(parsePercent('-5').ok).toBe(false);
    expect(parsePercent('ten').ok).toBe(false);
  });
});

describe('parseCount', () => {
  it('takes whole numbers from the minimum', () => {
    expect(parseCount('3')).toEqual({ ok: true, value: 3 });
    expect(parseCount('0')).toEqual({ ok: false, message: '1 or more' });
    expect(parseCount('0', 0)).toEqual({ ok: true, value: 0 });
    expect(parseCount('2.5')).toEqual({ ok: false, message: 'a whole number' });
    expect(parseCount('5001')).toEqual({ ok: false, message: 'at most 5000' });
  });
});

describe('field text', () => {
  it('shows ms as seconds and a ratio as a percentage without float noise', () => {
    expect(secondsText(5000)).toBe('5');
    expect(secondsText(1500)).toBe('1.5');
    expect(percentText(0.1)).toBe('10');
    expect(percentText(0.07)).toBe('7');
    expect(percentText(1 / 3)).toBe('33.33');
  });
});
