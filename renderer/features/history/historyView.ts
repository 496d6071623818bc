// Which service's history the Rollouts tab shows instead of its list, if any: one value that the
// tab, the History button and the grid's service bar share. UI state only.
import { useSyncExternalStore } from 'react';
import { useUi } from '../../stores/ui';

let current: string | null = null;
const listeners = new Set<() => void>();

function set(next: string | null): void {
  if (current === next) return;
  current = next;
  for (const l of listeners) l();
}

/** Shows the service's history in the Rollouts tab (switching to it). */
export function showHistory(service: string): void {
  set(service);
  useUi.getState().setView('rollouts');
}

export const closeHistory = (): void => set(null);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => current;

export function useHistoryService(): string | null {
  return useSyncExternalStore(subscribe, get, get);
}
