// One client's session with the core, whatever carries its messages (Electron IPC or the browser-mode
// WebSocket): dispatches its calls, holds its subscriptions, answers in shared/wire's message shapes,
// and ends everything when the client goes away. Transports only move messages in and out.
import type { Unsubscribe } from '../../shared/contract';
import { ClientMessage, type ServerMessage } from '../../shared/wire';
import { toRemoteError, type Dispatcher } from '../core/dispatch';

export interface BridgeSession {
  /** Handles one client message; returns why it was refused when it is not a bridge message. */
  receive(message: unknown): string | undefined;
  /** The client went away: unsubscribes everything, and nothing more is sent. */
  close(): void;
}

interface Subscription {
  ended: boolean;
  unsubscribe?: Unsubscribe;
}

export function createBridgeSession(dispatcher: Dispatcher, send: (message: ServerMessage) => void): BridgeSession {
  const subscriptions = new Map<number, Subscription>();
  let closed = false;
  const deliver = (message: ServerMessage) => {
    if (!closed) send(message);
  };

  const stop = (id: number) => {
    const subscription = subscriptions.get(id);
    subscriptions.delete(id);
    subscription?.unsubscribe?.();
  };

  const subscribe = (id: number, name: string, params: unknown) => {
    stop(id);
    const subscription: Subscription = { ended: false };
    // A refused subscribe and a stream the core ends take the same way out; the core's unsubscribe
    // still runs once, so its cleanup stays in one place.
    const end = (error?: unknown) => {
      if (subscription.ended || closed) return;
      subscription.ended = true;
      if (subscriptions.get(id) === subscription) subscriptions.delete(id);
      subscription.unsubscribe?.();
      deliver(error === undefined ? { t: 'end', id } : { t: 'end', id, error: toRemoteError(error) });
    };
    try {
      const emit = (event: unknown) => {
        if (!subscription.ended) deliver({ t: 'event', id, event });
      };
      const unsubscribe = dispatcher.subscribe(name, params, emit, end);
      if (subscription.ended) unsubscribe(); // the core ended it before returning
      else {
        subscription.unsubscribe = unsubscribe;
        subscriptions.set(id, subscription);
      }
    } catch (err) {
      end(err);
    }
  };

  return {
    receive(raw) {
      if (closed) return undefined;
      const parsed = ClientMessage.safeParse(raw);
      if (!parsed.success) return parsed.error.message.slice(0, 200);
      const message = parsed.data;
      switch (message.t) {
        case 'call':
          new Promise((resolve) => resolve(dispatcher.call(message.name, message.request))).then(
            (value) => deliver({ t: 'result', id: message.id, value }),
            (err: unknown) => deliver({ t: 'error', id: message.id, error: toRemoteError(err) }),
          );
          return undefined;
        case 'subscribe':
          subscribe(message.id, message.name, message.params);
          return undefined;
        case 'unsubscribe':
          stop(message.id);
          return undefined;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const id of [...subscriptions.keys()]) stop(id);
    },
  };
}
