import { describe, expect, it } from 'vitest';
import type { Container, Host } from '../../shared/model';
import type { ContainerImage, RegistryInfo, TagInfo } from '../../shared/registry';
import { createFleetStore } from './fleet';
import { askUsageOnFleetChange, createImagesStore, tagsKey, usageOf, USAGE_REFRESH_MS, USAGE_SETTLE_MS, type ImagesApi } from './images';
import { runningDigest, tagUse } from './imageUsage';

const REG = 'https://198.18.0.1:5000';
const HOST = '198.18.0.1:5000';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

const registry: RegistryInfo = { url: REG, host: HOST, insecure: false, credentials: 'fleet-file', status: 'ok' };
const tag = (name: string, digest: string, patch: Partial<TagInfo> = {}): TagInfo => ({ tag: name, digest, mediaType: 'application/vnd.oci.image.index.v1+json', labels: {}, ...patch });
const container = (host: string, id: string, image: string, digests: string[], patch: Partial<ContainerImage> = {}): ContainerImage => ({
  host, id, name: `c-${id}`, image, imageId: `sha256:${id.repeat(64).slice(0, 64)}`, repoDigests: digests, ...patch,
});

/** A call whose answer the test gives when it likes. */
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function setup(overrides: Partial<ImagesApi> = {}) {
  const asked: string[] = [];
  const api: ImagesApi = {
    registries: async () => { asked.push('registries'); return [registry]; },
    registryRepositories: async ({ registry: r }) => { asked.push(`repos ${r}`); return { repositories: ['lab/app'] }; },
    registryTags: async ({ repository }) => { asked.push(`tags ${repository}`); return { tags: [tag('1.0', D1)] }; },
    imageUsage: async () => { asked.push('usage'); return { containers: [] }; },
    ...overrides,
  };
  const ticks: (() => void)[] = [];
  let stopped = 0;
  const store = createImagesStore(api, { every: (ms, fn) => { expect(ms).toBe(USAGE_REFRESH_MS); ticks.push(fn); return () => { stopped++; }; } });
  return { store, asked, tick: () => ticks.forEach((f) => f()), timers: () => ticks.length, stopped: () => stopped };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('images store against a fake Api', () => {
  it('loads registries and usage on connect, asks usage again on each refresh tick, and stops on disconnect', async () => {
    const { store, asked, tick, timers, stopped } = setup();
    store.getState().connect();
    store.getState().connect();
    expect(store.getState().registries).toEqual({ status: 'loading' });
    await settle();
    expect(store.getState().registries).toEqual({ status: 'ok', value: [registry] });
    expect(store.getState().usage?.status).toBe('ok');
    expect(timers()).toBe(1);
    tick();
    await settle();
    expect(asked.filter((a) => a === 'usage')).toHaveLength(2);
    store.getState().disconnect();
    expect(stopped()).toBe(1);
  });

  it('keeps a registry error with its reason and kind where the repositories would be', async () => {
    const { store } = setup({
      registryRepositories: () => Promise.reject({ message: 'unauthorized: authentication required', code: 'auth' }),
      registryTags: () => Promise.reject(new Error('socket hang up')),
    });
    await store.getState().loadRepositories(REG);
    expect(store.getState().repositories.get(REG)).toEqual({ status: 'error', error: 'unauthorized: authentication required', kind: 'auth' });
    await store.getState().loadTags(REG, 'lab/app');
    // A code that is not a registry error kind is no kind.
    expect(store.getState().tags.get(tagsKey(REG, 'lab/app'))).toEqual({ status: 'error', error: 'socket hang up' });
  });

  it('keeps the last answer while asking again, and after a failed ask', async () => {
    const answers = [later<{ tags: TagInfo[] }>(), later<{ tags: TagInfo[] }>()];
    let n = 0;
    const { store } = setup({ registryTags: () => answers[n++]!.promise });
    const key = tagsKey(REG, 'lab/app');
    const first = store.getState().loadTags(REG, 'lab/app');
    answers[0]!.resolve({ tags: [tag('1.0', D1)] });
    await first;
    const again = store.getState().loadTags(REG, 'lab/app');
    expect(store.getState().tags.get(key)).toEqual({ status: 'loading', value: [tag('1.0', D1)] });
    answers[1]!.reject({ message: 'timeout after 10 s', code: 'timeout' });
    await again;
    expect(store.getState().tags.get(key)).toEqual({ status: 'error', error: 'timeout after 10 s', kind: 'timeout', value: [tag('1.0', D1)] });
  });

  it('drops an answer to an older ask that comes after a newer one', async () => {
    const answers = [later<{ repositories: string[] }>(), later<{ repositories: string[] }>()];
    let n = 0;
    const { store } = setup({ registryRepositories: () => answers[n++]!.promise });
    const older = store.getState().loadRepositories(REG);
    const newer = store.getState().loadRepositories(REG);
    answers[1]!.resolve({ repositories: ['lab/new'] });
    await newer;
    answers[0]!.resolve({ repositories: ['lab/old'] });
    await older;
    expect(store.getState().repositories.get(REG)).toEqual({ status: 'ok', value: ['lab/new'] });
  });

  it('refresh asks again for everything asked so far', async () => {
    const { store, asked } = setup();
    await store.getState().loadRepositories(REG);
    await store.getState().loadTags(REG, 'lab/app');
    asked.length = 0;
    await store.getState().refresh();
    expect(asked.sort()).toEqual(['registries', `repos ${REG}`, 'tags lab/app', 'usage']);
  });

  it('remembers only the rows the user opened or closed', () => {
    const { store } = setup();
    const before = store.getState().expanded;
    store.getState().setExpanded('r:x', false);
    store.getState().setExpanded('r:x', false);
    expect(store.getState().expanded.get('r:x')).toBe(false);
    expect(store.getState().expanded).not.toBe(before);
  });
});

describe('image usage', () => {
  it("counts a tag's containers by the digest it points to now, and those created from it that run an older one", async () => {
    const containers = [
      container('h1', 'a', `${HOST}/lab/app:1.0`, [`${HOST}/lab/app@${D1}`]),
      container('h2', 'b', `${HOST}/lab/app:1.0`, [`${HOST}/lab/app@${D1}`]),
      // Another tag of the same digest runs it too.
      container('h2', 'c', `${HOST}/lab/app:stable`, [`${HOST}/lab/app@${D1}`]),
      // Created from 1.0, which has moved on since.
      container('h3', 'd', `${HOST}/lab/app:1.0`, [`${HOST}/lab/app@${D2}`], { currentDigest: D1, outdated: true }),
      // Docker Hub's short forms normalise; an image ID alone is no reference.
      container('h3', 'e', 'nginx', ['nginx@' + D3]),
      container('h3', 'f', 'f00dcafe'.repeat(8), []),
    ];
    const { store } = setup({ imageUsage: async () => ({ containers }) });
    await store.getState().loadUsage();
    const index = usageOf(store.getState());
    const use = tagUse(index, HOST, 'lab/app', tag('1.0', D1));
    expect(use.running.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(use.outdated.map((c) => c.id)).toEqual(['d']);
    // A platform manifest's digest (pulled by digest) counts for its index's tag.
    expect(tagUse(index, HOST, 'lab/app', tag('old', `sha256:${'9'.repeat(64)}`, { platformDigest: D2 })).running.map((c) => c.id)).toEqual(['d']);
    expect(tagUse(index, 'docker.io', 'library/nginx', tag('latest', D3)).running.map((c) => c.id)).toEqual(['e']);
    expect(index.byContainer.get('h3/d')?.outdated).toBe(true);
    expect(index.repositories.has(`${HOST}/lab/app`)).toBe(true);
    expect(index.repositories.has('docker.io/library/nginx')).toBe(true);
  });

  it("gives a container's digest in its own repository", () => {
    expect(runningDigest(container('h1', 'a', `${HOST}/lab/app:1.0`, [`other:5000/x@${D2}`, `${HOST}/lab/app@${D1}`]))).toBe(D1);
    expect(runningDigest(container('h1', 'a', `${HOST}/lab/app@${D3}`, []))).toBe(D3);
    expect(runningDigest(container('h1', 'a', `${HOST}/lab/app:1.0`, []))).toBeUndefined();
  });
});

describe('usage follows the fleet', () => {
  it('asks usage again once hosts or container counts change, not on state changes, and only once for a burst', async () => {
    const { store, asked } = setup();
    const fleet = createFleetStore({ fleetChanges: () => () => {}, appInfo: async () => ({ version: '0', mode: 'browser', fleetSource: 'x' }), containerAction: async () => { throw new Error('unused'); } });
    const pending: (() => void)[] = [];
    let cancelled = 0;
    const stop = askUsageOnFleetChange(fleet, store, (ms, fn) => {
      expect(ms).toBe(USAGE_SETTLE_MS);
      pending.push(fn);
      return () => { cancelled++; };
    });
    const c = (id: string, state: Container['state'] = 'running') => ({ host: 'h1', id, name: id, image: 'x', state, status: '', ips: [], createdAt: 0 }) as Container;
    const host = { name: 'h1', address: 'unix:///x', transport: 'unix', labels: {}, state: 'online', since: 0 } as Host;
    fleet.setState({ hosts: new Map([['h1', host]]), containers: new Map([['h1', [c('a')]]]) });
    fleet.setState({ containers: new Map([['h1', [c('a'), c('b')]]]) });
    expect(pending).toHaveLength(2);
    expect(cancelled).toBe(1);
    // A state change moves no image.
    fleet.setState({ containers: new Map([['h1', [c('a', 'exited'), c('b')]]]) });
    expect(pending).toHaveLength(2);
    pending.at(-1)!();
    await settle();
    expect(asked).toEqual(['usage']);
    stop();
    fleet.setState({ containers: new Map([['h1', [c('a')]]]) });
    expect(pending).toHaveLength(2);
  });
});
