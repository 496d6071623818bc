// The one IPC contract. Main binds every entry once; the preload and the WebSocket bridge
// expose every entry; the renderer gets the same typed Api either way.
import { z } from 'zod';
import { ActionResult, AppInfo, ContainerAction, ContainerRef, FleetChange, FleetSnapshot } from './model';
import { StatsFocus, StatsHistory, StatsHostHistory, StatsRef, StatsTick } from './stats';
import { SessionId, TerminalEvent, TerminalOpenResult, TerminalSize, TerminalTarget } from './terminal';

const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });
const stream = <Params extends z.ZodType, Event extends z.ZodType>(params: Params, event: Event) => ({ params, event });
const empty = z.object({}).strict();

export const contract = {
  calls: {
    appInfo: call(empty, AppInfo),
    fleetSnapshot: call(empty, FleetSnapshot),
    containerAction: call(ContainerRef.extend({ action: ContainerAction }).strict(), ActionResult),
    /** Opens a shell; output arrives on terminalOutput({ sessionId }). */
    terminalOpen: call(z.object({ target: TerminalTarget, size: TerminalSize }).strict(), TerminalOpenResult),
    terminalInput: call(z.object({ sessionId: SessionId, data: z.string().max(65_536) }).strict(), z.void()),
    terminalResize: call(z.object({ sessionId: SessionId, size: TerminalSize }).strict(), z.void()),
    /** Characters of output the renderer's terminal has written since the last ack. */
    terminalAck: call(z.object({ sessionId: SessionId, chars: z.number().int().positive() }).strict(), z.void()),
    terminalClose: call(z.object({ sessionId: SessionId }).strict(), z.void()),
    /** Which containers are on screen or pinned: they are sampled at the fast rate. */
    statsFocus: call(StatsFocus.strict(), z.void()),
    statsHistory: call(StatsRef.extend({ maxPoints: z.number().int().min(10).max(2_000).optional() }).strict(), StatsHistory),
    statsHostHistory: call(z.object({ host: z.string().min(1), maxPoints: z.number().int().min(10).max(2_000).optional() }).strict(), StatsHostHistory),
    /** Appends the host's key to known_hosts, only if it still has the fingerprint the user confirmed. */
    trustHostKey: call(z.object({ host: z.string().min(1), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(), z.object({ ok: z.boolean(), message: z.string() })),
  },
  streams: {
    /** The first event holds the whole fleet; later ones hold what changed. */
    fleetChanges: stream(empty, FleetChange),
    /** One batched message per tick (every second). */
    statsTicks: stream(empty, StatsTick),
    /** A session's output, then one exit event. */
    terminalOutput: stream(z.object({ sessionId: SessionId }).strict(), TerminalEvent),
  },
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract['calls'];
export type StreamName = keyof Contract['streams'];
export type CallRequest<K extends CallName> = z.input<Contract['calls'][K]['request']>;
export type CallResponse<K extends CallName> = z.output<Contract['calls'][K]['response']>;
export type StreamParams<K extends StreamName> = z.input<Contract['streams'][K]['params']>;
export type StreamEvent<K extends StreamName> = z.output<Contract['streams'][K]['event']>;
export type Unsubscribe = () => void;

/** What the renderer sees, and what main implements: one function per contract entry. */
export type Api = {
  [K in CallName]: (request: CallRequest<K>) => Promise<CallResponse<K>>;
} & {
  [K in StreamName]: (params: StreamParams<K>, onEvent: (event: StreamEvent<K>) => void) => Unsubscribe;
};

export const callNames = Object.keys(contract.calls) as CallName[];
export const streamNames = Object.keys(contract.streams) as StreamName[];

/** Error shape carried across any transport. */
export const RemoteError = z.object({ message: z.string(), code: z.string().optional() });
export type RemoteError = z.infer<typeof RemoteError>;
