// The daemon calls a host connection's state machine makes, over its transport's sockets: the
// seam through which its unit tests answer as a daemon would, with no socket at all.
import type { IncomingMessage } from 'node:http';
import type Dockerode from 'dockerode';
import { dial } from './dockerApi';
import { engineGet } from './engineGet';
import type { EngineTransport } from './transports';

/** The parts of the /events response the connection reads (an IncomingMessage in production). */
export interface EventStream {
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (text: string) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
}

export interface EngineCalls {
  /** A GET on `role`'s sockets: control for ping, version and info; sampling for stats. */
  get<T>(role: 'control' | 'sampling', path: string, signal: AbortSignal): Promise<T>;
  /** GET /events for `types`; resolves once the daemon has answered with the stream's headers. */
  events(types: readonly string[], signal: AbortSignal): Promise<EventStream>;
}

/** Heartbeats and stats through engineGet; /events through docker-modem on the stream sockets. */
export function engineCalls(transport: EngineTransport, streams: Dockerode): EngineCalls {
  return {
    get: (role, path, signal) => engineGet(transport.requestTarget, transport.agents[role], path, signal),
    events: (types, signal) =>
      dial<IncomingMessage>(streams, {
        path: '/events?',
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true },
        options: { filters: { type: [...types] } },
        abortSignal: signal,
      }),
  };
}
