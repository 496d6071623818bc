// A store's name, bound once at boot. Components and handlers use `useFleet(selector)`,
// `useFleet.getState()` … as zustand hooks; the app makes each store with its factory (which takes
// the Api) and binds it to its name (renderer/boot.ts). No store is made, and no global is read,
// when a module loads; tests make their own stores from the factories.
import type { StoreApi, UseBoundStore } from 'zustand';

export type Store<S> = UseBoundStore<StoreApi<S>>;

export type BoundStore<S> = Store<S> & {
  /** Points the name at a store made by its factory (boot; a test may re-bind). */
  bind(store: Store<S>): void;
};

export function boundStore<S>(name: string): BoundStore<S> {
  let store: Store<S> | undefined;
  const current = (): Store<S> => {
    if (!store) throw new Error(`the ${name} store was used before the app bound it (renderer/boot.ts)`);
    return store;
  };
  const hook = (<T>(selector?: (state: S) => T) => current()(selector as (state: S) => T)) as BoundStore<S>;
  hook.getState = () => current().getState();
  hook.getInitialState = () => current().getInitialState();
  hook.setState = ((...args: Parameters<StoreApi<S>['setState']>) => current().setState(...args)) as StoreApi<S>['setState'];
  hook.subscribe = (listener) => current().subscribe(listener);
  hook.bind = (s) => {
    store = s;
  };
  return hook;
}
