// What stores that follow a stream need from the bridge besides the Api: when the link to the core
// drops and comes back (browser mode; Electron's never drops). A renewed subscription starts over
// with the whole state, so a store that merges changes must take the next event whole.
import type { RemoteError } from '../../shared/wire';

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

/** Why the core ended a stream (it ends none by itself while things are well). */
export type StreamEnd = (error?: RemoteError) => void;

/**
 * A store's live link: its stream subscription and the connection watch, started and stopped
 * together. `subscribe` is handed the stream's end callback, which reports an ended stream once.
 */
export function follow(subscribe: (onEnd: StreamEnd) => () => void, connection: ConnectionWatch, onLink: (up: boolean) => void, onEnd: StreamEnd): () => void {
  const unsubscribe = subscribe(onEnd);
  const unwatch = connection(onLink);
  return () => {
    unsubscribe();
    unwatch();
  };
}

/** What a following store shows about its link: down for now, or ended by the core with a reason. */
export type LinkReport = { status: 'reconnecting' } | { status: 'failed'; error: string };

/**
 * Follows a stream whose first event is the whole state (fleet, audit): renews it when the link
 * comes back, reports 'reconnecting' while it is down, and 'failed' with the reason when the core
 * ends the stream, after which it follows no more (the store's connect starts over).
 */
export function followWhole<E>(
  subscribe: (onEvent: (event: E) => void, onEnd: StreamEnd) => () => void,
  stream: { onEvent(event: E): void; renewed(): void },
  connection: ConnectionWatch,
  report: (link: LinkReport) => void,
  what: string,
): () => void {
  let ended = false;
  let stop: (() => void) | undefined;
  const end = () => {
    ended = true;
    stop?.();
    stop = undefined;
  };
  stream.renewed();
  stop = follow(
    (onEnd) => subscribe(stream.onEvent, onEnd),
    connection,
    (up) => (up ? stream.renewed() : report({ status: 'reconnecting' })),
    (error) => {
      end();
      report({ status: 'failed', error: error?.message ?? `the core ended the ${what} stream` });
    },
  );
  if (ended) end(); // ended while subscribing
  return end;
}
