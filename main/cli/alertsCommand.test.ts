import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../../shared/alerts';
import { FakeClock } from '../clock/fakeClock';
import { AlertLog } from '../alerts/alertLog';
import { tempDirs } from '../files/fixtures/tempDirs';
import { alertJson, alertsListing, alertText, parseAlertsArgs, watchAlerts, type WatchCore } from './alertsCommand';
import { runCli } from './main';

const tempDir = tempDirs('fleetdeck-alerts-cli-');
const DIE: Alert = { id: 'die:h1:aaaaaaaaaaaa:1', time: '2026-12-02T02:01:49.563Z', kind: 'die', host: 'h1', container: 'web-1', containerId: 'a'.repeat(64), service: 'web', group: 'payments', exitCode: 137, message: 'web-1 on h1 exited with code 137; no action of ours stopped it' };
const OFFLINE: Alert = { id: 'host-offline:h3:1', time: '2026-12-02T02:02:00.000Z', kind: 'host-offline', host: 'h3', message: 'h3 is offline: timeout: no answer' };

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  return { io: { out, err }, out: () => o, err: () => e };
}

describe('fleetdeck alerts: arguments', () => {
  it('takes --watch, --since, --json, --fleet and --timeout', () => {
    expect(parseAlertsArgs(['alerts'])).toEqual({ timeoutS: 10, watch: false, json: false });
    expect(parseAlertsArgs(['--fleet', 'f.yaml', 'alerts', '--since', '2h', '--json'])).toEqual({ fleetFile: 'f.yaml', timeoutS: 10, watch: false, json: true, sinceMs: 7_200_000 });
    expect(parseAlertsArgs(['alerts', '-w', '--timeout', '5'])).toEqual({ timeoutS: 5, watch: true, json: false });
  });

  it.each([
    [['alerts', '--since', 'soon'], /--since takes a duration such as 30s, 15m, 2h or 7d, got "soon"/],
    [['alerts', '--watch', '--since', '1h'], /--since applies to the listing, not to --watch/],
    [['alerts', 'all'], /alerts takes no arguments besides its options, got "all"/],
    [['alerts', '--tail', '3'], /Unknown option '--tail'/],
    [['alerts', '--timeout', '0'], /--timeout must be a number of seconds between 0 and 600/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const c = capture();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.out()).toBe('');
  });
});

describe('fleetdeck alerts: output', () => {
  it('--json prints the issue’s fields only, in its order; optional ones left out when absent', () => {
    expect(alertJson(DIE)).toBe('{"time":"2026-12-02T02:01:49.563Z","kind":"die","host":"h1","container":"web-1","service":"web","exitCode":137,"message":"web-1 on h1 exited with code 137; no action of ours stopped it"}');
    expect(alertJson(OFFLINE)).toBe('{"time":"2026-12-02T02:02:00.000Z","kind":"host-offline","host":"h3","message":"h3 is offline: timeout: no answer"}');
    expect(alertText(DIE)).toBe('2026-12-02 02:01:49  die  h1/web-1  web-1 on h1 exited with code 137; no action of ours stopped it');
    expect(alertText(OFFLINE)).toBe('2026-12-02 02:02:00  host-offline  h3  h3 is offline: timeout: no answer');
  });

  it('the listing reads the history: JSON lines or a table with who acked, --since keeps the window', () => {
    const dir = tempDir();
    const log = new AlertLog({ dir, clock: new FakeClock(Date.parse('2026-12-02T02:05:00Z')) });
    log.raise(DIE);
    log.raise(OFFLINE);
    log.ack({ ids: [DIE.id] }, 'sre');
    const warn = () => {};
    expect(alertsListing({ dir, json: true, warn })).toBe(`${alertJson(DIE)}\n${alertJson(OFFLINE)}\n`);
    expect(alertsListing({ dir, json: true, since: Date.parse(OFFLINE.time), warn })).toBe(`${alertJson(OFFLINE)}\n`);
    expect(alertsListing({ dir, json: false, warn }).split('\n')).toEqual([
      'TIME (UTC)           KIND          HOST  CONTAINER  SERVICE  EXIT  ACKED BY  MESSAGE',
      '2026-12-02 02:01:49  die           h1    web-1      web      137   sre       web-1 on h1 exited with code 137; no action of ours stopped it',
      '2026-12-02 02:02:00  host-offline  h3                                        h3 is offline: timeout: no answer',
      '',
    ]);
  });
});

describe('fleetdeck alerts --watch', () => {
  it('prints each alert once as it fires (never the recent past, nor an ack), until stopped; then closes the core', async () => {
    let send: (change: AlertChange) => void = () => {};
    let subscribed = 0;
    let closed = false;
    const core: WatchCore = {
      alerts: {
        feed: {
          subscribe: (onChange) => {
            subscribed++;
            send = onChange;
            onChange({ alerts: [{ ...DIE, id: 'old' }] });
            return () => subscribed--;
          },
        },
      },
      hosts: [{ spec: { name: 'h1' } }, { spec: { name: 'h3' } }],
      settled: async () => ['h3'],
      close: async () => {
        closed = true;
      },
    };
    const c = capture();
    let stop: () => void = () => {};
    const done = watchAlerts(core, { json: true, timeoutS: 10 }, c.io, new Promise((r) => (stop = r)));
    await new Promise((r) => setImmediate(r));
    expect(c.err()).toBe('fleetdeck: host h3 did not answer within 10 s; watching it for when it does\nfleetdeck: watching h1, h3 for alerts (Ctrl-C stops)\n');
    send({ alerts: [DIE] });
    send({ alerts: [{ ...DIE, ackedAt: '2026-12-02T02:03:00.000Z', ackedBy: 'sre' }, OFFLINE] });
    send({ alerts: [{ ...DIE, id: 'old', ackedAt: '2026-12-02T02:03:00.000Z' }] });
    expect(c.out()).toBe(`${alertJson(DIE)}\n${alertJson(OFFLINE)}\n`);
    stop();
    expect(await done).toBe(0);
    expect(subscribed).toBe(0);
    expect(closed).toBe(true);
  });
});
