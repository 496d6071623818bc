// Fleet store: hosts and containers as the core reports them, plus container actions.
// Data comes in through one subscription (api.fleetChanges); actions go out through
// api.containerAction. Nothing here formats for display: views do that.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { ActionResult, AppInfo, Container, ContainerAction, ContainerRef, FleetChange, Host } from '../../shared/model';
import { boundStore, type Store } from './boundStore';
import { followWhole, NEVER_DROPS, wholeThenChanges, type ConnectionWatch } from './connection';
import { errorMessage } from './errorMessage';

/**
 * Coalesce stream events for this long before touching the store, so a burst of small
 * changes costs one map copy and one render (Hyper's DataBatcher uses 16 ms too).
 */
const FLUSH_MS = 16;
/** Action results kept for the status line. */
const MAX_NOTICES = 20;

/** reconnecting: the link to the core dropped; the maps hold the last known state. */
export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'failed';

export type HostMap = ReadonlyMap<string, Host>;
/** Containers by host name. Each host's array is replaced whole, never mutated. */
export type ContainerMap = ReadonlyMap<string, readonly Container[]>;

/** The outcome of one container action, kept as data; the status line words it. */
export type ActionNotice = {
  seq: number;
  ok: boolean;
  action: ContainerAction;
  host: string;
  id: string;
  /** Container name at the time of the action (falls back to the short id). */
  name: string;
  /** The core's message (error text when !ok). */
  message: string;
  at: number;
};

export type FleetState = {
  status: StreamStatus;
  error: string | undefined;
  appInfo: AppInfo | undefined;
  hosts: HostMap;
  containers: ContainerMap;
  /** Epoch ms of the last applied change. */
  updatedAt: number | undefined;
  /** Actions in flight, keyed by containerKey(). */
  pending: ReadonlyMap<string, ContainerAction>;
  notices: readonly ActionNotice[];

  connect(): Promise<void>;
  disconnect(): void;
  runAction(ref: ContainerRef, action: ContainerAction): Promise<ActionResult>;
  dismissNotice(seq: number): void;
};

export const containerKey = (ref: { host: string; id: string }): string => `${ref.host}/${ref.id}`;

/**
 * Apply stream changes to the current maps. Copies each map at most once per call
 * (O(hosts) pointer copies) and touches only the hosts the changes name; unchanged hosts
 * keep their container arrays, so per-host memoisation downstream stays valid.
 */
export function applyFleetChanges(
  hosts: HostMap,
  containers: ContainerMap,
  changes: readonly FleetChange[],
): { hosts: HostMap; containers: ContainerMap } {
  let nextHosts: Map<string, Host> | undefined;
  let nextContainers: Map<string, readonly Container[]> | undefined;
  const h = () => (nextHosts ??= new Map(hosts));
  const c = () => (nextContainers ??= new Map(containers));
  for (const change of changes) {
    for (const host of change.hosts) h().set(host.name, host);
    for (const { host, list } of change.containers) c().set(host, list);
    for (const name of change.removedHosts ?? []) {
      if ((nextHosts ?? hosts).has(name)) h().delete(name);
      if ((nextContainers ?? containers).has(name)) c().delete(name);
    }
  }
  return { hosts: nextHosts ?? hosts, containers: nextContainers ?? containers };
}

export function findContainer(containers: ContainerMap, ref: { host: string; id: string }): Container | undefined {
  return containers.get(ref.host)?.find((c) => c.id === ref.id);
}

/** What the fleet store needs from the core. */
export type FleetApi = Pick<Api, 'fleetChanges' | 'appInfo' | 'containerAction'>;

export function createFleetStore(api: FleetApi, connection: ConnectionWatch = NEVER_DROPS): Store<FleetState> {
  let stop: (() => void) | undefined;
  let queue: FleetChange[] = [];
  let wholeQueued = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let noticeSeq = 0;

  return create<FleetState>()((set, get) => {
    const flush = () => {
      flushTimer = undefined;
      if (queue.length === 0) return;
      const changes = queue;
      queue = [];
      const { hosts, containers } = wholeQueued ? { hosts: new Map(), containers: new Map() } : get();
      wholeQueued = false;
      set({ ...applyFleetChanges(hosts, containers, changes), updatedAt: Date.now() });
    };

    /**
     * The first event of a subscription holds the whole fleet, also after the bridge reconnects
     * and renews it. That event replaces the maps instead of merging, so hosts removed while the
     * link was down do not linger; it shows at once.
     */
    const stream = wholeThenChanges<FleetChange>(
      (change) => {
        queue = [change];
        wholeQueued = true;
        set({ status: 'live', error: undefined });
        flush();
      },
      (change) => {
        queue.push(change);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      },
    );

    return {
      status: 'idle',
      error: undefined,
      appInfo: undefined,
      hosts: new Map(),
      containers: new Map(),
      updatedAt: undefined,
      pending: new Map(),
      notices: [],

      async connect() {
        if (get().status !== 'idle' && get().status !== 'failed') return;
        set({ status: 'connecting', error: undefined });
        try {
          stop = followWhole((onEvent, onEnd) => api.fleetChanges({}, onEvent, onEnd), stream, connection, set, 'fleet');
        } catch (err) {
          set({ status: 'failed', error: errorMessage(err) });
          return;
        }
        try {
          set({ appInfo: await api.appInfo({}) });
        } catch {
          // Optional: the top bar just shows less.
        }
      },

      disconnect() {
        stop?.();
        stop = undefined;
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = undefined;
        queue = [];
        set({ status: 'idle' });
      },

      async runAction(ref, action) {
        const key = containerKey(ref);
        const name = findContainer(get().containers, ref)?.name ?? ref.id.slice(0, 12);
        set((s) => ({ pending: new Map(s.pending).set(key, action) }));
        let result: ActionResult;
        try {
          result = await api.containerAction({ host: ref.host, id: ref.id, action });
        } catch (err) {
          result = { ok: false, action, host: ref.host, id: ref.id, message: errorMessage(err) };
        }
        const notice: ActionNotice = {
          seq: ++noticeSeq, ok: result.ok, action, host: ref.host, id: ref.id, name, message: result.message, at: Date.now(),
        };
        set((s) => {
          const pending = new Map(s.pending);
          pending.delete(key);
          return { pending, notices: [notice, ...s.notices].slice(0, MAX_NOTICES) };
        });
        return result;
      },

      dismissNotice(seq) {
        set((s) => ({ notices: s.notices.filter((n) => n.seq !== seq) }));
      },
    };
  });
}

/** The app's fleet store (bound at boot). */
export const useFleet = boundStore<FleetState>('fleet');
