// Messages of the browser-mode WebSocket bridge. The server validates every client message.
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

/** Query parameter carrying the per-launch token. */
export const TOKEN_PARAM = 'token';
/** Path of the bridge's WebSocket. */
export const BRIDGE_PATH = '/bridge';
