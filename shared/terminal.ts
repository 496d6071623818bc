// Terminal sessions: container shells (docker exec with a TTY) and host shells (SSH).
// Bytes flow main → renderer on the terminalOutput stream; the renderer acks what xterm has
// written. When it falls behind, main skips raw output and later sends a snapshot of its own
// mirror of the screen instead (main/terminal/skipAhead.ts); the source pauses only when main's
// parser falls behind.
import { z } from 'zod';
import { call, stream } from './slice';

export const TerminalTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('container'),
    host: z.string().min(1),
    id: z.string().regex(/^[0-9a-f]{12,64}$/),
    /** Custom command (argv); default: /bin/bash if present, else /bin/sh. */
    command: z.array(z.string().min(1)).min(1).max(64).optional(),
    /** User to run as (docker exec --user), e.g. "root" or "1000:1000". */
    user: z.string().regex(/^[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/).optional(),
  }),
  z.object({ kind: z.literal('host'), host: z.string().min(1) }),
]);
export type TerminalTarget = z.infer<typeof TerminalTarget>;

export const TerminalSize = z.object({ cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) });
export type TerminalSize = z.infer<typeof TerminalSize>;

export const SessionId = z.string().regex(/^t[0-9]+$/);

/** Why a session could not open; the renderer words each one. */
export const TerminalOpenResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), sessionId: z.string(), title: z.string(), command: z.string() }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['unknown-host-key', 'changed-host-key', 'not-running', 'no-shell', 'host-down', 'no-ssh', 'error']),
    message: z.string(),
    /** For host-key reasons: what the user must compare before trusting. */
    hostKey: z.object({ host: z.string(), address: z.string(), keyType: z.string(), fingerprint: z.string() }).optional(),
  }),
]);
export type TerminalOpenResult = z.infer<typeof TerminalOpenResult>;

/** One stream event: output, the session's true screen in place of output skipped, or the end of the session. */
export const TerminalEvent = z.discriminatedUnion('t', [
  z.object({ t: z.literal('data'), data: z.string() }),
  /**
   * Main skipped raw output the renderer could not keep up with: `data` is the session's screen
   * serialized (recent scrollback, the screen, modes, cursor, colours, title) for the renderer to
   * replace its own with (reset, then write); `skipped` counts the characters not forwarded that
   * it replaces (since the previous data or snapshot event: successive ones add up).
   * Its data is acked like output.
   */
  z.object({ t: z.literal('snapshot'), data: z.string(), skipped: z.number().int().min(0) }),
  z.object({ t: z.literal('exit'), code: z.number().int().nullable(), message: z.string() }),
]);
export type TerminalEvent = z.infer<typeof TerminalEvent>;

/** Flow control, as VS Code does it: acks are counted in string length (UTF-16 units) of data events. */
export const FLOW_CONTROL = {
  /**
   * The stream-session piece's default pause point (main/streams/flowControl.ts). Terminals no
   * longer pause their source on it: past SKIP_AHEAD.skipAbove unacked, main skips raw output.
   */
  highWatermark: 100_000,
  /** ... its resume point; for terminals, where a skip ends in a snapshot (the renderer has caught up). */
  lowWatermark: 5_000,
  /** The renderer acks at least this often (in characters written), so main never waits on a small tail. */
  ackEvery: 5_000,
} as const;

export const terminalSlice = {
  calls: {
    /** Opens a shell; output arrives on terminalOutput({ sessionId }). */
    terminalOpen: call(z.object({ target: TerminalTarget, size: TerminalSize }).strict(), TerminalOpenResult),
    terminalInput: call(z.object({ sessionId: SessionId, data: z.string().max(65_536) }).strict(), z.void()),
    terminalResize: call(z.object({ sessionId: SessionId, size: TerminalSize }).strict(), z.void()),
    /** Characters of output the renderer's terminal has written since the last ack. */
    terminalAck: call(z.object({ sessionId: SessionId, chars: z.number().int().positive() }).strict(), z.void()),
    terminalClose: call(z.object({ sessionId: SessionId }).strict(), z.void()),
    /** The session's screen as main's mirror holds it now, serialized (scrollback up to a cap): for Redraw, and to compare with xterm's. */
    terminalScreen: call(z.object({ sessionId: SessionId }).strict(), z.object({ data: z.string(), cols: z.number().int(), rows: z.number().int() })),
    /** Appends the host's key to known_hosts, only if it still has the fingerprint the user confirmed. */
    trustHostKey: call(z.object({ host: z.string().min(1), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(), z.object({ ok: z.boolean(), message: z.string() })),
  },
  streams: {
    /** A session's output, then one exit event. */
    terminalOutput: stream(z.object({ sessionId: SessionId }).strict(), TerminalEvent),
  },
};
