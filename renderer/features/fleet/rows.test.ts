import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model';
import type { ContainerMap } from '../../stores/fleet';
import type { Sort } from '../../stores/ui';
import { createRowDeriver, groupKey, serviceKey, type Row, type RowsInput } from './rows';

let seq = 0;
function c(host: string, name: string, extra: Partial<Container> = {}): Container {
  seq++;
  return {
    host, id: seq.toString(16).padStart(12, '0'), name, image: `registry.internal:5000/x/${name.split('-')[1] ?? 'x'}:1`,
    state: 'running', status: 'Up 1 hour', ips: [{ network: 'br0', ip: `10.0.0.${seq}`, mac: `02:42:0a:00:00:${seq.toString(16).padStart(2, '0')}` }],
    createdAt: 0, startedAt: 1000 * seq, group: name.split('-')[0], service: name.split('-')[1], ...extra,
  };
}

const byName: Sort = { column: 'name', dir: 'asc' };
const noneCollapsed: ReadonlySet<string> = new Set();
const input = (containers: ContainerMap, over: Partial<RowsInput> = {}): RowsInput => ({
  containers, filter: '', problemsOnly: false, hostFilter: null, sort: byName, collapsed: noneCollapsed, ...over,
});
const names = (rows: readonly Row[]) => rows.map((r) => (r.kind === 'container' ? r.container.name : r.key));

describe('row derivation', () => {
  const h1 = [c('h1', 'payments-ledger-10'), c('h1', 'payments-ledger-2'), c('h1', 'video-origin-1', { state: 'exited', startedAt: undefined })];
  const h2 = [c('h2', 'payments-api-1', { health: 'unhealthy' }), c('h2', 'loose', { group: undefined, service: undefined })];
  const fleet: ContainerMap = new Map([['h1', h1], ['h2', h2]]);

  it('groups by group → service, natural order, "(no group)" last', () => {
    const d = createRowDeriver()(input(fleet));
    expect(names(d.rows)).toEqual([
      groupKey('payments'), serviceKey('payments', 'api'), 'payments-api-1', serviceKey('payments', 'ledger'), 'payments-ledger-2', 'payments-ledger-10',
      groupKey('video'), serviceKey('video', 'origin'), 'video-origin-1',
      groupKey('(no group)'), serviceKey('(no group)', '(no service)'), 'loose',
    ]);
    expect(d.matched).toBe(5);
    const payments = d.rows[0];
    expect(payments?.kind === 'group' && payments.counts).toEqual({ total: 3, running: 3, unhealthy: 1, stopped: 0, restarting: 0 });
  });

  it('filters case-insensitively on name, host, image, IP, service; all terms must match', () => {
    const derive = createRowDeriver();
    const only = (filter: string) => names(derive(input(fleet, { filter })).rows.filter((r) => r.kind === 'container'));
    expect(only('LEDGER')).toEqual(['payments-ledger-2', 'payments-ledger-10']);
    expect(only('h2')).toEqual(['payments-api-1', 'loose']);
    expect(only(h1[0]!.ips[0]!.ip)).toContain('payments-ledger-10');
    expect(only('x/origin:1')).toEqual(['video-origin-1']);
    expect(only('payments ledger-1')).toEqual(['payments-ledger-10']);
    expect(only('nothing-like-this')).toEqual([]);
  });

  it('sorts within a service, worst state first, and reverses', () => {
    const derive = createRowDeriver();
    const svc = [c('h1', 'a-b-1'), c('h1', 'a-b-2', { state: 'dead' }), c('h1', 'a-b-3', { health: 'unhealthy' }), c('h1', 'a-b-4', { state: 'exited' })];
    const m: ContainerMap = new Map([['h1', svc]]);
    const order = (sort: Sort) => names(derive(input(m, { sort })).rows.filter((r) => r.kind === 'container'));
    expect(order({ column: 'state', dir: 'asc' })).toEqual(['a-b-2', 'a-b-3', 'a-b-4', 'a-b-1']);
    expect(order({ column: 'state', dir: 'desc' })).toEqual(['a-b-1', 'a-b-4', 'a-b-3', 'a-b-2']);
  });

  it('leaves collapsed sections out but keeps their header rows', () => {
    const d = createRowDeriver()(input(fleet, { collapsed: new Set([groupKey('payments'), serviceKey('video', 'origin')]) }));
    expect(names(d.rows)).toEqual([
      groupKey('payments'), groupKey('video'), serviceKey('video', 'origin'), groupKey('(no group)'), serviceKey('(no group)', '(no service)'), 'loose',
    ]);
    expect(d.indexOf.get(groupKey('video'))).toBe(1);
  });

  it('problems only and host filter', () => {
    const derive = createRowDeriver();
    expect(names(derive(input(fleet, { problemsOnly: true })).rows.filter((r) => r.kind === 'container'))).toEqual(['payments-api-1', 'video-origin-1']);
    expect(derive(input(fleet, { hostFilter: 'h2' })).matched).toBe(2);
  });

  it('memoises: same inputs give the same rows; a one-host change keeps other hosts’ work', () => {
    const derive = createRowDeriver();
    const a = derive(input(fleet));
    expect(derive(input(fleet))).toBe(a);
    const next: ContainerMap = new Map(fleet).set('h2', [...h2, c('h2', 'payments-api-2')]);
    const b = derive(input(next));
    expect(b).not.toBe(a);
    expect(b.matched).toBe(6);
  });

  it('10,000 containers derive quickly', () => {
    const big = new Map<string, Container[]>();
    for (let h = 0; h < 1000; h++) big.set(`h${h}`, Array.from({ length: 10 }, (_, i) => c(`h${h}`, `g${i % 7}-s${h % 5}-${h * 10 + i}`)));
    const derive = createRowDeriver();
    const t = performance.now();
    const d = derive(input(big));
    const first = performance.now() - t;
    // One host changes: only that host is re-filtered.
    const changed = new Map(big).set('h5', big.get('h5')!.map((x) => ({ ...x, health: 'unhealthy' as const })));
    const t2 = performance.now();
    derive(input(changed));
    const second = performance.now() - t2;
    expect(d.matched).toBe(10_000);
    expect(first).toBeLessThan(500);
    expect(second).toBeLessThan(200);
  });
});
