// Images store: the fleet's registries, each registry's repositories and each repository's tags
// (loaded when first wanted, kept while a refresh runs), and which container runs which image
// digest (imageUsage, indexed by stores/imageUsage.ts, asked again every USAGE_REFRESH_MS while
// connected, and after the fleet's hosts or containers change: askUsageOnFleetChange). A failed call keeps its reason and kind, for the Images view to show where the data
// would be. Which tree rows the user opened or closed lives here too. Never formats.
import { create } from 'zustand';
import { RegistryErrorKind, type registrySlice, type RegistryInfo, type TagInfo } from '../../shared/registry';
import type { ApiOf } from '../../shared/slice';
import { boundStore, type Store } from './boundStore';
import type { FleetState } from './fleet';
import { errorMessage } from './errorMessage';
import { EMPTY_USAGE, indexUsage, type UsageIndex } from './imageUsage';

/**
 * How often the containers' image usage (and so the grid's outdated marks) is asked again. A tag
 * moves at deploy pace (minutes), and each answer costs main a manifest HEAD per tag in use, so
 * once a minute; the Images view's Refresh asks at once.
 */
export const USAGE_REFRESH_MS = 60_000;
/**
 * After the fleet's containers or hosts change (a host comes online and lists its containers, a
 * deploy replaces some), usage is asked again once things have been quiet this long: a rolling
 * change over a few seconds costs one ask.
 */
export const USAGE_SETTLE_MS = 2_000;

/** A call's answer: asked (value is the last answer, kept while asking again), answered, or failed. */
export type Loadable<T> =
  | { status: 'loading'; value?: T }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: string; kind?: RegistryErrorKind; value?: T };

export type ImagesState = {
  registries: Loadable<readonly RegistryInfo[]> | undefined;
  /** By registry URL. */
  repositories: ReadonlyMap<string, Loadable<readonly string[]>>;
  /** By tagsKey(registry URL, repository). */
  tags: ReadonlyMap<string, Loadable<readonly TagInfo[]>>;
  usage: Loadable<UsageIndex> | undefined;
  /** Tree rows the user opened (true) or closed (false); the others keep their default. */
  expanded: ReadonlyMap<string, boolean>;

  /** Loads registries and usage, then refreshes usage every USAGE_REFRESH_MS until disconnect. */
  connect(): void;
  disconnect(): void;
  /** Asks everything again: registries, the repositories and tags asked so far, usage. */
  refresh(): Promise<void>;
  loadRepositories(registry: string): Promise<void>;
  loadTags(registry: string, repository: string): Promise<void>;
  loadUsage(): Promise<void>;
  setExpanded(key: string, expanded: boolean): void;
};

export const tagsKey = (registry: string, repository: string): string => `${registry}\u0000${repository}`;

/** What the images store needs from the core: the registry slice. */
export type ImagesApi = ApiOf<typeof registrySlice>;

/** A rejected call's message, and its registry error kind when the core sent one as its code. */
function failure(err: unknown): { error: string; kind?: RegistryErrorKind } {
  const code = typeof err === 'object' && err && 'code' in err ? err.code : undefined;
  const kind = RegistryErrorKind.safeParse(code);
  return { error: errorMessage(err), ...(kind.success ? { kind: kind.data } : {}) };
}

const asking = <T>(prev: Loadable<T> | undefined): Loadable<T> => (prev?.value !== undefined ? { status: 'loading', value: prev.value } : { status: 'loading' });

export function createImagesStore(api: ImagesApi, timers: { every(ms: number, fn: () => void): () => void } = intervals): Store<ImagesState> {
  let stopTimer: (() => void) | undefined;
  // The latest ask per resource: an answer to an older one is dropped.
  const latest = new Map<string, number>();
  let seq = 0;

  return create<ImagesState>()((set, get) => {
    /** Asks `key` with `run`, storing its progress and answer through `put`. */
    async function ask<T>(key: string, current: Loadable<T> | undefined, run: () => Promise<T>, put: (value: Loadable<T>) => void): Promise<void> {
      const mine = ++seq;
      latest.set(key, mine);
      put(asking(current));
      let next: Loadable<T>;
      try {
        next = { status: 'ok', value: await run() };
      } catch (err) {
        next = { status: 'error', ...failure(err), ...(current?.value !== undefined ? { value: current.value } : {}) };
      }
      if (latest.get(key) === mine) put(next);
    }

    const loadRegistries = () =>
      ask('registries', get().registries, () => api.registries({}), (registries) => set({ registries }));

    return {
      registries: undefined,
      repositories: new Map(),
      tags: new Map(),
      usage: undefined,
      expanded: new Map(),

      connect() {
        if (stopTimer) return;
        void loadRegistries();
        void get().loadUsage();
        stopTimer = timers.every(USAGE_REFRESH_MS, () => void get().loadUsage());
      },

      disconnect() {
        stopTimer?.();
        stopTimer = undefined;
      },

      async refresh() {
        const s = get();
        await Promise.all([
          loadRegistries(),
          ...[...s.repositories.keys()].map((url) => get().loadRepositories(url)),
          ...[...s.tags.keys()].map((key) => {
            const [url, repository] = key.split('\u0000') as [string, string];
            return get().loadTags(url, repository);
          }),
          get().loadUsage(),
        ]);
      },

      loadRepositories: (registry) =>
        ask(`repositories ${registry}`, get().repositories.get(registry), async () => (await api.registryRepositories({ registry })).repositories, (value) =>
          set((s) => ({ repositories: new Map(s.repositories).set(registry, value) }))),

      loadTags: (registry, repository) => {
        const key = tagsKey(registry, repository);
        return ask(`tags ${key}`, get().tags.get(key), async () => (await api.registryTags({ registry, repository })).tags, (value) =>
          set((s) => ({ tags: new Map(s.tags).set(key, value) })));
      },

      loadUsage: () => ask('usage', get().usage, async () => indexUsage((await api.imageUsage({})).containers), (usage) => set({ usage })),

      setExpanded(key, expanded) {
        set((s) => (s.expanded.get(key) === expanded ? s : { expanded: new Map(s.expanded).set(key, expanded) }));
      },
    };
  });
}

const intervals = {
  every(ms: number, fn: () => void): () => void {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
};

/** Which hosts are online with how many containers: what changes when usage has something new to say. */
function fleetShape(s: Pick<FleetState, 'hosts' | 'containers'>): string {
  let sig = '';
  for (const [name, h] of s.hosts) sig += `${name}:${h.state}:${s.containers.get(name)?.length ?? 0}|`;
  return sig;
}

/**
 * Asks usage again USAGE_SETTLE_MS after the fleet's hosts or container counts last changed (not on
 * state or health changes: those move no image). Returns a stop function.
 */
export function askUsageOnFleetChange(
  fleet: Pick<Store<FleetState>, 'getState' | 'subscribe'>,
  images: Pick<Store<ImagesState>, 'getState'>,
  after: (ms: number, fn: () => void) => () => void = timeout,
): () => void {
  let shape = fleetShape(fleet.getState());
  let cancel: (() => void) | undefined;
  const unsubscribe = fleet.subscribe((s) => {
    const next = fleetShape(s);
    if (next === shape) return;
    shape = next;
    cancel?.();
    cancel = after(USAGE_SETTLE_MS, () => void images.getState().loadUsage());
  });
  return () => {
    cancel?.();
    unsubscribe();
  };
}

const timeout = (ms: number, fn: () => void): (() => void) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/** The usage index, or an empty one while none has come. */
export const usageOf = (s: ImagesState): UsageIndex => s.usage?.value ?? EMPTY_USAGE;

/** The app's images store (bound at boot). */
export const useImages = boundStore<ImagesState>('images');
