import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit';
import { NO_AUDIT_FILTER } from '../../stores/audit';
import { auditFacets, auditRows, formatAuditTime, formatTook, resultCounts, targetText } from './auditRows';

const entry = (id: string, time: string, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id, time, user: 'ops', source: 'console', action: 'stop', target: { host: 'h1', container: 'web-1' }, result: 'ok', ...patch,
});
const log = new Map([
  entry('a', '2026-03-01T10:00:00.000Z'),
  entry('b', '2026-03-01T10:02:00.000Z', { user: 'deploy', source: 'cli', action: 'restart', target: { host: 'h2', container: 'db-1', service: 'db' }, result: 'failed', error: 'conflict' }),
  entry('c', '2026-03-01T10:01:00.000Z', { result: 'unknown' }),
].map((e) => [e.id, e]));

describe('auditRows', () => {
  it('lists newest first, or oldest first when asked', () => {
    expect(auditRows(log, NO_AUDIT_FILTER).map((e) => e.id)).toEqual(['b', 'c', 'a']);
    expect(auditRows(log, NO_AUDIT_FILTER, 'asc').map((e) => e.id)).toEqual(['a', 'c', 'b']);
  });

  it('filters by user, action, host and result together', () => {
    expect(auditRows(log, { ...NO_AUDIT_FILTER, user: 'ops' }).map((e) => e.id)).toEqual(['c', 'a']);
    expect(auditRows(log, { ...NO_AUDIT_FILTER, action: 'restart' }).map((e) => e.id)).toEqual(['b']);
    expect(auditRows(log, { ...NO_AUDIT_FILTER, host: 'h1', result: 'unknown' }).map((e) => e.id)).toEqual(['c']);
    expect(auditRows(log, { ...NO_AUDIT_FILTER, user: 'deploy', host: 'h1' })).toEqual([]);
  });

  it('offers each distinct user, action and host, and counts results', () => {
    expect(auditFacets(log)).toEqual({ users: ['deploy', 'ops'], actions: ['restart', 'stop'], hosts: ['h1', 'h2'] });
    expect(resultCounts([...log.values()])).toEqual({ ok: 1, failed: 1, unknown: 1 });
  });
});

describe('audit words', () => {
  it('gives the time of day today, and the date on another day', () => {
    const at = new Date(2026, 2, 1, 10, 4, 5);
    expect(formatAuditTime(at.toISOString(), new Date(2026, 2, 1, 23, 0).getTime())).toBe('10:04:05');
    expect(formatAuditTime(at.toISOString(), new Date(2026, 2, 2, 0, 1).getTime())).toBe('Mar 1 10:04:05');
    expect(formatAuditTime('not a time', 0)).toBe('not a time');
  });

  it('says how long an action took, and nothing while it has no end', () => {
    expect(formatTook(entry('x', '2026-03-01T10:00:00.000Z', { endTime: '2026-03-01T10:00:00.420Z' }))).toBe('0.4 s');
    expect(formatTook(entry('x', '2026-03-01T10:00:00.000Z', { endTime: '2026-03-01T10:00:12.400Z' }))).toBe('12 s');
    expect(formatTook(entry('x', '2026-03-01T10:00:00.000Z', { endTime: '2026-03-01T10:02:05.000Z' }))).toBe('2m 05s');
    expect(formatTook(entry('x', '2026-03-01T10:00:00.000Z'))).toBeUndefined();
  });

  it('names a target by host, container and service', () => {
    expect(targetText({ host: 'h2', container: 'db-1', service: 'db' })).toBe('h2 / db-1 (db)');
    expect(targetText({ host: 'h2' })).toBe('h2');
  });
});
