// Service history store: per service, its recorded revisions (rolloutRevisions: number, current,
// which rollout made each, every container's image and digest), and the plans of past rollouts
// (rolloutHistory: parameters and lanes) as the History view and the Roll back dialog ask for them.
// The rollouts themselves (who, when, state) are the rollouts store's; this one adds only what the
// list of summaries does not carry. A plan never changes once on record, so each is asked once; a
// service's revisions are asked again whenever wanted (a rollout may have added one). Never formats.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import type { RolloutHistory, ServiceRevision } from '../../shared/rollout';
import { boundStore, type Store } from './boundStore';
import { errorMessage } from './errorMessage';
import type { Loadable } from './images';

export type { ServiceRevision } from '../../shared/rollout';

export type ServiceHistoryState = {
  /** By service. */
  revisions: ReadonlyMap<string, Loadable<readonly ServiceRevision[]>>;
  /** By rollout id: its plan and revisions on record. */
  histories: ReadonlyMap<string, Loadable<RolloutHistory>>;

  loadRevisions(service: string): Promise<void>;
  /** Asks the histories of these rollouts not asked yet. */
  loadHistories(ids: readonly string[]): Promise<void>;
};

/** What the service history store needs from the core. */
export type ServiceHistoryApi = Pick<Api, 'rolloutRevisions' | 'rolloutHistory'>;

export function createServiceHistoryStore(api: ServiceHistoryApi): Store<ServiceHistoryState> {
  // The latest ask per service: an answer to an older one is dropped.
  const latest = new Map<string, number>();
  let seq = 0;

  return create<ServiceHistoryState>()((set, get) => ({
    revisions: new Map(),
    histories: new Map(),

    async loadRevisions(service) {
      const mine = ++seq;
      latest.set(service, mine);
      const put = (value: Loadable<readonly ServiceRevision[]>) => {
        if (latest.get(service) === mine) set((s) => ({ revisions: new Map(s.revisions).set(service, value) }));
      };
      const prev = get().revisions.get(service)?.value;
      put(prev ? { status: 'loading', value: prev } : { status: 'loading' });
      try {
        put({ status: 'ok', value: (await api.rolloutRevisions({ service })).revisions });
      } catch (err) {
        put({ status: 'error', error: errorMessage(err), ...(prev ? { value: prev } : {}) });
      }
    },

    async loadHistories(ids) {
      const fresh = ids.filter((id) => !get().histories.has(id));
      if (fresh.length === 0) return;
      set((s) => {
        const histories = new Map(s.histories);
        for (const id of fresh) histories.set(id, { status: 'loading' });
        return { histories };
      });
      await Promise.all(fresh.map(async (id) => {
        let value: Loadable<RolloutHistory>;
        try {
          value = { status: 'ok', value: await api.rolloutHistory({ id }) };
        } catch (err) {
          value = { status: 'error', error: errorMessage(err) };
        }
        set((s) => ({ histories: new Map(s.histories).set(id, value) }));
      }));
    },
  }));
}

/** The app's service history store (bound at boot). */
export const useServiceHistory = boundStore<ServiceHistoryState>('serviceHistory');
