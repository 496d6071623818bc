// Which Deploy or Roll back dialog is open, if any: one value that the dialogs, the app frame (which
// goes inert behind them) and whatever asks for one (the action bar, the palette) share. UI state
// only, no fleet data.
import { useSyncExternalStore } from 'react';
import type { StartTarget } from './scope';

export type StartAsk = { action: 'deploy' | 'rollback'; target: StartTarget };

let current: StartAsk | null = null;
const listeners = new Set<() => void>();

function set(next: StartAsk | null): void {
  if (current === next) return;
  current = next;
  for (const l of listeners) l();
}

export const askStart = (ask: StartAsk): void => set(ask);
export const closeStart = (): void => set(null);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const get = () => current;

export function useStartAsk(): StartAsk | null {
  return useSyncExternalStore(subscribe, get, get);
}
