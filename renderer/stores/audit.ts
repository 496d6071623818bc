// Audit store: who did what to which target, and how it ended, as the core reads it from the audit
// log (one auditEntries subscription: the first event holds the recent past, later ones upsert
// entries by id as actions start and end, from this console or a CLI), plus the Audit view's
// filters. Nothing here formats for display: features/audit does that.
import { create } from 'zustand';
import type { AuditChange, AuditEntry } from '../../shared/audit';
import type { Api } from '../../shared/contract';
import { boundStore, type Store } from './boundStore';
import { followWhole, NEVER_DROPS, wholeThenChanges, type ConnectionWatch } from './connection';
import type { StreamStatus } from './fleet';
import { mergeNewest, newerFirst } from './newestById';

/** As many as main keeps in memory for the live view (main/audit's RECENT_ACTIONS). */
export const MAX_AUDIT_ENTRIES = 10_000;

export type AuditResult = AuditEntry['result'];

/** null: any. */
export type AuditFilter = { user: string | null; action: string | null; host: string | null; result: AuditResult | null };
export const NO_AUDIT_FILTER: AuditFilter = { user: null, action: null, host: null, result: null };

export type AuditState = {
  status: StreamStatus;
  /** Why the stream failed (status 'failed'). */
  error: string | undefined;
  /** Entries by id. Replaced whole on every change, never mutated. */
  entries: ReadonlyMap<string, AuditEntry>;
  filter: AuditFilter;

  connect(): void;
  disconnect(): void;
  setFilter(patch: Partial<AuditFilter>): void;
  clearFilter(): void;
};

/**
 * Upserts `entries` by id into `prev` (or into nothing, for the whole recent past). Past
 * MAX_AUDIT_ENTRIES, the oldest go. Returns `prev` itself when there was nothing to apply.
 */
export function mergeAudit(prev: ReadonlyMap<string, AuditEntry>, entries: readonly AuditEntry[], whole: boolean, max = MAX_AUDIT_ENTRIES): ReadonlyMap<string, AuditEntry> {
  return mergeNewest(prev, entries, whole, max);
}

export { newerFirst };

/** What the audit store needs from the core. */
export type AuditApi = Pick<Api, 'auditEntries'>;

export function createAuditStore(api: AuditApi, connection: ConnectionWatch = NEVER_DROPS): Store<AuditState> {
  let stop: (() => void) | undefined;

  return create<AuditState>()((set, get) => {
    const stream = wholeThenChanges<AuditChange>(
      (change) => set({ status: 'live', entries: mergeAudit(get().entries, change.entries, true) }),
      (change) => set((s) => ({ entries: mergeAudit(s.entries, change.entries, false) })),
    );
    return {
      status: 'idle',
      error: undefined,
      entries: new Map(),
      filter: NO_AUDIT_FILTER,

      connect() {
        if (stop) return;
        set({ status: 'connecting', error: undefined });
        stop = followWhole((onEvent, onEnd) => api.auditEntries({}, onEvent, onEnd), stream, connection, (link) => {
          if (link.status === 'failed') stop = undefined;
          set(link);
        }, 'audit');
      },

      disconnect() {
        stop?.();
        stop = undefined;
        set({ status: 'idle' });
      },

      setFilter(patch) {
        set((s) => ({ filter: { ...s.filter, ...patch } }));
      },

      clearFilter() {
        set({ filter: NO_AUDIT_FILTER });
      },
    };
  });
}

/** The app's audit store (bound at boot). */
export const useAudit = boundStore<AuditState>('audit');
