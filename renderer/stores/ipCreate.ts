// Create/clone store: the "Create container here" / "Clone" dialog's ask (opened from the IP map),
// the plan main made for the form's request (ipCreatePlan: name, host, IP, image, settings), and the
// create itself (ipCreate, with the plan's IP: an address taken since is refused, never swapped).
// An answer to an older request than the latest is dropped. Never formats.
import { create } from 'zustand';
import type { IpCreatePlan, IpCreateRequest, ipMapSlice } from '../../shared/ipmap';
import type { ApiOf } from '../../shared/slice';
import { boundStore, type Store } from './boundStore';
import { errorMessage } from './errorMessage';

/** What the map opens the dialog on: a segment (and perhaps the cell's address), or a container to clone. */
export type IpCreateAsk = { kind: 'create'; segment: string; ip?: string } | { kind: 'clone'; host: string; container: string };

export type IpCreateStep =
  | { step: 'form' }
  | { step: 'planning'; request: IpCreateRequest }
  | { step: 'plan'; request: IpCreateRequest; plan: IpCreatePlan }
  | { step: 'creating'; request: IpCreateRequest; plan: IpCreatePlan }
  | { step: 'done'; plan: IpCreatePlan; created: { host: string; name: string; id: string; ip: string } };

export type IpCreateState = {
  ask: IpCreateAsk | null;
  at: IpCreateStep;
  /** The last call's failure, said where the plan would be; the form stays as typed. */
  error: string | undefined;

  open(ask: IpCreateAsk): void;
  close(): void;
  /** Back to the form (after a plan, to change it). */
  edit(): void;
  plan(request: IpCreateRequest): Promise<void>;
  /** Creates what the current plan says, at its IP. */
  create(): Promise<void>;
};

/** What the store needs from the core. */
export type IpCreateApi = Pick<ApiOf<typeof ipMapSlice>, 'ipCreatePlan' | 'ipCreate'>;

export function createIpCreateStore(api: IpCreateApi): Store<IpCreateState> {
  let seq = 0;
  return create<IpCreateState>()((set, get) => ({
    ask: null,
    at: { step: 'form' },
    error: undefined,

    open(ask) {
      seq++;
      set({ ask, at: { step: 'form' }, error: undefined });
    },
    close() {
      seq++;
      set({ ask: null, at: { step: 'form' }, error: undefined });
    },
    edit() {
      seq++;
      set({ at: { step: 'form' }, error: undefined });
    },

    async plan(request) {
      const mine = ++seq;
      set({ at: { step: 'planning', request }, error: undefined });
      try {
        const plan = await api.ipCreatePlan(request);
        if (mine === seq) set({ at: { step: 'plan', request, plan } });
      } catch (err) {
        if (mine === seq) set({ at: { step: 'form' }, error: errorMessage(err) });
      }
    },

    async create() {
      const at = get().at;
      if (at.step !== 'plan') return;
      const mine = ++seq;
      const { request, plan } = at;
      set({ at: { step: 'creating', request, plan }, error: undefined });
      try {
        const created = await api.ipCreate({ ...request, name: plan.name, host: plan.host, ip: plan.ip });
        if (mine === seq) set({ at: { step: 'done', plan, created } });
      } catch (err) {
        if (mine === seq) set({ at: { step: 'plan', request, plan }, error: errorMessage(err) });
      }
    },
  }));
}

/** The app's create/clone store (bound at boot). */
export const useIpCreate = boundStore<IpCreateState>('ipCreate');
