// The renderer's one way to the core: Electron's preload API when present, else the WebSocket bridge.
import type { Api } from '../../shared/contract';
import { WebSocketBridge, type ConnectionListener } from './webSocketApi';

declare global {
  interface Window {
    /** Set by the Electron preload (or a test fixture): one function per contract entry. */
    fleetdeck?: Api;
  }
}

let bridge: WebSocketBridge | undefined;
let api: Promise<Api> | undefined;

export function getApi(): Promise<Api> {
  api ??= (async () => {
    if (window.fleetdeck) return window.fleetdeck;
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
