// How a feature declares its part of the IPC contract: calls { request, response } and streams
// { params, event }, each a zod schema. shared/contract.ts merges the slices into the one contract;
// ApiOf gives the functions a slice's binding in main must provide and the renderer may use.
import { z } from 'zod';
import type { RemoteError } from './wire';

export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}
export interface StreamSpec<Params extends z.ZodType = z.ZodType, Event extends z.ZodType = z.ZodType> {
  params: Params;
  event: Event;
}
export interface Slice {
  calls: Record<string, CallSpec>;
  streams: Record<string, StreamSpec>;
}

export const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): CallSpec<Req, Res> => ({ request, response });
export const stream = <Params extends z.ZodType, Event extends z.ZodType>(params: Params, event: Event): StreamSpec<Params, Event> => ({ params, event });
export const empty = z.object({}).strict();

export type Unsubscribe = () => void;

/**
 * How a stream ended, other than by its unsubscribe: with the error when it failed (a refused
 * subscribe, or the core ending it with one), without when the core finished it.
 */
export type OnEnd = (error?: RemoteError) => void;

/**
 * One function per entry of slice S: calls return a promise; streams take a listener and an optional
 * end callback, and return an unsubscribe.
 */
export type ApiOf<S extends Slice> = {
  [K in keyof S['calls']]: (request: z.input<S['calls'][K]['request']>) => Promise<z.output<S['calls'][K]['response']>>;
} & {
  [K in keyof S['streams']]: (params: z.input<S['streams'][K]['params']>, onEvent: (event: z.output<S['streams'][K]['event']>) => void, onEnd?: OnEnd) => Unsubscribe;
};
