// The contract over the browser-mode WebSocket. The token travels as an HttpOnly cookie set when
// the page was first loaded, so scripts never see it. Calls in flight when the socket drops fail;
// subscriptions are renewed on reconnect (every stream starts with a full state).
import { callNames, streamNames, type Api, type RemoteError } from '../../shared/contract';
import { BRIDGE_PATH, type ClientMessage, type ServerMessage } from '../../shared/wire';

const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export type ConnectionListener = (connected: boolean) => void;

export class WebSocketBridge {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private attempt = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, { name: string; params: unknown; onEvent: (e: unknown) => void }>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  private opened: Promise<void>;

  constructor(private readonly url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`) {
    this.opened = this.open();
  }

  onConnectionChange(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  api(): Api {
    const api: Record<string, unknown> = {};
    for (const name of callNames) api[name] = (request: unknown) => this.call(name, request);
    for (const name of streamNames) api[name] = (params: unknown, onEvent: (e: unknown) => void) => this.subscribe(name, params, onEvent);
    return api as Api;
  }

  ready(): Promise<void> {
    return this.opened;
  }

  private open(): Promise<void> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => {
        this.attempt = 0;
        for (const [id, s] of this.streams) this.send({ t: 'subscribe', id, name: s.name, params: s.params });
        this.connectionListeners.forEach((l) => l(true));
        resolve();
      };
      socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)) as ServerMessage);
      socket.onclose = () => {
        this.connectionListeners.forEach((l) => l(false));
        for (const p of this.pending.values()) p.reject(new Error('lost the connection to the fleetdeck core'));
        this.pending.clear();
        const delay = RECONNECT_MS[Math.min(this.attempt++, RECONNECT_MS.length - 1)];
        setTimeout(() => {
          this.opened = this.open();
          void this.opened.then(resolve);
        }, delay);
      };
    });
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private async call(name: string, request: unknown): Promise<unknown> {
    await this.opened;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ t: 'call', id, name, request });
    });
  }

  private subscribe(name: string, params: unknown, onEvent: (e: unknown) => void): () => void {
    const id = this.nextId++;
    this.streams.set(id, { name, params, onEvent });
    this.send({ t: 'subscribe', id, name, params });
    return () => {
      this.streams.delete(id);
      this.send({ t: 'unsubscribe', id });
    };
  }

  private receive(message: ServerMessage): void {
    switch (message.t) {
      case 'result':
      case 'error': {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.t === 'result') p?.resolve(message.value);
        else p?.reject(remoteError(message.error));
        return;
      }
      case 'event':
        this.streams.get(message.id)?.onEvent(message.event);
        return;
      case 'end':
        this.streams.delete(message.id);
        if (message.error) console.error(`stream ended: ${message.error.message}`);
        return;
    }
  }
}

function remoteError(error: RemoteError): Error {
  const err = new Error(error.message);
  if (error.code) err.name = error.code;
  return err;
}
