// The browser-mode transport's client: one WebSocket to the core carrying the bridge's messages as
// JSON text, reopened after every drop (the client session then renews its streams, and each stream
// starts with a full state). The socket itself is opened by the caller: the browser's WebSocket in
// the renderer, the ws package in tests, so this stays free of DOM and Node.
import { BridgeClient } from './bridgeClient';
import type { Api } from './contract';
import type { ServerMessage } from './wire';

/**
 * Waits before each reopening: quick at first (a core restart takes well under a second), then
 * backing off to 5 s so a core that is gone is not hammered.
 */
export const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  /** After a failed open too. */
  close(): void;
}
export interface SocketHandle {
  send(text: string): void;
  close(): void;
}
export type OpenSocket = (handlers: SocketHandlers) => SocketHandle;

export type ConnectionListener = (connected: boolean) => void;

export class SocketBridge {
  private socket: SocketHandle | undefined;
  private attempt = 0;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  /** The session over this socket; `api()` is the usual way in. */
  readonly client = new BridgeClient({ send: (message) => this.socket?.send(JSON.stringify(message)) });
  private readonly connectionListeners = new Set<ConnectionListener>();
  private readonly opened: Promise<void>;
  private markOpened: () => void = () => {};

  constructor(private readonly openSocket: OpenSocket) {
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
    this.open();
  }

  api(): Api {
    return this.client.api();
  }

  /** Resolves when the socket first opens. */
  ready(): Promise<void> {
    return this.opened;
  }

  onConnectionChange(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Closes the socket for good: the core ends this client's streams; no reopening. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.close();
  }

  private open(): void {
    let up = false;
    this.socket = this.openSocket({
      open: () => {
        up = true;
        this.attempt = 0;
        this.client.connected();
        this.connectionListeners.forEach((listener) => listener(true));
        this.markOpened();
      },
      message: (text) => this.client.receive(JSON.parse(text) as ServerMessage),
      close: () => {
        if (up) {
          this.client.disconnected();
          this.connectionListeners.forEach((listener) => listener(false));
        }
        up = false;
        if (this.stopped) return;
        const delay = RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)];
        this.retry = setTimeout(() => this.open(), delay);
      },
    });
  }
}
