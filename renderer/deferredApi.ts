// An Api usable before the bridge is up, which main.tsx hands the stores: the page renders at once;
// until the bridge is there, calls wait for it and subscriptions start when it is. Pure TypeScript
// over the contract's names.
import { callNames, streamNames, type Api } from '../shared/contract';
import type { ConnectionWatch } from './stores/connection';

type AnyFn = (...args: unknown[]) => unknown;

/** Starts something once `ready` resolves, unless stopped first; returns the stop function. */
function startWhenReady<T>(ready: Promise<T>, start: (value: T) => () => void): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  void ready.then((value) => {
    if (!stopped) stop = start(value);
  });
  return () => {
    stopped = true;
    stop?.();
  };
}

/** An Api usable at once over one that is still coming: calls wait for it; a subscription starts when it is there. */
export function deferredApi(ready: Promise<Api>): Api {
  const api: Record<string, AnyFn> = {};
  for (const name of callNames) api[name] = (...args) => ready.then((a) => (a[name] as AnyFn)(...args));
  for (const name of streamNames) api[name] = (...args) => startWhenReady(ready, (a) => (a[name] as AnyFn)(...args) as () => void);
  return api as Api;
}

/** A ConnectionWatch over a bridge that is still coming (the bridge tells its listeners only once it exists). */
export function deferredWatch(ready: Promise<unknown>, watch: ConnectionWatch): ConnectionWatch {
  return (listener) => startWhenReady(ready, () => watch(listener));
}
