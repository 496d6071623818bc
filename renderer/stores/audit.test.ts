import { describe, expect, it } from 'vitest';
import type { AuditChange, AuditEntry } from '../../shared/audit';
import { createAuditStore, mergeAudit, type AuditApi } from './audit';
import { testStream } from './testStream';

const entry = (id: string, time: string, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id, time, user: 'ops', source: 'console', action: 'stop', target: { host: 'h1', container: 'web-1' }, result: 'unknown', ...patch,
});

describe('mergeAudit', () => {
  it('replaces everything with the whole recent past, and upserts later entries by id', () => {
    const first = mergeAudit(new Map([['old', entry('old', '2026-01-01T00:00:00.000Z')]]), [entry('a', '2026-03-01T10:00:00.000Z')], true);
    expect([...first.keys()]).toEqual(['a']);
    const ended = mergeAudit(first, [entry('a', '2026-03-01T10:00:00.000Z', { result: 'ok', endTime: '2026-03-01T10:00:01.000Z' }), entry('b', '2026-03-01T10:00:02.000Z')], false);
    expect(ended.get('a')?.result).toBe('ok');
    expect(ended.size).toBe(2);
    expect(mergeAudit(ended, [], false)).toBe(ended);
  });

  it('keeps the newest entries past its limit', () => {
    const many = Array.from({ length: 5 }, (_, i) => entry(`e${i}`, `2026-03-01T10:00:0${i}.000Z`));
    expect([...mergeAudit(new Map(), many, true, 3).keys()].sort()).toEqual(['e2', 'e3', 'e4']);
  });
});

describe('audit store against a fake Api', () => {
  function setup() {
    const changes = testStream<AuditChange>();
    const api: AuditApi = { auditEntries: changes.subscribe };
    let link: ((up: boolean) => void) | undefined;
    const store = createAuditStore(api, (l) => { link = l; return () => { link = undefined; }; });
    const emit = (entries: AuditEntry[]) => changes.emit({ entries });
    return { store, emit, end: changes.end, listeners: changes.listeners, link: (up: boolean) => link?.(up) };
  }

  it('shows the recent past, then actions as they start and end, and starts over after the link comes back', () => {
    const { store, emit, link, listeners } = setup();
    store.getState().connect();
    expect(store.getState().status).toBe('connecting');
    emit([entry('a', '2026-03-01T10:00:00.000Z', { result: 'ok' })]);
    expect(store.getState().status).toBe('live');
    emit([entry('b', '2026-03-01T10:01:00.000Z', { source: 'cli', action: 'restart' })]);
    emit([entry('b', '2026-03-01T10:01:00.000Z', { source: 'cli', action: 'restart', result: 'failed', error: 'No such container' })]);
    expect([...store.getState().entries.values()].map((e) => [e.id, e.result])).toEqual([['a', 'ok'], ['b', 'failed']]);

    link(false);
    expect(store.getState().status).toBe('reconnecting');
    link(true);
    emit([entry('c', '2026-03-01T10:02:00.000Z')]);
    expect([...store.getState().entries.keys()]).toEqual(['c']);
    expect(store.getState().status).toBe('live');

    store.getState().disconnect();
    expect(listeners.size).toBe(0);
  });

  it('keeps the filter until it is cleared', () => {
    const { store } = setup();
    store.getState().setFilter({ user: 'ops' });
    store.getState().setFilter({ result: 'failed' });
    expect(store.getState().filter).toEqual({ user: 'ops', action: null, host: null, result: 'failed' });
    store.getState().clearFilter();
    expect(store.getState().filter).toEqual({ user: null, action: null, host: null, result: null });
  });

  it('says why when the core ends the stream, and follows it again on connect', () => {
    const { store, emit, end, listeners } = setup();
    store.getState().connect();
    emit([entry('a', '2026-03-01T10:00:00.000Z')]);
    end({ message: 'audit: cannot read /data/audit.jsonl: EACCES', code: 'EACCES' });
    expect(store.getState()).toMatchObject({ status: 'failed', error: 'audit: cannot read /data/audit.jsonl: EACCES' });
    expect(listeners.size).toBe(0);
    store.getState().connect();
    expect(store.getState()).toMatchObject({ status: 'connecting', error: undefined });
    expect(listeners.size).toBe(1);
  });
});
