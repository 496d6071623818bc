// The client's side of the bridge, whatever the transport (Electron's preload port or the browser-mode
// WebSocket): message ids, calls waiting for their answer, stream listeners and their ends, and
// errors that carry the core's code. A transport only moves messages and says when it is up or down.
import { callNames, streamNames, type Api, type RemoteError } from './contract';
import type { OnEnd, Unsubscribe } from './slice';
import type { BridgePort, ClientMessage, ServerMessage } from './wire';

/** An error from the core, or from the bridge itself: `message` as sent, and `code` where one was given. */
export class BridgeError extends Error {
  readonly code: string | undefined;
  constructor(error: RemoteError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
  }
}

/** Calls in flight when the transport drops fail with this code (the call may or may not have run). */
export const DISCONNECTED = 'disconnected';

/** What the session needs from its transport: a way to send while it is up. */
export interface MessageSink {
  send(message: ClientMessage): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  message: ClientMessage;
  sent: boolean;
}

interface Stream {
  message: ClientMessage & { t: 'subscribe' };
  onEvent: (event: unknown) => void;
  onEnd: OnEnd | undefined;
}

export class BridgeClient {
  private up = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, Stream>();

  constructor(
    private readonly sink: MessageSink,
    /** Where a stream that failed without an end callback is reported. */
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** One function per contract entry, typed by the contract. */
  api(): Api {
    const api: Record<string, unknown> = {};
    for (const name of callNames) api[name] = (request: unknown) => this.call(name, request);
    for (const name of streamNames) api[name] = (params: unknown, onEvent: (e: unknown) => void, onEnd?: OnEnd) => this.subscribe(name, params, onEvent, onEnd);
    return api as Api;
  }

  /** Any name, contract entry or not: the core decides (and answers 'unknown-entry'). */
  call(name: string, request: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, message: { t: 'call', id, name, request }, sent: false };
      this.pending.set(id, pending);
      if (this.up) this.sendCall(pending);
    });
  }

  subscribe(name: string, params: unknown, onEvent: (event: unknown) => void, onEnd?: OnEnd): Unsubscribe {
    const id = this.nextId++;
    const message = { t: 'subscribe', id, name, params } as const;
    this.streams.set(id, { message, onEvent, onEnd });
    if (this.up) this.sink.send(message);
    return () => {
      if (!this.streams.delete(id)) return;
      if (this.up) this.sink.send({ t: 'unsubscribe', id });
    };
  }

  /** The transport is up: calls made meanwhile go out, and every open stream is (re)subscribed. */
  connected(): void {
    this.up = true;
    for (const stream of this.streams.values()) this.sink.send(stream.message);
    for (const pending of this.pending.values()) if (!pending.sent) this.sendCall(pending);
  }

  /** The transport dropped: calls in flight fail; streams are renewed on the next `connected()`. */
  disconnected(): void {
    this.up = false;
    for (const [id, pending] of this.pending) {
      if (!pending.sent) continue;
      this.pending.delete(id);
      pending.reject(new BridgeError({ message: 'lost the connection to the fleetdeck core', code: DISCONNECTED }));
    }
  }

  receive(message: ServerMessage): void {
    switch (message.t) {
      case 'result':
      case 'error': {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.t === 'result') pending?.resolve(message.value);
        else pending?.reject(new BridgeError(message.error));
        return;
      }
      case 'event':
        this.streams.get(message.id)?.onEvent(message.event);
        return;
      case 'end': {
        const stream = this.streams.get(message.id);
        if (!stream) return;
        this.streams.delete(message.id);
        if (stream.onEnd) stream.onEnd(message.error);
        else if (message.error) this.log(`stream ${stream.message.name} ended: ${message.error.message}`);
        return;
      }
    }
  }

  private sendCall(pending: Pending): void {
    pending.sent = true;
    this.sink.send(pending.message);
  }
}

/** The session over Electron's preload port, which is up for as long as the page lives. */
export function clientOverPort(port: BridgePort): BridgeClient {
  const client = new BridgeClient(port);
  port.connect((message) => client.receive(message));
  client.connected();
  return client;
}
