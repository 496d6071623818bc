import { describe, expect, it } from 'vitest';
import { ImageRefError } from '../../shared/imageRef';
import type { Container } from '../../shared/model';
import type { TagInfo } from '../../shared/registry';
import { FakeClock, settle } from '../clock/fakeClock';
import { bindRegistry } from './bind';
import { OPERATION_DEADLINE_MS, REGISTRY_CACHE_MS, REQUESTS_PER_REGISTRY, RegistryService, type FleetRegistry, type ImageDaemons } from './registryService';
import { RegistryError, type CredentialSource, type CredentialStore, type ManifestDigest, type RegistryApi } from './types';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const REG = '198.18.0.1:5000';

/** A registry in memory: repository -> tag -> digest; counts the calls it gets. */
function fakeRegistry(url: string, repos: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failure: RegistryError | undefined;
  let hang = false;
  const answer = async <T>(call: string, value: () => T): Promise<T> => {
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await settle();
      if (hang) await new Promise(() => {});
      if (failure) throw failure;
      return value();
    } finally {
      inFlight--;
    }
  };
  const find = (repository: string, reference: string): ManifestDigest => {
    const tags = repos[repository];
    if (!tags) throw new RegistryError(`repository ${repository} not found`, 'not-found');
    const d = reference.startsWith('sha256:') ? Object.values(tags).find((x) => x === reference) : tags[reference];
    if (!d) throw new RegistryError(`manifest ${repository}:${reference} not found`, 'not-found');
    return { digest: d, mediaType: 'application/vnd.oci.image.manifest.v1+json' };
  };
  const api: RegistryApi = {
    url,
    ping: () => answer('ping', () => undefined),
    repositories: () => answer('repositories', () => Object.keys(repos)),
    tags: (repository) => answer(`tags ${repository}`, () => Object.keys(repos[repository] ?? {})),
    manifestDigest: (repository, reference) => answer(`digest ${repository}:${reference}`, () => find(repository, reference)),
    imageConfig: () => answer('config', () => ({ labels: {} })),
    tagInfo: (repository, tag) =>
      answer(`tagInfo ${repository}:${tag}`, (): TagInfo => ({ tag, ...find(repository, tag), created: '2026-01-01T00:00:00Z', size: 100, labels: { tag } })),
  };
  return {
    api,
    calls,
    maxInFlight: () => maxInFlight,
    set: (repository: string, tag: string, d: string) => void ((repos[repository] ??= {})[tag] = d),
    fail: (err: RegistryError | undefined) => void (failure = err),
    hang: () => void (hang = true),
  };
}

const fleetRegistry = (api: RegistryApi, host: string): FleetRegistry => ({ url: api.url, host, insecure: false, api });

const credentials = (sources: Record<string, CredentialSource | Error> = {}): CredentialStore => ({
  lookup: async (host) => {
    const s = sources[host] ?? 'none';
    if (s instanceof Error) throw s;
    return { source: s };
  },
});

const container = (host: string, id: string, image: string, imageId = ''): Container => ({
  host,
  id,
  name: `c-${id}`,
  image,
  ...(imageId ? { imageId } : {}),
  state: 'running',
  status: 'Up',
  ips: [],
  createdAt: 0,
});

/** Daemons in memory: host -> containers, inspect answers, image repo digests; counts inspects. */
function fakeDaemons(hosts: Record<string, Container[]>, inspect: Record<string, { image: string; imageId: string }>, images: Record<string, string[]>) {
  const calls: string[] = [];
  const daemons: ImageDaemons = {
    hosts: () => Object.entries(hosts).map(([host, containers]) => ({ host, containers })),
    inspectContainer: async (host, id) => {
      calls.push(`container ${host}/${id}`);
      const found = inspect[id];
      if (!found) throw new Error('no such container');
      return found;
    },
    repoDigests: async (host, imageId) => {
      calls.push(`image ${host}/${imageId}`);
      return images[imageId] ?? [];
    },
  };
  return { daemons, calls };
}

describe('RegistryService', () => {
  it('lists every registry with its status and credential source; a failing one says why, the others are unaffected', async () => {
    const ok = fakeRegistry('https://198.18.0.1:5000', {});
    const bad = fakeRegistry('https://198.18.0.1:5001', {});
    bad.fail(new RegistryError('certificate signed by an unknown authority', 'tls'));
    const helperless = fakeRegistry('https://198.18.0.1:5003', {});
    const service = new RegistryService({
      registries: [fleetRegistry(ok.api, REG), fleetRegistry(bad.api, '198.18.0.1:5001'), fleetRegistry(helperless.api, '198.18.0.1:5003')],
      credentials: credentials({ [REG]: 'fleet-file', '198.18.0.1:5001': 'credential-helper', '198.18.0.1:5003': new Error('docker-credential-gone: not found on PATH') }),
      clock: new FakeClock(),
    });
    expect(await service.registries()).toEqual([
      { url: 'https://198.18.0.1:5000', host: REG, insecure: false, credentials: 'fleet-file', status: 'ok' },
      { url: 'https://198.18.0.1:5001', host: '198.18.0.1:5001', insecure: false, credentials: 'credential-helper', status: 'error', error: { kind: 'tls', message: 'certificate signed by an unknown authority' } },
      { url: 'https://198.18.0.1:5003', host: '198.18.0.1:5003', insecure: false, credentials: 'none', status: 'error', error: { kind: 'auth', message: 'docker-credential-gone: not found on PATH' } },
    ]);
  });

  it('a registry that never answers is a timeout at the operation deadline, and does not hold the other', async () => {
    const clock = new FakeClock();
    const ok = fakeRegistry('https://198.18.0.1:5000', {});
    const silent = fakeRegistry('https://198.18.0.1:5001', {});
    silent.hang();
    const service = new RegistryService({ registries: [fleetRegistry(ok.api, REG), fleetRegistry(silent.api, '198.18.0.1:5001')], credentials: credentials(), clock });
    let answer: Awaited<ReturnType<RegistryService['registries']>> | undefined;
    void service.registries().then((a) => (answer = a));
    await clock.advance(OPERATION_DEADLINE_MS - 1);
    expect(answer).toBeUndefined();
    await clock.advance(1);
    await settle();
    expect(answer?.map((r) => [r.status, r.error?.kind])).toEqual([
      ['ok', undefined],
      ['error', 'timeout'],
    ]);
    // The ok registry's own calls still answer while the silent one hangs.
    await expect(service.repositories('https://198.18.0.1:5000')).resolves.toEqual([]);
  });

  it('finds a registry by its URL or host, and names the fleet file\'s registries when it has none such', async () => {
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': {} });
    const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() });
    await expect(service.repositories('https://198.18.0.1:5000/')).resolves.toEqual(['lab/app']);
    await expect(service.repositories(REG)).resolves.toEqual(['lab/app']);
    await expect(service.repositories('https://other:5000')).rejects.toMatchObject({
      kind: 'not-found',
      message: 'registry https://other:5000 is not in the fleet file (it lists https://198.18.0.1:5000)',
    });
  });

  it('gives each tag its details, skips a tag deleted since the list, and caches for REGISTRY_CACHE_MS', async () => {
    const clock = new FakeClock();
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': { '1.0': digest('a'), '1.1': digest('b') } });
    const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock });
    const listed = r.api.tags;
    r.api.tags = async (repo) => [...(await listed(repo)), 'deleted'];
    const tags = await service.tags(REG, 'lab/app');
    expect(tags.map((t) => [t.tag, t.digest, t.size])).toEqual([
      ['1.0', digest('a'), 100],
      ['1.1', digest('b'), 100],
    ]);
    const asked = r.calls.length;
    await clock.advance(REGISTRY_CACHE_MS - 1);
    await service.tags(REG, 'lab/app');
    expect(r.calls.length).toBe(asked);
    r.set('lab/app', '1.1', digest('c'));
    await clock.advance(1);
    expect((await service.tags(REG, 'lab/app')).find((t) => t.tag === '1.1')?.digest).toBe(digest('c'));
  });

  it(`asks one registry at most ${REQUESTS_PER_REGISTRY} things at once`, async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, digest('a')]));
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': many });
    const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() });
    expect(await service.tags(REG, 'lab/app')).toHaveLength(40);
    expect(r.maxInFlight()).toBe(REQUESTS_PER_REGISTRY);
  });

  it('a registry error fails the whole tag list with its kind', async () => {
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': { '1.0': digest('a') } });
    r.fail(new RegistryError('authentication required', 'auth'));
    const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() });
    await expect(service.tags(REG, 'lab/app')).rejects.toMatchObject({ kind: 'auth' });
  });

  it('resolves a reference: its tag, latest when it has none, a digest checked to exist; bad references and unknown registries fail clearly', async () => {
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': { '1.0': digest('a'), latest: digest('b') } });
    const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() });
    expect(await service.resolve(`${REG}/lab/app:1.0`)).toEqual({
      ref: `${REG}/lab/app:1.0`,
      registry: 'https://198.18.0.1:5000',
      repository: 'lab/app',
      tag: '1.0',
      digest: digest('a'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    expect(await service.resolve(`${REG}/lab/app`)).toMatchObject({ tag: 'latest', digest: digest('b') });
    expect(await service.resolve(`${REG}/lab/app@${digest('a')}`)).toMatchObject({ digest: digest('a') });
    expect((await service.resolve(`${REG}/lab/app@${digest('a')}`)).tag).toBeUndefined();
    await expect(service.resolve(`${REG}/lab/app:2.0`)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(service.resolve(`${REG}/Lab/app`)).rejects.toThrow(ImageRefError);
    await expect(service.resolve('nginx:latest')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('registry docker.io is not in the fleet file') });
  });

  describe('imageUsage', () => {
    const OLD = `sha256:${'1'.repeat(64)}`;
    const NEW = `sha256:${'2'.repeat(64)}`;
    const LOCAL = `sha256:${'3'.repeat(64)}`;

    function setUp() {
      const clock = new FakeClock();
      const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': { '1.0': digest('b'), '1.1': digest('c') } });
      const down = fakeRegistry('https://198.18.0.1:5001', {});
      down.fail(new RegistryError('connection refused', 'unreachable'));
      const hosts = {
        h1: [
          container('h1', 'current', `${REG}/lab/app:1.0`, NEW),
          // The tag was pulled anew on h1 since: the list names the image by its ID.
          container('h1', 'old', OLD, OLD),
          container('h1', 'hub', 'nginx:1.27', LOCAL),
        ],
        h2: [
          container('h2', 'current2', `${REG}/lab/app:1.0`, NEW),
          container('h2', 'built', `${REG}/lab/app:1.1`, LOCAL),
          container('h2', 'elsewhere', '198.18.0.1:5001/lab/app:1.0', NEW),
          container('h2', 'pinned', `${REG}/lab/app@${digest('b')}`, NEW),
        ],
      };
      const { daemons, calls } = fakeDaemons(hosts, { old: { image: `${REG}/lab/app:1.0`, imageId: OLD } }, { [NEW]: [`${REG}/lab/app@${digest('b')}`], [OLD]: [`${REG}/lab/app@${digest('a')}`] });
      const service = new RegistryService({ registries: [fleetRegistry(r.api, REG), fleetRegistry(down.api, '198.18.0.1:5001')], credentials: credentials(), daemons, clock });
      return { service, r, calls, clock };
    }

    it('tells for each container its reference, image ID and repo digests, and whether its tag has moved on', async () => {
      const { service } = setUp();
      const rows = await service.imageUsage();
      const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
      expect(byId.current).toEqual({
        host: 'h1',
        id: 'current',
        name: 'c-current',
        image: `${REG}/lab/app:1.0`,
        imageId: NEW,
        repoDigests: [`${REG}/lab/app@${digest('b')}`],
        currentDigest: digest('b'),
        outdated: false,
      });
      expect(byId.old).toMatchObject({ image: `${REG}/lab/app:1.0`, imageId: OLD, currentDigest: digest('b'), outdated: true });
      // Not a fleet registry: nothing to compare against.
      expect(byId.hub).toMatchObject({ image: 'nginx:1.27', repoDigests: [] });
      expect(byId.hub?.outdated).toBeUndefined();
      // Built on the host and never pushed: no digest of that repository to compare.
      expect(byId.built).toMatchObject({ currentDigest: digest('c') });
      expect(byId.built?.outdated).toBeUndefined();
      // Its registry is down: not known.
      expect(byId.elsewhere?.currentDigest).toBeUndefined();
      expect(byId.elsewhere?.outdated).toBeUndefined();
      // Pinned by digest, no tag to move on.
      expect(byId.pinned?.outdated).toBeUndefined();
      expect(rows).toHaveLength(7);
    });

    it('inspects only containers listed by image ID, once each; asks the registry once per tag; drops what is gone', async () => {
      const { service, r, calls, clock } = setUp();
      await service.imageUsage();
      expect(calls.filter((c) => c.startsWith('container'))).toEqual(['container h1/old']);
      expect(calls.filter((c) => c.startsWith('image')).sort()).toEqual([`image h1/${LOCAL}`, `image h1/${NEW}`, `image h1/${OLD}`, `image h2/${LOCAL}`, `image h2/${NEW}`].sort());
      expect(r.calls.filter((c) => c.startsWith('digest'))).toEqual(['digest lab/app:1.0', 'digest lab/app:1.1']);
      const before = calls.length;
      await service.imageUsage();
      expect(calls.length).toBe(before);
      await clock.advance(REGISTRY_CACHE_MS);
      r.set('lab/app', '1.0', digest('d'));
      const rows = await service.imageUsage();
      expect(rows.find((row) => row.id === 'current')).toMatchObject({ currentDigest: digest('d'), outdated: true });
      expect(calls.filter((c) => c.startsWith('container'))).toEqual(['container h1/old']);
    });

    it('lists no container without daemons (the CLI)', async () => {
      const r = fakeRegistry('https://198.18.0.1:5000', {});
      const service = new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() });
      expect(await service.imageUsage()).toEqual([]);
    });
  });

  it('binding: a registry error crosses the bridge with its kind as the code', async () => {
    const r = fakeRegistry('https://198.18.0.1:5000', { 'lab/app': { '1.0': digest('a') } });
    r.fail(new RegistryError('x509: certificate signed by unknown authority', 'tls'));
    const api = bindRegistry(new RegistryService({ registries: [fleetRegistry(r.api, REG)], credentials: credentials(), clock: new FakeClock() }));
    await expect(api.registryTags({ registry: REG, repository: 'lab/app' })).rejects.toMatchObject({ code: 'tls', message: 'x509: certificate signed by unknown authority' });
    await expect(api.registryRepositories({ registry: 'https://nope' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await api.imageUsage({})).toEqual({ containers: [] });
  });
});
