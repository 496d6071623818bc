// The watch's pure parts: its poll schedule (nextLookMs) and how a failure quotes the last health probe.
import { describe, expect, it } from 'vitest';
import { lastProbe, nextLookMs, PROBE_POLL_MS, WATCH_POLL_MS } from './watch';

const health = { intervalMs: 5_000 };
const at = (sinceStart: number, more: Partial<Parameters<typeof nextLookMs>[0]> = {}) =>
  nextLookMs({ now: 100_000 + sinceStart, startedAt: 100_000, healthy: false, health, monitorLeftMs: 0, ...more });

describe('nextLookMs', () => {
  it('looks every half second where no health probe is near', () => {
    expect(at(1_000)).toBe(WATCH_POLL_MS);
    expect(nextLookMs({ now: 0, startedAt: 0, healthy: true, health, monitorLeftMs: 0 })).toBe(WATCH_POLL_MS);
    expect(nextLookMs({ now: 0, startedAt: 0, healthy: false, monitorLeftMs: 0 })).toBe(WATCH_POLL_MS);
  });

  it('wakes at a due probe, then looks every 50 ms for a while after it', () => {
    expect(at(4_800)).toBe(200);
    expect(at(5_000)).toBe(PROBE_POLL_MS);
    expect(at(5_900)).toBe(PROBE_POLL_MS);
    expect(at(6_100)).toBe(WATCH_POLL_MS);
    expect(at(9_700)).toBe(300);
    expect(at(10_020)).toBe(PROBE_POLL_MS);
  });

  it('is not fooled by the first interval, a short interval or a daemon clock ahead of ours', () => {
    expect(at(200)).toBe(WATCH_POLL_MS);
    expect(nextLookMs({ now: 10_100, startedAt: 10_000 - 1_000, healthy: false, health: { intervalMs: 1_000 }, monitorLeftMs: 0 })).toBe(PROBE_POLL_MS);
    expect(nextLookMs({ now: 10_600, startedAt: 10_000 - 1_000, healthy: false, health: { intervalMs: 1_000 }, monitorLeftMs: 0 })).toBe(400);
    expect(at(-3_000)).toBe(WATCH_POLL_MS);
    expect(nextLookMs({ now: 0, startedAt: Number.NaN, healthy: false, health, monitorLeftMs: 0 })).toBe(WATCH_POLL_MS);
  });

  it('never sleeps past the end of the monitor', () => {
    expect(at(1_000, { monitorLeftMs: 120 })).toBe(120);
    expect(nextLookMs({ now: 0, startedAt: 0, healthy: true, health, monitorLeftMs: 30 })).toBe(30);
  });
});

describe('lastProbe', () => {
  it("quotes the last probe's exit code and output, on one line, cut short", () => {
    expect(lastProbe(undefined)).toBe('');
    expect(lastProbe([{ ExitCode: 0, Output: 'ok' }, { ExitCode: 1, Output: 'wget: server returned error: HTTP/1.0 404 Not Found\n' }])).toBe(' (last health check: exit 1, "wget: server returned error: HTTP/1.0 404 Not Found")');
    expect(lastProbe([{ ExitCode: 137, Output: '' }])).toBe(' (last health check: exit 137)');
    expect(lastProbe([{ ExitCode: 1, Output: 'x'.repeat(500) }])).toHaveLength(' (last health check: exit 1, "")'.length + 200);
  });
});
