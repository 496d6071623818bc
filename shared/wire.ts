// Messages of the bridge, the same over both transports: JSON text on the browser-mode WebSocket,
// structured-clone IPC messages in Electron. Main validates every client message.
import { z } from 'zod';

/** Error shape carried across any transport: the message, and a code where the core gave one. */
export const RemoteError = z.object({ message: z.string(), code: z.string().optional() });
export type RemoteError = z.infer<typeof RemoteError>;

export const ClientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), name: z.string(), request: z.unknown() }),
  z.object({ t: z.literal('subscribe'), id: z.number().int().nonnegative(), name: z.string(), params: z.unknown() }),
  z.object({ t: z.literal('unsubscribe'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; error: RemoteError }
  | { t: 'event'; id: number; event: unknown }
  | { t: 'end'; id: number; error?: RemoteError };

/**
 * What Electron's preload exposes to the page (as window.fleetdeckBridge): a port that carries the
 * messages above over IPC, nothing else. The client session runs in the page, because errors lose
 * every property but their message when they cross contextBridge (electron/electron#25596), while
 * plain messages are copied whole.
 */
export interface BridgePort {
  /** Starts a session in main (ending any earlier one of this page) and delivers its messages; once only. */
  connect(onMessage: (message: ServerMessage) => void): void;
  send(message: ClientMessage): void;
}

/** Query parameter carrying the per-launch token. */
export const TOKEN_PARAM = 'token';
/** Path of the bridge's WebSocket. */
export const BRIDGE_PATH = '/bridge';
