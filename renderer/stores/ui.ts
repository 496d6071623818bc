// UI store: what the user is looking at (filter, sort, selection, collapsed groups, the
// pending confirmation). No fleet data lives here.
import { create } from 'zustand';
import type { ContainerAction } from '../../shared/model';
import { boundStore, type Store } from './boundStore';

export type SortColumn = 'name' | 'host' | 'group' | 'service' | 'image' | 'state' | 'ips' | 'uptime';
export type SortDir = 'asc' | 'desc';
export type Sort = { column: SortColumn; dir: SortDir };

/** A destructive action waiting for the user's yes. */
export type ConfirmRequest = { host: string; id: string; action: ContainerAction };

/** What the main area shows: the containers grid, the fleet "Top" view, the audit log, the registries' images, the rollouts, the IP map, the log views, or the alerts. */
export type MainView = 'containers' | 'top' | 'audit' | 'images' | 'rollouts' | 'ipmap' | 'logs' | 'alerts';

export type UiState = {
  view: MainView;
  filter: string;
  problemsOnly: boolean;
  /** Show only this host's containers (set from the hosts panel). */
  hostFilter: string | null;
  sort: Sort;
  /** Key of the selected grid row (a container key, or a group/service header key). */
  selectedKey: string | null;
  /** Selected host in the hosts panel. */
  selectedHost: string | null;
  /** Keys of collapsed group and service header rows. */
  collapsed: ReadonlySet<string>;
  confirm: ConfirmRequest | null;

  setView(view: MainView): void;
  setFilter(filter: string): void;
  toggleProblemsOnly(): void;
  setHostFilter(host: string | null): void;
  toggleSort(column: SortColumn): void;
  select(key: string | null): void;
  selectHost(host: string | null): void;
  setCollapsed(key: string, collapsed: boolean): void;
  setAllCollapsed(keys: readonly string[]): void;
  askConfirm(request: ConfirmRequest | null): void;
};

/** The UI store talks to no core: its factory takes nothing. */
export function createUiStore(): Store<UiState> {
  return create<UiState>()((set) => ({
    view: 'containers',
    filter: '',
    problemsOnly: false,
    hostFilter: null,
    sort: { column: 'name', dir: 'asc' },
    selectedKey: null,
    selectedHost: null,
    collapsed: new Set(),
    confirm: null,

    setView: (view) => set({ view }),
    setFilter: (filter) => set({ filter }),
    toggleProblemsOnly: () => set((s) => ({ problemsOnly: !s.problemsOnly })),
    setHostFilter: (hostFilter) => set({ hostFilter }),
    toggleSort: (column) =>
      set((s) => ({
        sort: s.sort.column === column ? { column, dir: s.sort.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' },
      })),
    select: (selectedKey) => set({ selectedKey }),
    selectHost: (selectedHost) => set({ selectedHost }),
    setCollapsed: (key, collapsed) =>
      set((s) => {
        if (s.collapsed.has(key) === collapsed) return s;
        const next = new Set(s.collapsed);
        if (collapsed) next.add(key);
        else next.delete(key);
        return { collapsed: next };
      }),
    setAllCollapsed: (keys) => set({ collapsed: new Set(keys) }),
    askConfirm: (confirm) => set({ confirm }),
  }));
}

/** The app's UI store (bound at boot). */
export const useUi = boundStore<UiState>('ui');
