// CreateHere on fakes: the plan's IP from the pool over what is taken, the refusal naming the
// holder (at the plan and again right before the create), the MAC rule by API version, the audited
// create + start on the target host, and a clone's carried settings without the source's MAC.
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { formatIPv4, parseIPv4 } from '../../shared/ip';
import type { ActionHost, ActionRequest } from '../actions/actionPath';
import { CreateHere, derivedMac, endpointMac, type CreateHereMap, type CreateHerePool } from './createHere';

const SEGMENT = '198.18.4.0/24';
const ip = (s: string) => parseIPv4(s)!;

type Endpoint = ReturnType<CreateHereMap['snapshot']>['endpoints'][number];

function pool(over: Partial<CreateHerePool> = {}): CreateHerePool {
  return { segment: SEGMENT, range: { first: ip('198.18.4.200'), last: ip('198.18.4.210') }, reserved: [ip('198.18.4.201')], byName: false, line: 12, ...over };
}

/** The lowest free address of the range: the allocator's non-byName rule, enough to drive CreateHere. */
function lowestFree({ pool: p, taken }: { pool: CreateHerePool; taken: ReadonlySet<number> }): number | undefined {
  for (let n = p.range.first; n <= p.range.last; n++) if (!taken.has(n) && !p.reserved.includes(n)) return n;
  return undefined;
}

const SOURCE = {
  Id: 'f'.repeat(64),
  Name: '/fd-ipn-src',
  Image: 'sha256:img',
  Config: { Image: 'app:1.0', Hostname: 'fd-ipn-src', Env: ['PATH=/bin', 'MODE=blue'], Labels: { team: 'a' }, Cmd: ['serve'], MacAddress: '02:fd:00:04:00:c8' },
  HostConfig: { NetworkMode: 'lan', RestartPolicy: { Name: 'unless-stopped' }, Binds: ['/data:/data'] },
  NetworkSettings: { Networks: { lan: { IPAMConfig: { IPv4Address: '198.18.4.200' }, MacAddress: '02:fd:00:04:00:c8', Aliases: ['web'] } } },
};

function setup(options: { api?: string; endpoints?: Endpoint[]; pool?: CreateHerePool; segmentId?: string } = {}) {
  const id = options.segmentId ?? SEGMENT;
  const endpoints: Endpoint[] = [...(options.endpoints ?? [])];
  const runs: { action: string; host: string; container: string; params?: Record<string, unknown> }[] = [];
  const created: Record<string, unknown>[] = [];
  const started: string[] = [];
  let beforeCreate = () => {};
  const docker = (host: string) =>
    ({
      version: async () => ({ ApiVersion: options.api ?? '1.41' }),
      getContainer: (ref: string) => ({
        inspect: async () => {
          if (host === 'h1' && ref === 'fd-ipn-src') return SOURCE;
          throw Object.assign(new Error('no such container'), { statusCode: 404, json: { message: `No such container: ${ref}` } });
        },
        start: async () => void started.push(`${host}/${ref}`),
      }),
      getImage: () => ({ inspect: async () => ({ Config: { Env: ['PATH=/bin'], Cmd: ['serve'], Labels: {} } }) }),
      createContainer: async (body: Record<string, unknown>) => {
        created.push({ host, ...body });
        return { id: `${host}-new`.padEnd(64, '0') };
      },
    }) as unknown as Dockerode;
  const networks = [
    { host: 'h1', name: 'lan' },
    { host: 'h2', name: 'br0' },
    { host: 'h2', name: 'other' },
  ];
  const map: CreateHereMap = {
    snapshot: () => ({ endpoints, networks, segments: [{ id, subnets: [SEGMENT], hostAddresses: [{ host: 'h2', ip: '198.18.4.202' }], router: '198.18.4.1' }] }),
    segmentOf: (host, network) => (network === 'other' ? undefined : networks.some((n) => n.host === host && n.name === network) ? id : undefined),
    taken: () => new Set([...endpoints.map((e) => ip(e.ip)), ip('198.18.4.202'), ip('198.18.4.1')]),
  };
  const creator = new CreateHere({
    map,
    pools: () => [options.pool ?? pool()],
    allocate: lowestFree,
    hosts: { host: (name) => (name === 'h1' || name === 'h2' ? { docker: docker(name) } : undefined) },
    fleetFile: 'fleet.yaml',
    actions: {
      run: async <T,>(request: ActionRequest, act: (host: ActionHost, signal: AbortSignal) => Promise<T>): Promise<T> => {
        runs.push({ action: request.action, host: request.target.host, container: request.target.container!, ...(request.params ? { params: request.params } : {}) });
        if (request.action === 'create') beforeCreate();
        return act({ docker: docker(request.target.host), status: { state: 'online' } } as unknown as ActionHost, new AbortController().signal);
      },
    },
  });
  const hold = (container: string, at: string, host = 'h1', state = 'running') => endpoints.push({ segment: id, host, network: 'lan', container, ip: at, state });
  return { creator, runs, created, started, hold, onCreate: (f: () => void) => (beforeCreate = f) };
}

describe('the MAC rule', () => {
  it('sets none before API 1.44, whatever the pool says', () => {
    expect(endpointMac('1.41', { mac: 'derive' }, ip('198.18.4.20'))).toBeUndefined();
    expect(endpointMac('1.43', { mac: 'derive' }, ip('198.18.4.20'))).toBeUndefined();
  });
  it('on 1.44 and later sets the derived MAC only where the pool says derive', () => {
    expect(endpointMac('1.44', { mac: 'derive' }, ip('198.18.4.20'))).toBe('02:42:c6:12:04:14');
    expect(endpointMac('1.47', {}, ip('198.18.4.20'))).toBeUndefined();
    expect(endpointMac('1.47', { mac: 'none' }, ip('198.18.4.20'))).toBeUndefined();
  });
  it("derives it as the engine does: 02:42 then the address's bytes", () => {
    expect(derivedMac(ip('10.0.255.7'))).toBe('02:42:0a:00:ff:07');
  });
});

describe('CreateHere.plan', () => {
  it("takes the pool's next address over what the segment holds, on the host's network of the segment", async () => {
    const { creator, hold, runs } = setup();
    hold('fd-ipn-a', '198.18.4.200', 'h2', 'exited');
    const plan = await creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT });
    expect(plan).toMatchObject({ name: 'fd-ipn-b', host: 'h2', segment: SEGMENT, ip: '198.18.4.203', image: 'app:1.0' });
    expect(plan.mac).toBeUndefined();
    expect(plan.settings).toContainEqual({ key: 'network', value: 'br0 at 198.18.4.203' });
    expect(runs).toEqual([]); // a plan changes nothing
  });

  it('sets the derived MAC on a 1.44 daemon whose pool says derive', async () => {
    const { creator } = setup({ api: '1.44', pool: pool({ mac: 'derive' }) });
    const plan = await creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h1', segment: SEGMENT });
    expect(plan.mac).toBe(derivedMac(ip(plan.ip)));
  });

  it.each([
    ['198.18.4.200', 'held by container fd-ipn-a on h1 (exited)'],
    ['198.18.4.202', "held by h2's host address"],
    ['198.18.4.201', 'held by a reserved address (fleet.yaml:12)'],
  ])('refuses an asked address in use (%s), naming its holder', async (at, holder) => {
    const { creator, hold } = setup();
    hold('fd-ipn-a', '198.18.4.200', 'h1', 'exited');
    await expect(creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT, ip: at })).rejects.toThrow(`${at} is in use in ${SEGMENT}: ${holder}`);
  });

  it("finds a declared segment's pool by the subnet it names", async () => {
    const { creator } = setup({ segmentId: 'dc1' });
    expect(await creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: 'dc1' })).toMatchObject({ segment: 'dc1', ip: '198.18.4.200' });
  });

  it('refuses an asked address outside the pool', async () => {
    const { creator } = setup();
    await expect(creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT, ip: '198.18.4.20' })).rejects.toThrow('outside the pool');
  });

  it('says so when the pool is full, the segment has no pool, or the host has no network on it', async () => {
    const { creator } = setup({ pool: pool({ range: { first: ip('198.18.4.201'), last: ip('198.18.4.202') } }) });
    await expect(creator.plan({ kind: 'create', name: 'x', image: 'a', host: 'h1', segment: SEGMENT })).rejects.toThrow('has no free address');
    await expect(creator.plan({ kind: 'create', name: 'x', image: 'a', host: 'h1', segment: '10.0.0.0/24' })).rejects.toThrow('segment 10.0.0.0/24 has no IP pool');
    const other = setup({ pool: pool({ segment: '10.0.0.0/24' }) });
    await expect(other.creator.plan({ kind: 'create', name: 'x', image: 'a', host: 'h1', segment: '10.0.0.0/24' })).rejects.toThrow('h1 has no network on segment 10.0.0.0/24');
  });
});

describe('CreateHere.create', () => {
  it('creates then starts on the target host, audited, on the segment network with the IP', async () => {
    const { creator, runs, created, started } = setup();
    const done = await creator.create({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT });
    expect(done).toMatchObject({ host: 'h2', name: 'fd-ipn-b', ip: formatIPv4(ip('198.18.4.200')) });
    expect(runs.map((r) => `${r.action} ${r.host}/${r.container}`)).toEqual(['create h2/fd-ipn-b', 'start h2/fd-ipn-b']);
    expect(created).toEqual([
      expect.objectContaining({ host: 'h2', name: 'fd-ipn-b', Image: 'app:1.0', HostConfig: { NetworkMode: 'br0' }, NetworkingConfig: { EndpointsConfig: { br0: { IPAMConfig: { IPv4Address: '198.18.4.200' } } } } }),
    ]);
    expect(started).toEqual([`h2/${done.id}`]);
  });

  it('refuses, naming the holder, when the address was taken between the plan and the create', async () => {
    const { creator, created, started, hold, onCreate } = setup();
    const plan = await creator.plan({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT });
    onCreate(() => hold('fd-ipn-late', plan.ip, 'h1'));
    await expect(creator.create({ kind: 'create', name: 'fd-ipn-b', image: 'app:1.0', host: 'h2', segment: SEGMENT, ip: plan.ip })).rejects.toThrow(`held by container fd-ipn-late on h1 (running)`);
    expect(created).toEqual([]);
    expect(started).toEqual([]);
  });
});

describe('CreateHere clone', () => {
  it("carries the source's settings to the new name, host, network and IP, without its MAC", async () => {
    const { creator, created, hold } = setup();
    hold('fd-ipn-src', '198.18.4.200', 'h1');
    const request = { kind: 'clone', from: { host: 'h1', container: 'fd-ipn-src' }, name: 'fd-ipn-copy', host: 'h2', segment: SEGMENT } as const;
    const plan = await creator.plan(request);
    expect(plan).toMatchObject({ name: 'fd-ipn-copy', host: 'h2', ip: '198.18.4.203', image: 'app:1.0' });
    expect(plan.settings).toEqual(expect.arrayContaining([{ key: 'from', value: 'fd-ipn-src on h1' }, { key: 'env', value: 'PATH, MODE' }, { key: 'restart', value: 'unless-stopped' }, { key: 'mounts', value: '/data:/data' }]));
    await creator.create(request);
    const body = created[0] as { MacAddress?: string; HostConfig: unknown; NetworkingConfig: unknown };
    expect(body).toMatchObject({ host: 'h2', name: 'fd-ipn-copy', Hostname: 'fd-ipn-copy', Image: 'app:1.0', Env: ['PATH=/bin', 'MODE=blue'], Labels: { team: 'a' } });
    expect(body.MacAddress).toBeUndefined();
    expect(body.HostConfig).toMatchObject({ NetworkMode: 'br0', Binds: ['/data:/data'] });
    expect(body.NetworkingConfig).toEqual({ EndpointsConfig: { br0: { IPAMConfig: { IPv4Address: '198.18.4.203' }, Aliases: ['web'] } } });
  });

  it('says so when the source is gone', async () => {
    const { creator } = setup();
    await expect(creator.plan({ kind: 'clone', from: { host: 'h1', container: 'nope' }, name: 'c', host: 'h2', segment: SEGMENT })).rejects.toMatchObject({ code: 'not-found' });
  });
});
