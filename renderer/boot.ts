// Boot: the app's stores, each made once by its factory from the bridge's Api and bound to the
// name components use (useFleet, useUi, …), then their streams followed for as long as the page
// lives. The page renders at once; until the bridge is up, calls wait and streams start when it is.
import { callNames, streamNames, type Api } from '../shared/contract';
import { startTabTerminals } from './features/terminal/tabTerminals';
import { createAuditStore, useAudit } from './stores/audit';
import type { ConnectionWatch } from './stores/connection';
import { createFleetStore, useFleet } from './stores/fleet';
import { createStatsStore, useStats } from './stores/stats';
import { createTerminalsStore, useTerminals } from './stores/terminals';
import { createUiStore, useUi } from './stores/ui';

type AnyFn = (...args: unknown[]) => unknown;

/** An Api usable at once over one that is still coming: calls wait for it; a subscription starts when it is there. */
export function apiWhenReady(ready: Promise<Api>): Api {
  const api: Record<string, AnyFn> = {};
  for (const name of callNames) api[name] = (...args) => ready.then((a) => (a[name] as AnyFn)(...args));
  for (const name of streamNames) {
    api[name] = (...args) => {
      let stop: (() => void) | undefined;
      let stopped = false;
      void ready.then((a) => {
        if (!stopped) stop = (a[name] as AnyFn)(...args) as () => void;
      });
      return () => {
        stopped = true;
        stop?.();
      };
    };
  }
  return api as Api;
}

/** A ConnectionWatch over a bridge that is still coming (the bridge tells its listeners only once it exists). */
export function watchWhenReady(ready: Promise<unknown>, watch: ConnectionWatch): ConnectionWatch {
  return (listener) => {
    let stop: (() => void) | undefined;
    let stopped = false;
    void ready.then(() => {
      if (!stopped) stop = watch(listener);
    });
    return () => {
      stopped = true;
      stop?.();
    };
  };
}

/** Makes every store from `api` and binds it to its name. */
export function bindStores(api: Api, connection: ConnectionWatch): void {
  useUi.bind(createUiStore());
  useFleet.bind(createFleetStore(api, connection));
  useStats.bind(createStatsStore(api, connection));
  useTerminals.bind(createTerminalsStore(api));
  useAudit.bind(createAuditStore(api, connection));
}

/** Follows the core: the fleet, stats and audit streams, and each terminal tab's session. Returns a stop function. */
export function connectStores(api: Api): () => void {
  void useFleet.getState().connect();
  useStats.getState().connect();
  useAudit.getState().connect();
  const stopTerminals = startTabTerminals(api);
  return () => {
    useFleet.getState().disconnect();
    useStats.getState().disconnect();
    useAudit.getState().disconnect();
    stopTerminals();
  };
}
