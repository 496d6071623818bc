// Logs: a log view follows the logs of one container, or of a service's replicas merged by time.
// Main streams each source (GET /containers/{id}/logs, demultiplexed), holds at most
// LOG_LIMITS.maxLines / maxBytes per view (the oldest go, counted in a 'dropped' event), and
// applies the terminals' flow control: above the high watermark of unacked characters it pauses
// every source socket of the view, so backpressure reaches dockerd.
import { z } from 'zod';
import { call, stream } from './slice';

export const LOG_LIMITS = {
  /** What a view loads first: a tail, not `since` (dockerd scans the whole file for since: docker/for-linux#972). */
  defaultTail: 1000,
  /** Lines held per view, in main and in the renderer; beyond it the oldest go. */
  maxLines: 100_000,
  /** Characters held per view (~64 MB of text as UTF-16 is 128 MB of heap: the line cap binds first for normal lines). */
  maxChars: 64 * 1024 * 1024,
  /** Replicas one view may merge. */
  maxSources: 64,
} as const;

/**
 * A view's flow control, in logLineChars: main pauses every source of the view when this much
 * sent is not yet acked, and resumes below the low watermark. The renderer acks each 'lines'
 * event once its store has taken it. At 1 Mi / 256 Ki a 100,000-line tail (~10 M chars) paused
 * main some ten times, each waiting on a round trip to a busy renderer; 4 Mi lets main run ahead
 * by some 40,000 lines, and a view nobody reads still holds at most ~8 MB in flight (main's RSS
 * under a 30 s flood is measured by bench:logs, target < 50 MB).
 */
export const LOG_FLOW_CONTROL = { highWatermark: 4 * 1024 * 1024, lowWatermark: 1024 * 1024 } as const;

/** `since` presets the view offers, in seconds. */
export const LOG_SINCE_PRESETS = { '5m': 300, '1h': 3600, '24h': 86_400 } as const;

export const LogSourceRef = z.object({ host: z.string().min(1), id: z.string().regex(/^[0-9a-f]{12,64}$/) }).strict();
export type LogSourceRef = z.infer<typeof LogSourceRef>;

export const LogOpenRequest = z
  .object({
    sources: z.array(LogSourceRef).min(1).max(LOG_LIMITS.maxSources),
    /** Last N lines of each source, or every line (default LOG_LIMITS.defaultTail). */
    tail: z.union([z.number().int().min(0).max(LOG_LIMITS.maxLines), z.literal('all')]).optional(),
    /** Only lines from this many seconds ago on (with a tail: the tail of those). */
    sinceSeconds: z.number().int().positive().max(366 * 86_400).optional(),
    /** Keep following after the loaded lines (default true). */
    follow: z.boolean().optional(),
  })
  .strict();
export type LogOpenRequest = z.input<typeof LogOpenRequest>;

/** One source of a view, as the view names it: `tag` is short ("web-2·h1") and unique in the view. */
export const LogViewSource = z.object({
  host: z.string(),
  id: z.string(),
  name: z.string(),
  service: z.string().optional(),
  tag: z.string(),
  /** The container has a TTY: one raw stream, every line is stdout. */
  tty: z.boolean(),
});
export type LogViewSource = z.infer<typeof LogViewSource>;

export const LogViewId = z.string().regex(/^l[0-9]+$/);

export const LogOpenResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), viewId: z.string(), sources: z.array(LogViewSource) }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type LogOpenResult = z.infer<typeof LogOpenResult>;

/**
 * One line. `src` indexes the view's sources; `time` is the daemon's RFC 3339 timestamp as given
 * (its fraction has trailing zeros trimmed: compare with logTimeKey, not as strings); `line` is the
 * text without its newline, ANSI escapes included.
 */
export const LogLine = z.object({ src: z.number().int().min(0), stream: z.enum(['stdout', 'stderr']), time: z.string(), line: z.string() });
export type LogLine = z.infer<typeof LogLine>;

export const LogSourceState = z.enum(['loading', 'following', 'ended', 'failed']);
export type LogSourceState = z.infer<typeof LogSourceState>;

export const LogEvent = z.discriminatedUnion('t', [
  /** Lines in time order within one event; a later event may hold lines older than earlier ones (another source): consumers merge by logTimeKey. */
  z.object({ t: z.literal('lines'), lines: z.array(LogLine) }),
  /** Lines dropped so far (total) by the view's bound. */
  z.object({ t: z.literal('dropped'), total: z.number().int().min(0) }),
  /** A source's state: loading its tail, following, ended (not following, or the container stopped), failed (why). */
  z.object({ t: z.literal('source'), src: z.number().int().min(0), state: LogSourceState, message: z.string().optional() }),
]);
export type LogEvent = z.infer<typeof LogEvent>;

/**
 * A sortable key for a daemon timestamp: "2026-12-02T01:02:03.5Z" and "…03.500000000Z" get the
 * same key; keys compare as strings. Timestamps without a zone or fraction are padded likewise.
 */
export function logTimeKey(time: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time);
  if (!match) return time;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}

/**
 * What one line counts for in flow control and acks: its text and its newline, so that a flood
 * of empty lines still reaches the high watermark.
 */
export function logLineChars(line: Pick<LogLine, 'line'>): number {
  return line.line.length + 1;
}

export const logsSlice = {
  calls: {
    /** Opens a view on the sources; its events arrive on logEvents({ viewId }). */
    logsOpen: call(LogOpenRequest, LogOpenResult),
    /** Characters of lines (sum of logLineChars) the renderer has taken since the last ack. */
    logsAck: call(z.object({ viewId: LogViewId, chars: z.number().int().positive() }).strict(), z.void()),
    logsClose: call(z.object({ viewId: LogViewId }).strict(), z.void()),
  },
  streams: {
    /** The view's lines: what it has loaded (held while nobody subscribed), then the rest as it comes. */
    logEvents: stream(z.object({ viewId: LogViewId }).strict(), LogEvent),
  },
};
