import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model';
import { fleetServices, repositoriesOf, repositoryOf, scopeRequest, serviceMembers, serviceOf, servicesOf, startProblem, targetText } from './scope';

const c = (name: string, over: Partial<Container> = {}): Container => ({
  host: 'h1', id: `${name}-id`, name, image: 'registry.internal:5000/payments/api:1.0', state: 'running', status: 'Up', ips: [], createdAt: 0, service: 'payments-api', ...over,
});

describe('which services and repositories a selection spans', () => {
  it('lists distinct services and repositories naturally, leaving out containers without a service', () => {
    const list = [c('a', { service: 'web-10' }), c('b', { service: 'web-2' }), c('d', { service: 'web-2', image: 'nginx:1.27' }), c('e', { service: undefined })];
    expect(servicesOf(list)).toEqual(['web-2', 'web-10']);
    expect(repositoriesOf(list)).toEqual(['docker.io/library/nginx', 'registry.internal:5000/payments/api']);
    expect(repositoryOf(list)).toBeUndefined();
    expect(repositoryOf([c('a'), c('b', { image: 'registry.internal:5000/payments/api:2.0' })])).toEqual({ registryHost: 'registry.internal:5000', repository: 'payments/api' });
  });

  it('names the one service of a selection, and none when it spans several or some have none', () => {
    expect(serviceOf({ containers: [c('a'), c('b')] })).toBe('payments-api');
    expect(serviceOf({ containers: [c('a'), c('b', { service: 'ledger' })] })).toBeUndefined();
    expect(serviceOf({ containers: [c('a'), c('b', { service: undefined })] })).toBeUndefined();
    expect(serviceOf({ service: 'ledger', containers: [] })).toBe('ledger');
  });
});

describe('what a rollout may start on', () => {
  const mixed = { containers: [c('a'), c('b', { service: 'ledger', image: 'registry.internal:5000/ledger:3' })] };

  it('restarts anything but nothing', () => {
    expect(startProblem('restart', mixed)).toBeUndefined();
    expect(startProblem('restart', { containers: [] })).toBe('no containers selected');
    expect(startProblem('restart', { service: 'gone', containers: [] })).toBe('no containers of gone in the fleet');
  });

  it('deploys one repository at a time and rolls back one service at a time, saying why not', () => {
    expect(startProblem('deploy', { containers: [c('a'), c('b')] })).toBeUndefined();
    expect(startProblem('deploy', mixed)).toMatch(/2 images .*registry.internal:5000\/ledger.*one service or image at a time/);
    expect(startProblem('rollback', { service: 'payments-api', containers: [c('a')] })).toBeUndefined();
    expect(startProblem('rollback', mixed)).toBe('they span 2 services (ledger, payments-api): roll back one at a time');
    expect(startProblem('rollback', { containers: [c('a', { service: undefined })] })).toMatch(/^not part of a service/);
    expect(startProblem('rollback', { containers: [c('a'), c('b', { service: undefined })] })).toMatch(/^some are not part of payments-api/);
  });

  it('asks the planner for the service, or for the listed containers as HOST/NAME', () => {
    expect(scopeRequest({ service: 'payments-api', containers: [c('a')] })).toEqual({ service: 'payments-api' });
    expect(scopeRequest({ containers: [c('a'), c('b', { host: 'h2' })] })).toEqual({ containers: ['h1/a', 'h2/b'] });
  });

  it('names the target for dialogs and menus', () => {
    expect(targetText({ service: 'web', containers: [c('a'), c('b')] })).toBe('web (2 containers)');
    expect(targetText({ containers: [c('a')] })).toBe('a on h1');
    expect(targetText({ containers: [c('a'), c('b')] })).toBe('2 containers of payments-api');
    expect(targetText(mixed)).toBe('2 containers');
  });
});

describe('a service fleet-wide', () => {
  it('takes its containers from every host, by host then name, and lists every service', () => {
    const fleet = [[c('api-10', { host: 'h2' }), c('db', { host: 'h2', service: 'db' })], [c('api-2', { host: 'h10' }), c('api-1', { host: 'h10' })], [c('api-3', { host: 'h2' })]];
    expect(serviceMembers(fleet, 'payments-api').map((x) => `${x.host}/${x.name}`)).toEqual(['h2/api-3', 'h2/api-10', 'h10/api-1', 'h10/api-2']);
    const services = fleetServices(fleet);
    expect([...services.keys()]).toEqual(['db', 'payments-api']);
    expect(services.get('payments-api')?.map((x) => x.name)).toEqual(['api-3', 'api-10', 'api-1', 'api-2']);
  });
});
