// Every IPC handler is registered here, through one function that validates the sender: the main
// frame of our own app page. Arguments are then parsed by the dispatcher with the contract's schemas.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Unsubscribe } from '../../shared/contract';
import { toRemoteError, type Dispatcher } from '../core/dispatch';
import { APP_HOST, APP_SCHEME, CALL, EVENT, SUBSCRIBE, UNSUBSCRIBE } from './channels';

export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

function validated<E extends IpcMainEvent | IpcMainInvokeEvent, A extends unknown[], R>(
  channel: string,
  handler: (event: E, ...args: A) => R,
): (event: E, ...args: A) => R {
  return (event, ...args) => {
    if (!isTrustedSender(event)) throw new Error(`refused ${channel} from an untrusted frame`);
    return handler(event, ...args);
  };
}

export function registerContract(dispatcher: Dispatcher): void {
  const subscriptions = new Map<WebContents, Map<number, Unsubscribe>>();
  const forSender = (sender: WebContents) => {
    let map = subscriptions.get(sender);
    if (!map) {
      map = new Map();
      subscriptions.set(sender, map);
      sender.once('destroyed', () => {
        for (const unsubscribe of map!.values()) unsubscribe();
        subscriptions.delete(sender);
      });
    }
    return map;
  };

  ipcMain.handle(
    CALL,
    validated(CALL, async (_event: IpcMainInvokeEvent, name: unknown, request: unknown) => {
      try {
        return await dispatcher.call(String(name), request);
      } catch (err) {
        throw new Error(toRemoteError(err).message);
      }
    }),
  );
  const onSubscribe = validated(SUBSCRIBE, (event: IpcMainEvent, id: unknown, name: unknown, params: unknown) => {
    if (typeof id !== 'number') return;
    const map = forSender(event.sender);
    map.get(id)?.();
    map.set(id, dispatcher.subscribe(String(name), params, (payload) => {
      if (!event.sender.isDestroyed()) event.sender.send(EVENT, id, payload);
    }));
  });
  const onUnsubscribe = validated(UNSUBSCRIBE, (event: IpcMainEvent, id: unknown) => {
    const map = subscriptions.get(event.sender);
    if (typeof id !== 'number' || !map) return;
    map.get(id)?.();
    map.delete(id);
  });
  // ipcMain.on swallows exceptions into the console; a refused sender simply gets nothing.
  ipcMain.on(SUBSCRIBE, (event, ...args: [unknown, unknown, unknown]) => {
    try {
      onSubscribe(event, ...args);
    } catch (err) {
      console.error(`fleetdeck: ${(err as Error).message}`);
    }
  });
  ipcMain.on(UNSUBSCRIBE, (event, id: unknown) => {
    try {
      onUnsubscribe(event, id);
    } catch (err) {
      console.error(`fleetdeck: ${(err as Error).message}`);
    }
  });
}
