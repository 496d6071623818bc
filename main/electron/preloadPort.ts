// The preload's one export to the page: a port that carries bridge messages (shared/wire.ts) over
// three fixed IPC channels. Main checks the sender and validates every message, as it does for the
// WebSocket; the page runs the client session (shared/bridgeClient.ts) on top.
import type { BridgePort, ServerMessage } from '../../shared/wire';
import { BRIDGE_OPEN, CLIENT_MESSAGE, SERVER_MESSAGE } from './channels';

/** The part of ipcRenderer the port uses. */
export interface PortIpc {
  on(channel: string, listener: (event: unknown, message: ServerMessage) => void): unknown;
  send(channel: string, ...args: unknown[]): void;
}

export function createPreloadPort(ipc: PortIpc): BridgePort {
  let connected = false;
  return {
    connect(onMessage) {
      if (connected) throw new Error('the fleetdeck bridge is already connected');
      connected = true;
      ipc.on(SERVER_MESSAGE, (_event, message) => onMessage(message));
      ipc.send(BRIDGE_OPEN);
    },
    send(message) {
      ipc.send(CLIENT_MESSAGE, message);
    },
  };
}
