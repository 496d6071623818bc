// Rollouts store: every rollout on record (this console's and the CLI's: they share the journal),
// kept live from one rolloutEvents subscription (the first event holds the whole list, later ones
// a container's step or a rollout's new summary), the one selected in the Rollouts view with its
// history (plan and revisions, asked when selected and again when its state changes), and the
// control orders in flight with the last refusal of each. Nothing here formats for display:
// features/rollouts does that.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { RolloutControlOp, RolloutEvent, RolloutHistory, RolloutSummary } from '../../shared/rollout';
import { boundStore, type Store } from './boundStore';
import { followWhole, NEVER_DROPS, wholeThenChanges, type ConnectionWatch } from './connection';
import { errorMessage } from './errorMessage';
import type { StreamStatus } from './fleet';

/** A rollout's history as asked: loading (with the last answer, if any), answered, or failed. */
export type HistoryLoad = { id: string; status: 'loading'; value?: RolloutHistory } | { id: string; status: 'ok'; value: RolloutHistory } | { id: string; status: 'error'; error: string };

export type RolloutsState = {
  status: StreamStatus;
  /** Why the stream failed (status 'failed'). */
  error: string | undefined;
  /** By id. Replaced whole on every change, never mutated. */
  rollouts: ReadonlyMap<string, RolloutSummary>;
  selected: string | null;
  history: HistoryLoad | undefined;
  /** The order in flight per rollout: its buttons wait for it. */
  pending: ReadonlyMap<string, RolloutControlOp>;
  /** The last refused order per rollout, with why. */
  refused: ReadonlyMap<string, { op: RolloutControlOp; message: string }>;

  connect(): void;
  disconnect(): void;
  select(id: string | null): void;
  control(id: string, op: RolloutControlOp): Promise<void>;
};

/** Applies one rolloutEvents event (the first after a (re)subscribe is taken whole). Returns `prev` where nothing changed. */
export function applyRolloutEvent(prev: ReadonlyMap<string, RolloutSummary>, event: RolloutEvent): ReadonlyMap<string, RolloutSummary> {
  switch (event.kind) {
    case 'list':
      return new Map(event.rollouts.map((r) => [r.id, r]));
    case 'state':
      return new Map(prev).set(event.rolloutId, event.rollout);
    case 'step': {
      const r = prev.get(event.rolloutId);
      // A rollout not known yet comes whole with its state event.
      if (!r) return prev;
      const { kind: _kind, rolloutId: _id, ...container } = event;
      const containers = r.containers.map((c) => (c.host === container.host && c.name === container.name ? container : c));
      return new Map(prev).set(r.id, { ...r, containers });
    }
  }
}

/** Newest first; ISO 8601 UTC times sort as strings, the id breaks ties. */
export function newestFirst(a: RolloutSummary, b: RolloutSummary): number {
  return a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** On record without an end, and not running: what the "Interrupted rollouts" region offers to resume or roll back. */
export const isStopped = (r: RolloutSummary): boolean => r.state === 'interrupted' || r.state === 'paused';

/** What the rollouts store needs from the core. */
export type RolloutsApi = Pick<Api, 'rolloutEvents' | 'rolloutHistory' | 'rolloutControl'>;

export function createRolloutsStore(api: RolloutsApi, connection: ConnectionWatch = NEVER_DROPS): Store<RolloutsState> {
  let stop: (() => void) | undefined;
  let asked = 0;

  return create<RolloutsState>()((set, get) => {
    const loadHistory = async (id: string) => {
      const mine = ++asked;
      const prev = get().history;
      set({ history: prev?.id === id && prev.status === 'ok' ? { id, status: 'loading', value: prev.value } : { id, status: 'loading' } });
      try {
        const value = await api.rolloutHistory({ id });
        if (mine === asked) set({ history: { id, status: 'ok', value } });
      } catch (err) {
        if (mine === asked) set({ history: { id, status: 'error', error: errorMessage(err) } });
      }
    };
    const onEvent = (event: RolloutEvent) => {
      set((s) => ({ rollouts: applyRolloutEvent(s.rollouts, event) }));
      const selected = get().selected;
      if (selected !== null && (event.kind === 'list' || (event.kind === 'state' && event.rolloutId === selected))) void loadHistory(selected);
    };
    const stream = wholeThenChanges<RolloutEvent>(
      (event) => {
        set({ status: 'live' });
        onEvent(event);
      },
      onEvent,
    );
    return {
      status: 'idle',
      error: undefined,
      rollouts: new Map(),
      selected: null,
      history: undefined,
      pending: new Map(),
      refused: new Map(),

      connect() {
        if (stop) return;
        set({ status: 'connecting', error: undefined });
        stop = followWhole((listener, onEnd) => api.rolloutEvents({}, listener, onEnd), stream, connection, (link) => {
          if (link.status === 'failed') stop = undefined;
          set(link);
        }, 'rollouts');
      },

      disconnect() {
        stop?.();
        stop = undefined;
        set({ status: 'idle' });
      },

      select(id) {
        if (id === get().selected) return;
        set({ selected: id, history: undefined });
        if (id !== null) void loadHistory(id);
      },

      async control(id, op) {
        if (get().pending.has(id)) return;
        const without = <V,>(m: ReadonlyMap<string, V>) => {
          const next = new Map(m);
          next.delete(id);
          return next;
        };
        set((s) => ({ pending: new Map(s.pending).set(id, op), refused: without(s.refused) }));
        try {
          await api.rolloutControl({ id, op });
          set((s) => ({ pending: without(s.pending) }));
        } catch (err) {
          set((s) => ({ pending: without(s.pending), refused: new Map(s.refused).set(id, { op, message: errorMessage(err) }) }));
        }
      },
    };
  });
}

/** The app's rollouts store (bound at boot). */
export const useRollouts = boundStore<RolloutsState>('rollouts');
