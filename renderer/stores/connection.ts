// What stores that follow a stream need from the bridge besides the Api: when the link to the core
// drops and comes back (browser mode; Electron's never drops). A renewed subscription starts over
// with the whole state, so a store that merges changes must take the next event whole.

/** Calls `listener(false)` when the link drops and `listener(true)` when it is back; returns a stop function. */
export type ConnectionWatch = (listener: (up: boolean) => void) => () => void;

/** For a link that never drops (Electron, tests). */
export const NEVER_DROPS: ConnectionWatch = () => () => {};

/**
 * Routes a stream's events: the first one after every (re)subscription is the whole state, the
 * rest are changes to it. `renewed()` says the next event starts over.
 */
export function wholeThenChanges<E>(whole: (event: E) => void, change: (event: E) => void): { onEvent(event: E): void; renewed(): void } {
  let nextIsWhole = true;
  return {
    onEvent(event) {
      if (!nextIsWhole) return change(event);
      nextIsWhole = false;
      whole(event);
    },
    renewed() {
      nextIsWhole = true;
    },
  };
}

/** A store's live link: its stream subscription and the connection watch, started and stopped together. */
export function follow(subscribe: () => () => void, connection: ConnectionWatch, onLink: (up: boolean) => void): () => void {
  const unsubscribe = subscribe();
  const unwatch = connection(onLink);
  return () => {
    unsubscribe();
    unwatch();
  };
}
