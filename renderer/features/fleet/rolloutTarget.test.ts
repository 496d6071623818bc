import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model';
import { rolloutTargetOf } from './rolloutTarget';
import { NO_SERVICE, type Row } from './rows';

const c = (name: string, host: string, service?: string): Container => ({ host, id: `${name}-id`, name, image: 'app:1', state: 'running', status: 'Up', ips: [], createdAt: 0, ...(service ? { service } : {}) });
const counts = { total: 0, running: 0, unhealthy: 0, stopped: 0, restarting: 0 };

describe('what a grid row rolls out', () => {
  const fleet = [[c('web-1', 'h1', 'web'), c('db-1', 'h1', 'db')], [c('web-2', 'h2', 'web'), c('lone', 'h2')]];
  const service = (name: string): Row => ({ kind: 'service', key: `s:${name}`, group: 'shop', service: name, counts, collapsed: true });

  it('a service row: every container of the service fleet-wide (collapsed or filtered out too)', () => {
    expect(rolloutTargetOf(service('web'), fleet)).toEqual({ service: 'web', containers: [fleet[0]![0], fleet[1]![0]] });
  });

  it('a container row: that container; a business line, "(no service)" or nothing: none', () => {
    const lone = fleet[1]![1]!;
    expect(rolloutTargetOf({ kind: 'container', key: 'c:h2/lone-id', container: lone }, fleet)).toEqual({ containers: [lone] });
    expect(rolloutTargetOf(service(NO_SERVICE), fleet)).toBeUndefined();
    expect(rolloutTargetOf({ kind: 'group', key: 'g:shop', group: 'shop', services: 2, counts, collapsed: false }, fleet)).toBeUndefined();
    expect(rolloutTargetOf(undefined, fleet)).toBeUndefined();
  });
});
