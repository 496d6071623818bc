import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { IpMapSnapshot, IpNetwork } from '../../shared/ipmap';
import type { HostState } from '../../shared/model';
import { parseIPv4 } from '../../shared/ip';
import { FakeClock } from '../clock/fakeClock';
import { allocate } from './allocator';
import type { HostEndpoint } from './engineRead';
import { IP_EVENT_DEBOUNCE_MS, IP_PUBLISH_COALESCE_MS, IpMapService, type HostReader, type IpMapOptions } from './ipMapService';

const SUBNET = '198.18.4.0/24';

class FakeHost extends EventEmitter {
  status: { state: HostState } = { state: 'online' };
  networks: IpNetwork[];
  endpoints: HostEndpoint[] = [];
  reads = 0;
  failing = false;
  constructor(
    readonly name: string,
    gateway: string,
  ) {
    super();
    this.networks = [{ host: name, id: `${name}-br0`, name: 'br0', driver: 'bridge', subnets: [SUBNET], gateways: [gateway], bridge: 'br0' }];
  }
  get spec() {
    return { name: this.name };
  }
  add(container: string, ip: string, extra: Partial<HostEndpoint> = {}): void {
    this.endpoints.push({ network: 'br0', networkId: `${this.name}-br0`, container, containerId: `${container}-id`, ip, static: true, state: 'running', since: '2026-01-01T00:00:00.000Z', ...extra });
  }
  setState(state: HostState): void {
    this.status = { state };
    this.emit('state', this.status);
    if (state === 'online') this.emit('online');
  }
}

const reader: HostReader<FakeHost> = {
  networks: async (h) => {
    if (h.failing) throw new Error('connection refused');
    return h.networks.map((n) => ({ ...n }));
  },
  endpoints: async (h, networks) => {
    h.reads++;
    if (h.failing) throw new Error('connection refused');
    return h.endpoints.filter((e) => networks.some((n) => n.id === e.networkId)).map((e) => ({ ...e }));
  },
};

const pool = { segment: SUBNET, range: { first: parseIPv4('198.18.4.20')!, last: parseIPv4('198.18.4.29')! }, reserved: [parseIPv4('198.18.4.20')!], byName: false, line: 3 };

function setup(hosts: FakeHost[], extra: Partial<IpMapOptions<FakeHost>> = {}) {
  const clock = new FakeClock(Date.parse('2026-12-02T00:00:00.000Z'));
  const seen: IpMapSnapshot[] = [];
  const conflictInputs: unknown[] = [];
  const service = new IpMapService<FakeHost>({
    hosts,
    reader,
    segments: [],
    pools: [pool],
    conflicts: (input) => {
      conflictInputs.push(input);
      return [];
    },
    poolErrors: () => [],
    allocate,
    clock,
    ...extra,
  });
  service.onChange((s) => seen.push(s));
  return { service, clock, seen, conflictInputs };
}

describe('IpMapService', () => {
  it('maps every host once online: one segment for the shared subnet, each gateway its host address, pool use', async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const h2 = new FakeHost('h2', '198.18.4.12');
    h1.add('a', '198.18.4.21', { mac: '02:fd:00:04:00:15' });
    h2.add('b', '198.18.4.22', { state: 'exited' });
    h2.add('c', '198.18.4.100', { static: false });
    const { service, clock, seen } = setup([h1, h2]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    const snap = service.snapshot();
    expect(snap.segments).toEqual([
      {
        id: SUBNET, subnets: [SUBNET], hosts: ['h1', 'h2'], offlineHosts: [],
        hostAddresses: [{ host: 'h1', ip: '198.18.4.11' }, { host: 'h2', ip: '198.18.4.12' }],
        pool: { range: '198.18.4.20-198.18.4.29', byName: false, size: 10, used: 2, free: 7, reserved: 1 },
      },
    ]);
    expect(snap.endpoints.map((e) => [e.host, e.container, e.ip, e.segment, e.static, e.state])).toEqual([
      ['h1', 'a', '198.18.4.21', SUBNET, true, 'running'],
      ['h2', 'b', '198.18.4.22', SUBNET, true, 'exited'],
      ['h2', 'c', '198.18.4.100', SUBNET, false, 'running'],
    ]);
    expect(snap.networks.map((n) => `${n.host}/${n.name}`)).toEqual(['h1/br0', 'h2/br0']);
    expect(seen).toHaveLength(1);
    expect(service.segmentOf('h1', 'br0')).toBe(SUBNET);
    expect(service.segmentOf('h1', 'nope')).toBeUndefined();
  });

  it('takes the gateway every host shares as the router, not a host address', async () => {
    const { service, clock } = setup([new FakeHost('h1', '198.18.4.1'), new FakeHost('h2', '198.18.4.1')]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    expect(service.snapshot().segments[0]).toMatchObject({ router: '198.18.4.1', hostAddresses: [] });
  });

  it("follows the fleet file's segments: one subnet split by hosts, two subnets joined", async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const h2 = new FakeHost('h2', '198.18.4.12');
    const h3 = new FakeHost('h3', '10.78.0.1');
    h3.networks[0]!.subnets = ['10.78.0.0/24'];
    const { service, clock } = setup([h1, h2, h3], {
      segments: [{ name: 'rack-a', subnets: [SUBNET], hosts: ['h1'] }, { name: 'dc1', subnets: [SUBNET, '10.78.0.0/24'] }],
    });
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    expect(service.snapshot().segments.map((s) => [s.id, s.hosts, s.subnets])).toEqual([
      ['dc1', ['h2', 'h3'], ['10.78.0.0/24', SUBNET]],
      ['rack-a', ['h1'], [SUBNET]],
    ]);
  });

  it('re-reads endpoints after container and network events, debounced into one read, and publishes the change', async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const { clock, seen } = setup([h1]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    const before = h1.reads;
    h1.add('new', '198.18.4.25');
    for (const [Type, Action] of [['container', 'create'], ['network', 'connect'], ['container', 'start']] as const) h1.emit('event', { Type, Action });
    h1.emit('event', { Type: 'container', Action: 'exec_start: sh' });
    await clock.advance(IP_EVENT_DEBOUNCE_MS + IP_PUBLISH_COALESCE_MS);
    expect(h1.reads - before).toBe(1);
    expect(seen.at(-1)?.endpoints.map((e) => e.container)).toEqual(['new']);
    h1.emit('event', { Type: 'container', Action: 'exec_start: sh' });
    await clock.advance(IP_EVENT_DEBOUNCE_MS + IP_PUBLISH_COALESCE_MS);
    expect(h1.reads - before).toBe(1);
  });

  it('re-reads networks on network create and destroy', async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const { service, clock } = setup([h1]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    h1.networks = [];
    h1.emit('event', { Type: 'network', Action: 'destroy' });
    await clock.advance(IP_EVENT_DEBOUNCE_MS + IP_PUBLISH_COALESCE_MS);
    expect(service.snapshot().segments).toEqual([]);
  });

  it("keeps an offline host's endpoints, marked stale, and lists the host offline; back online it is read again", async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const h2 = new FakeHost('h2', '198.18.4.12');
    h2.add('b', '198.18.4.22');
    const { service, clock } = setup([h1, h2]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    h2.failing = true;
    h2.setState('offline');
    h2.emit('event', { Type: 'container', Action: 'die' });
    await clock.advance(IP_EVENT_DEBOUNCE_MS + IP_PUBLISH_COALESCE_MS);
    let snap = service.snapshot();
    expect(snap.segments[0]?.offlineHosts).toEqual(['h2']);
    expect(snap.endpoints).toEqual([expect.objectContaining({ host: 'h2', container: 'b', stale: true })]);
    h2.failing = false;
    h2.endpoints = [];
    h2.setState('online');
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    snap = service.snapshot();
    expect(snap.segments[0]?.offlineHosts).toEqual([]);
    expect(snap.endpoints).toEqual([]);
  });

  it('hands out the next pool address over everything taken in the segment, and says why when it cannot', async () => {
    const h1 = new FakeHost('h1', '198.18.4.21');
    const h2 = new FakeHost('h2', '198.18.4.12');
    h2.add('stopped', '198.18.4.22', { state: 'exited' });
    const { service, clock } = setup([h1, h2]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    expect([...service.taken(SUBNET)].sort()).toEqual(['198.18.4.12', '198.18.4.21', '198.18.4.22'].map((ip) => parseIPv4(ip)));
    expect(service.next(SUBNET, 'web-1')).toBe('198.18.4.23');
    expect(() => service.next('10.9.9.0/24', 'x')).toThrow(/no segment 10\.9\.9\.0\/24/);
    for (let i = 23; i <= 29; i++) h2.add(`f${i}`, `198.18.4.${i}`);
    await service.refresh();
    expect(() => service.next(SUBNET, 'web-1')).toThrow(/no free address/);
  });

  it('gives the conflict finder the endpoints, segments and the pools by segment id, and reports pool errors', async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    h1.add('a', '198.18.4.21');
    const { service, clock, conflictInputs } = setup([h1], {
      conflicts: (input) => {
        conflictInputs.push(input);
        return [{ kind: 'outside-pool', segment: SUBNET, ip: '198.18.4.21', holders: [], latent: false, since: 'x', detail: 'd' }];
      },
      poolErrors: (known) => known.map((k) => `fleet.yaml:3: ipPools[0].segment: ${k.id} seen`),
    });
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    const snap = service.snapshot();
    expect(snap.conflicts.map((c) => c.kind)).toEqual(['outside-pool']);
    expect(snap.poolErrors).toEqual([`fleet.yaml:3: ipPools[0].segment: ${SUBNET} seen`]);
    expect(conflictInputs.at(-1)).toMatchObject({ endpoints: [{ container: 'a' }], segments: [{ id: SUBNET }], pools: [{ segment: SUBNET, line: 3 }] });
  });

  it('publishes nothing when a re-read changes nothing', async () => {
    const h1 = new FakeHost('h1', '198.18.4.11');
    const { clock, seen } = setup([h1]);
    await clock.advance(IP_PUBLISH_COALESCE_MS);
    h1.emit('event', { Type: 'container', Action: 'die' });
    await clock.advance(IP_EVENT_DEBOUNCE_MS + IP_PUBLISH_COALESCE_MS);
    expect(seen).toHaveLength(1);
  });
});
