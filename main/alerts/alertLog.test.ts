import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../../shared/alerts';
import { FakeClock } from '../clock/fakeClock';
import { tempDirs } from '../files/fixtures/tempDirs';
import { ACK_IDS_PER_LINE, ALERTS_POLL_MS, AlertLog, readAlerts, RECENT_ALERTS_MS } from './alertLog';
import { ALERTS_FILE } from './alertLines';

const tempDir = tempDirs('fleetdeck-alert-log-');
const START = Date.parse('2026-12-02T02:00:00.000Z');
const alert = (n: number, at = START + n * 1_000): Alert => ({ id: `die:h1:c${n}:${at}`, time: new Date(at).toISOString(), kind: 'die', host: 'h1', container: `c${n}`, exitCode: n, message: `c${n} exited` });

describe('alert history (alerts.jsonl)', () => {
  it('keeps alerts and acks on disk: a new process sees both', () => {
    const dir = tempDir();
    const clock = new FakeClock(START + 60_000);
    const one = new AlertLog({ dir, clock });
    expect(one.raise(alert(1))).toBe(true);
    expect(one.raise(alert(2))).toBe(true);
    expect(one.raise(alert(1))).toBe(false);
    expect(one.ack({ ids: ['die:h1:c1:' + (START + 1_000), 'no-such-id'] }, 'sre')).toBe(1);
    const again = new AlertLog({ dir, clock });
    expect(again.recent()).toEqual([
      { ...alert(1), ackedAt: '2026-12-02T02:01:00.000Z', ackedBy: 'sre' },
      alert(2),
    ]);
    expect(again.ack({ all: true }, 'ops')).toBe(1);
    expect(again.ack({ all: true }, 'ops')).toBe(0);
    expect(one.recent().map((a) => a.ackedBy)).toEqual(['sre', 'ops']);
  });

  it('a subscriber gets the recent past, then another process’s alerts and acks by the poll', async () => {
    const dir = tempDir();
    const clock = new FakeClock(START + 60_000);
    const consoleLog = new AlertLog({ dir, clock });
    const cli = new AlertLog({ dir, clock });
    cli.raise(alert(1));
    const changes: AlertChange[] = [];
    const unsubscribe = consoleLog.subscribe((c) => changes.push(c));
    expect(changes).toEqual([{ alerts: [alert(1)] }]);
    cli.raise(alert(2));
    cli.ack({ ids: [alert(1).id] }, 'sre');
    await clock.advance(ALERTS_POLL_MS);
    expect(changes.slice(1)).toEqual([{ alerts: [alert(2), { ...alert(1), ackedAt: '2026-12-02T02:01:00.000Z', ackedBy: 'sre' }] }]);
    unsubscribe();
    expect(clock.pending).toEqual([]);
  });

  it('an ack of everything is written in lines of at most ACK_IDS_PER_LINE ids', () => {
    const dir = tempDir();
    const log = new AlertLog({ dir, clock: new FakeClock(START + 3_600_000) });
    for (let n = 0; n < ACK_IDS_PER_LINE + 10; n++) log.raise(alert(n));
    expect(log.ack({ all: true }, 'sre')).toBe(ACK_IDS_PER_LINE + 10);
    const acks = readFileSync(path.join(dir, ALERTS_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; ids?: string[] }).filter((l) => l.type === 'ack');
    expect(acks.map((l) => l.ids!.length)).toEqual([ACK_IDS_PER_LINE, 10]);
    expect(readAlerts(dir, { warn: () => {} }).every((a) => a.ackedBy === 'sre')).toBe(true);
  });

  it('skips a torn or foreign line with a warning, and writes the next alert on a fresh line', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const log = new AlertLog({ dir, clock: new FakeClock(START + 60_000), log: (m) => warnings.push(m) });
    log.raise(alert(1));
    appendFileSync(path.join(dir, ALERTS_FILE), '{"hello":1}\n{"type":"alert","alert":{"id":"x",');
    log.raise(alert(2));
    expect(readAlerts(dir, { warn: (m) => warnings.push(m) })).toEqual([alert(1), alert(2)]);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatch(/^alerts: skipping an unreadable line in alerts\.jsonl at byte \d+$/);
  });

  it('the recent past leaves out alerts older than 7 days; readAlerts --since keeps the window asked for', () => {
    const dir = tempDir();
    const log = new AlertLog({ dir, clock: new FakeClock(START + RECENT_ALERTS_MS + 5_000) });
    log.raise(alert(1));
    log.raise(alert(9));
    expect(log.recent()).toEqual([alert(9)]);
    expect(readAlerts(dir, { warn: () => {} })).toEqual([alert(1), alert(9)]);
    expect(readAlerts(dir, { since: START + 5_000, warn: () => {} })).toEqual([alert(9)]);
    expect(readAlerts(tempDir(), { warn: () => {} })).toEqual([]);
  });
});
