// Alerts store: what the core raised (one alertEvents subscription: the first event holds the
// recent past, later ones upsert alerts by id as they fire and as anyone acks them, from this
// console or a CLI on the same data directory), the unacknowledged count, the ack calls, and the
// Alerts view's "unacknowledged only" filter. Alerts that are new since the stream began (never
// the recent past, nor the whole state again after a reconnect) go to `onNewAlerts`: the desktop
// notifications. Nothing here formats for display: features/alerts does that.
import { create } from 'zustand';
import type { Alert, AlertChange } from '../../shared/alerts';
import type { Api } from '../../shared/contract';
import { boundStore, type Store } from './boundStore';
import { followWhole, NEVER_DROPS, wholeThenChanges, type ConnectionWatch } from './connection';
import { errorMessage } from './errorMessage';
import type { StreamStatus } from './fleet';
import { mergeNewest, newerFirst } from './newestById';

/**
 * Alerts kept, newest first: as many as main's first change holds (main/alerts: the last 10,000,
 * of the last 7 days). Virtualised, the grid does not mind; a merge of 10,000 costs a few ms.
 */
export const MAX_ALERTS = 10_000;

export type AlertsState = {
  status: StreamStatus;
  /** Why the stream failed (status 'failed'). */
  error: string | undefined;
  /** Alerts by id. Replaced whole on every change, never mutated. */
  alerts: ReadonlyMap<string, Alert>;
  /** How many of `alerts` nobody has acknowledged yet. */
  unacked: number;
  /** The view shows only unacknowledged alerts. */
  unackedOnly: boolean;
  /** Why the last ack failed, until the next one. */
  ackError: string | undefined;

  connect(): void;
  disconnect(): void;
  ack(ids: readonly string[]): Promise<void>;
  ackAll(): Promise<void>;
  setUnackedOnly(on: boolean): void;
};

/** Upserts `alerts` by id (the whole recent past replaces everything); past `max`, the oldest go. */
export function mergeAlerts(prev: ReadonlyMap<string, Alert>, alerts: readonly Alert[], whole: boolean, max = MAX_ALERTS): ReadonlyMap<string, Alert> {
  return mergeNewest(prev, alerts, whole, max);
}

export function countUnacked(alerts: ReadonlyMap<string, Alert>): number {
  let n = 0;
  for (const a of alerts.values()) if (a.ackedAt === undefined) n++;
  return n;
}

/** The alerts of a change that `known` had never seen and nobody has acked: what fired just now. */
export function newlyRaised(known: ReadonlyMap<string, Alert>, alerts: readonly Alert[]): Alert[] {
  return alerts.filter((a) => !known.has(a.id) && a.ackedAt === undefined);
}

/** What the alerts store needs from the core. */
export type AlertsApi = Pick<Api, 'alertEvents' | 'alertsAck'>;

export type AlertsStoreOptions = {
  connection?: ConnectionWatch;
  /** Alerts raised while the stream is followed (never the recent past), oldest first. */
  onNewAlerts?(alerts: readonly Alert[]): void;
};

export function createAlertsStore(api: AlertsApi, options: AlertsStoreOptions = {}): Store<AlertsState> {
  const connection = options.connection ?? NEVER_DROPS;
  let stop: (() => void) | undefined;

  return create<AlertsState>()((set, get) => {
    const apply = (alerts: ReadonlyMap<string, Alert>) => set({ alerts, unacked: countUnacked(alerts) });
    const stream = wholeThenChanges<AlertChange>(
      (change) => {
        set({ status: 'live' });
        apply(mergeAlerts(get().alerts, change.alerts, true));
      },
      (change) => {
        const before = get().alerts;
        const next = mergeAlerts(before, change.alerts, false);
        if (next === before) return;
        apply(next);
        const raised = newlyRaised(before, change.alerts);
        if (raised.length > 0) options.onNewAlerts?.([...raised].sort(newerFirst).reverse());
      },
    );
    const ackWith = async (which: { ids: string[] } | { all: true }) => {
      set({ ackError: undefined });
      try {
        await api.alertsAck(which);
      } catch (err) {
        set({ ackError: errorMessage(err) });
      }
    };
    return {
      status: 'idle',
      error: undefined,
      alerts: new Map(),
      unacked: 0,
      unackedOnly: false,
      ackError: undefined,

      connect() {
        if (stop) return;
        set({ status: 'connecting', error: undefined });
        stop = followWhole((onEvent, onEnd) => api.alertEvents({}, onEvent, onEnd), stream, connection, (link) => {
          if (link.status === 'failed') stop = undefined;
          set(link);
        }, 'alerts');
      },

      disconnect() {
        stop?.();
        stop = undefined;
        set({ status: 'idle' });
      },

      // The acks come back on the stream (ackedAt set), from this console as from any other.
      async ack(ids) {
        const alerts = get().alerts;
        const open = ids.filter((id) => {
          const a = alerts.get(id);
          return a !== undefined && a.ackedAt === undefined;
        });
        if (open.length > 0) await ackWith({ ids: open });
      },

      async ackAll() {
        if (get().unacked > 0) await ackWith({ all: true });
      },

      setUnackedOnly(unackedOnly) {
        set({ unackedOnly });
      },
    };
  });
}

/** The app's alerts store (bound at boot). */
export const useAlerts = boundStore<AlertsState>('alerts');
