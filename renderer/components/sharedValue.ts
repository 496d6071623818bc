// One UI value that several components and handlers share outside any store (which dialog is
// open, which service's history shows, which rows are marked): read and set from anywhere, watched
// in components with useValue. UI state only, never fleet data.
import { useSyncExternalStore } from 'react';

export type SharedValue<T> = {
  get(): T;
  /** Tells the watchers when `next` is not the current value (by identity). */
  set(next: T): void;
  /** The value, re-rendering on each change. */
  useValue(): T;
};

export function sharedValue<T>(initial: T): SharedValue<T> {
  let current = initial;
  const listeners = new Set<() => void>();
  const get = () => current;
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    get,
    set(next) {
      if (Object.is(current, next)) return;
      current = next;
      for (const l of listeners) l();
    },
    useValue: () => useSyncExternalStore(subscribe, get, get),
  };
}
