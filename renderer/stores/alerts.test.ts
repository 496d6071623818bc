import { describe, expect, it } from 'vitest';
import type { Alert, AlertChange } from '../../shared/alerts';
import { countUnacked, createAlertsStore, mergeAlerts, newlyRaised, type AlertsApi } from './alerts';
import { testStream } from './testStream';

const alert = (id: string, time: string, patch: Partial<Alert> = {}): Alert => ({
  id, time, kind: 'die', host: 'h1', container: 'web-1', containerId: 'c1', exitCode: 137, message: 'web-1 exited with code 137', ...patch,
});
const T = (s: number) => `2026-12-02T02:00:${String(s).padStart(2, '0')}.000Z`;
const ACK = { ackedAt: T(50), ackedBy: 'ops' };

describe('mergeAlerts', () => {
  it('replaces everything with the whole recent past, upserts later alerts by id, and keeps the newest past its limit', () => {
    const first = mergeAlerts(new Map([['old', alert('old', T(0))]]), [alert('a', T(1)), alert('b', T(2))], true);
    expect([...first.keys()]).toEqual(['a', 'b']);
    const acked = mergeAlerts(first, [alert('a', T(1), ACK)], false);
    expect(acked.get('a')?.ackedBy).toBe('ops');
    expect(acked.size).toBe(2);
    expect(mergeAlerts(acked, [], false)).toBe(acked);
    const many = Array.from({ length: 5 }, (_, i) => alert(`e${i}`, T(i)));
    expect([...mergeAlerts(new Map(), many, true, 3).keys()].sort()).toEqual(['e2', 'e3', 'e4']);
  });

  it('counts the unacknowledged, and tells what was raised from what was only acked', () => {
    const known = new Map([['a', alert('a', T(1))]]);
    expect(countUnacked(new Map([['a', alert('a', T(1))], ['b', alert('b', T(2), ACK)]]))).toBe(1);
    expect(newlyRaised(known, [alert('a', T(1), ACK), alert('b', T(2)), alert('c', T(3), ACK)]).map((a) => a.id)).toEqual(['b']);
  });
});

describe('alerts store against a fake Api', () => {
  function setup() {
    const events = testStream<AlertChange>();
    const acks: unknown[] = [];
    let failAck: string | undefined;
    const api: AlertsApi = {
      alertEvents: events.subscribe,
      alertsAck: async (which) => {
        acks.push(which);
        if (failAck) throw new Error(failAck);
        return { acked: 1 };
      },
    };
    let link: ((up: boolean) => void) | undefined;
    const raised: string[][] = [];
    const store = createAlertsStore(api, {
      connection: (l) => { link = l; return () => { link = undefined; }; },
      onNewAlerts: (alerts) => raised.push(alerts.map((a) => a.id)),
    });
    const emit = (alerts: Alert[]) => events.emit({ alerts });
    return { store, emit, acks, raised, end: events.end, listeners: events.listeners, link: (up: boolean) => link?.(up), failAcks: (m: string) => { failAck = m; } };
  }

  it('holds the recent past and the unacked count, and hands over only alerts raised later, oldest first', () => {
    const { store, emit, raised } = setup();
    store.getState().connect();
    expect(store.getState().status).toBe('connecting');
    emit([alert('a', T(1)), alert('b', T(2), ACK)]);
    expect(store.getState()).toMatchObject({ status: 'live', unacked: 1 });
    expect(raised).toEqual([]);

    emit([alert('d', T(4)), alert('c', T(3))]);
    expect(raised).toEqual([['c', 'd']]);
    expect(store.getState().unacked).toBe(3);

    // An ack (from this console or another) changes the count and notifies nothing.
    emit([alert('c', T(3), ACK)]);
    expect(store.getState().unacked).toBe(2);
    expect(raised).toHaveLength(1);
  });

  it('takes the next event whole after the link comes back: what it holds is not new', () => {
    const { store, emit, link, raised, listeners } = setup();
    store.getState().connect();
    emit([alert('a', T(1))]);
    link(false);
    expect(store.getState().status).toBe('reconnecting');
    link(true);
    emit([alert('a', T(1)), alert('b', T(2))]);
    expect([...store.getState().alerts.keys()]).toEqual(['a', 'b']);
    expect(store.getState().status).toBe('live');
    expect(raised).toEqual([]);
    store.getState().disconnect();
    expect(listeners.size).toBe(0);
  });

  it('acks only unacknowledged ids, acks all only when there is something to ack, and says why an ack failed', async () => {
    const { store, emit, acks, failAcks } = setup();
    store.getState().connect();
    emit([alert('a', T(1)), alert('b', T(2), ACK)]);
    await store.getState().ack(['a', 'b', 'gone']);
    await store.getState().ack(['b']);
    await store.getState().ackAll();
    expect(acks).toEqual([{ ids: ['a'] }, { all: true }]);

    emit([alert('a', T(1), ACK)]);
    await store.getState().ackAll();
    expect(acks).toHaveLength(2);

    emit([alert('c', T(3))]);
    failAcks('alerts: cannot append to alerts.jsonl: ENOSPC');
    await store.getState().ackAll();
    expect(store.getState().ackError).toBe('alerts: cannot append to alerts.jsonl: ENOSPC');
  });

  it('says why when the core ends the stream, and follows it again on connect', () => {
    const { store, emit, end, listeners } = setup();
    store.getState().connect();
    emit([]);
    end({ message: 'alerts: cannot read alerts.jsonl: EACCES', code: 'EACCES' });
    expect(store.getState()).toMatchObject({ status: 'failed', error: 'alerts: cannot read alerts.jsonl: EACCES' });
    store.getState().connect();
    expect(listeners.size).toBe(1);
  });

  it('keeps the unacknowledged-only filter', () => {
    const { store } = setup();
    store.getState().setUnackedOnly(true);
    expect(store.getState().unackedOnly).toBe(true);
  });
});
