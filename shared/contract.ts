// The one IPC contract, merged from the features' slices (shared/<feature>.ts). Main binds every
// entry once (each main/<feature>/ binds its slice; the core composes the parts); the preload and
// the WebSocket bridge expose every entry; the renderer gets the same typed Api either way.
import type { z } from 'zod';
import { actionsSlice } from './actions';
import { alertsSlice } from './alerts';
import { auditSlice } from './audit';
import { fleetSlice } from './fleet';
import { ipMapSlice } from './ipmap';
import { logsSlice } from './logs';
import { registrySlice } from './registry';
import { rolloutSlice } from './rollout';
import type { ApiOf } from './slice';
import { statsSlice } from './stats';
import { terminalSlice } from './terminal';

export const slices = { fleet: fleetSlice, actions: actionsSlice, audit: auditSlice, terminal: terminalSlice, stats: statsSlice, registry: registrySlice, rollout: rolloutSlice, ipMap: ipMapSlice, logs: logsSlice, alerts: alertsSlice };

export const contract = {
  calls: { ...fleetSlice.calls, ...actionsSlice.calls, ...auditSlice.calls, ...terminalSlice.calls, ...statsSlice.calls, ...registrySlice.calls, ...rolloutSlice.calls, ...ipMapSlice.calls, ...logsSlice.calls, ...alertsSlice.calls },
  streams: { ...fleetSlice.streams, ...actionsSlice.streams, ...auditSlice.streams, ...terminalSlice.streams, ...statsSlice.streams, ...registrySlice.streams, ...rolloutSlice.streams, ...ipMapSlice.streams, ...logsSlice.streams, ...alertsSlice.streams },
};

export type Contract = typeof contract;
export type CallName = keyof Contract['calls'];
export type StreamName = keyof Contract['streams'];
export type CallRequest<K extends CallName> = z.input<Contract['calls'][K]['request']>;
export type CallResponse<K extends CallName> = z.output<Contract['calls'][K]['response']>;
export type StreamParams<K extends StreamName> = z.input<Contract['streams'][K]['params']>;
export type StreamEvent<K extends StreamName> = z.output<Contract['streams'][K]['event']>;
export type { Unsubscribe } from './slice';

/** What the renderer sees, and what main implements: one function per contract entry. */
export type Api = ApiOf<Contract>;

export const callNames = Object.keys(contract.calls) as CallName[];
export const streamNames = Object.keys(contract.streams) as StreamName[];

/** Error shape carried across any transport. */
export { RemoteError } from './wire';
