import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model';
import { fleetServices, type StartAction, type StartTarget } from '../rolloutStart/scope';
import { rankFuzzy } from './fuzzy';
import { rolloutEntries } from './rolloutEntries';

const c = (name: string, host: string, service: string, image = `registry.internal:5000/${service}:1`): Container => ({
  host, id: `${name}-id`, name, image, state: 'running', status: 'Up', ips: [], createdAt: 0, service,
});

describe('the palette offers rollouts by service name', () => {
  const fleet = [[c('pay-1', 'h1', 'payments-api'), c('led-1', 'h1', 'ledger', 'registry.internal:5000/ledger:3')], [c('pay-2', 'h2', 'payments-api'), c('led-2', 'h2', 'ledger', 'other.io/ledger:3')]];
  const ran: string[] = [];
  const entries = rolloutEntries(fleetServices(fleet), {
    start: (a: StartAction, t: StartTarget) => ran.push(`${a} ${t.service} ${t.containers.map((x) => x.name).join(',')}`),
  });

  it('three a service, services in name order, each with its size', () => {
    expect(entries.map((e) => e.title)).toEqual([
      'Rolling restart ledger…', 'Deploy ledger…', 'Roll back ledger…',
      'Rolling restart payments-api…', 'Deploy payments-api…', 'Roll back payments-api…',
    ]);
    expect(entries[3]).toMatchObject({ kind: 'rollout', note: '2 containers on 2 hosts', unavailable: undefined });
  });

  it('says why one cannot start instead of running it', () => {
    expect(entries[1]!.unavailable).toMatch(/2 images/);
    expect(entries[0]!.unavailable).toBeUndefined();
  });

  it('is found by the service name and runs on the whole service', () => {
    const [best] = rankFuzzy('deploy pay', entries, (e) => e.target, 5);
    expect(best?.item.title).toBe('Deploy payments-api…');
    best?.item.run();
    const restart = rankFuzzy('restart ledger', entries, (e) => e.target, 5)[0]?.item;
    restart?.run();
    expect(ran).toEqual(['deploy payments-api pay-1,pay-2', 'restart ledger led-1,led-2']);
  });
});
