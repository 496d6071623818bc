// The renderer's one way to the core: the client session over Electron's preload port when present,
// else over the browser-mode WebSocket. A test fixture may put a whole Api in window.fleetdeck.
import { clientOverPort } from '../../shared/bridgeClient';
import type { Api } from '../../shared/contract';
import type { BridgePort } from '../../shared/wire';
import { WebSocketBridge, type ConnectionListener } from './webSocketApi';

declare global {
  interface Window {
    /** Set by a test fixture (e2e/fixtures): one function per contract entry. */
    fleetdeck?: Api;
    /** Set by the Electron preload: the port that carries bridge messages over IPC. */
    fleetdeckBridge?: BridgePort;
  }
}

let bridge: WebSocketBridge | undefined;
let api: Promise<Api> | undefined;

export function getApi(): Promise<Api> {
  api ??= (async () => {
    if (window.fleetdeck) return window.fleetdeck;
    if (window.fleetdeckBridge) return clientOverPort(window.fleetdeckBridge).api();
    bridge = new WebSocketBridge();
    await bridge.ready();
    return bridge.api();
  })();
  return api;
}

/** Browser mode only: tells when the link to the core drops and comes back. */
export function onBridgeConnection(listener: ConnectionListener): () => void {
  return bridge?.onConnectionChange(listener) ?? (() => {});
}
