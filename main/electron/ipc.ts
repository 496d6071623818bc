// Electron's transport for the bridge: every IPC listener is registered here, through one function
// that validates the sender (the main frame of our own app page). Each page gets one bridge session
// (main/bridge), whose messages go back with webContents.send; it ends when the page reloads or its
// webContents is destroyed.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { createBridgeSession, type BridgeSession } from '../bridge/bridgeSession';
import type { Dispatcher } from '../core/dispatch';
import { APP_HOST, APP_SCHEME, BRIDGE_OPEN, CLIENT_MESSAGE, SERVER_MESSAGE } from './channels';

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

/** The one way to listen on a channel: anything from another frame or origin gets nothing, and is logged. */
function onTrusted(channel: string, handler: (event: IpcMainEvent, message: unknown) => void, log: (m: string) => void): void {
  ipcMain.on(channel, (event, message: unknown) => {
    if (!isTrustedSender(event)) {
      log(`refused ${channel} from ${event.senderFrame?.url ?? 'a frame that is gone'}`);
      return;
    }
    handler(event, message);
  });
}

export function registerContract(dispatcher: Dispatcher, log: (message: string) => void = (m) => console.error(`fleetdeck: ${m}`)): void {
  const sessions = new Map<WebContents, BridgeSession>();
  const open = (page: WebContents): BridgeSession => {
    const earlier = sessions.get(page);
    earlier?.close();
    if (!earlier) {
      page.once('destroyed', () => {
        sessions.get(page)?.close();
        sessions.delete(page);
      });
    }
    const session = createBridgeSession(dispatcher, (message) => {
      if (!page.isDestroyed()) page.send(SERVER_MESSAGE, message);
    });
    sessions.set(page, session);
    return session;
  };
  onTrusted(BRIDGE_OPEN, (event) => void open(event.sender), log);
  onTrusted(
    CLIENT_MESSAGE,
    (event, message) => {
      const refused = (sessions.get(event.sender) ?? open(event.sender)).receive(message);
      if (refused) log(`bridge: dropping a malformed message: ${refused}`);
    },
    log,
  );
}
