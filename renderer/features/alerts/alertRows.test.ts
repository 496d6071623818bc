import { describe, expect, it } from 'vitest';
import { AlertKind, type Alert } from '../../../shared/alerts';
import type { Container, Host } from '../../../shared/model';
import { alertRows, KIND_LOOK, notificationText } from './alertRows';
import { alertTarget } from './alertTarget';

const alert = (id: string, time: string, patch: Partial<Alert> = {}): Alert => ({ id, time, kind: 'die', host: 'h1', container: 'web-1', containerId: 'c1', message: 'm', ...patch });

describe('alertRows', () => {
  const alerts = new Map([
    ['a', alert('a', '2026-12-02T01:00:00.000Z', { ackedAt: '2026-12-02T01:05:00.000Z' })],
    ['b', alert('b', '2026-12-02T02:00:00.000Z')],
    ['c', alert('c', '2026-12-02T01:30:00.000Z')],
  ]);

  it('lists newest first (or oldest first), all or only the unacknowledged', () => {
    expect(alertRows(alerts, false).map((a) => a.id)).toEqual(['b', 'c', 'a']);
    expect(alertRows(alerts, false, 'asc').map((a) => a.id)).toEqual(['a', 'c', 'b']);
    expect(alertRows(alerts, true).map((a) => a.id)).toEqual(['b', 'c']);
  });

  it('gives every kind a word and a shape, and words a notification by its subject', () => {
    for (const kind of AlertKind.options) expect(KIND_LOOK[kind].word).not.toBe('');
    expect(new Set(AlertKind.options.map((k) => KIND_LOOK[k].word)).size).toBe(AlertKind.options.length);
    expect(notificationText(alert('x', 't', { kind: 'oom', message: 'killed' }))).toEqual({ title: 'web-1 on h1: OOM killed', body: 'killed' });
    expect(notificationText(alert('x', 't', { kind: 'host-back', container: undefined, containerId: undefined, message: 'back' })).title).toBe('h1: host back');
  });
});

describe('alertTarget', () => {
  const c = (id: string, name: string) => ({ host: 'h1', id, name }) as Container;
  const hosts = new Map([['h1', { name: 'h1' } as Host]]);
  const containers = new Map([['h1', [c('c1', 'web-1'), c('c9', 'web-2')]]]);

  it('finds the container by id, else by name (recreated since), a host alert its host, and nothing when gone', () => {
    expect(alertTarget(alert('a', 't'), hosts, containers)).toEqual({ kind: 'container', container: c('c1', 'web-1') });
    expect(alertTarget(alert('a', 't', { containerId: 'old', container: 'web-2' }), hosts, containers)).toEqual({ kind: 'container', container: c('c9', 'web-2') });
    expect(alertTarget(alert('a', 't', { containerId: 'old', container: 'web-3' }), hosts, containers)).toEqual({ kind: 'none' });
    expect(alertTarget({ host: 'h1' }, hosts, containers)).toEqual({ kind: 'host', host: { name: 'h1' } });
    expect(alertTarget({ host: 'h7' }, hosts, containers)).toEqual({ kind: 'none' });
  });
});
