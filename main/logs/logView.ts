// One log view: its sources, a stream session (held events in a bounded LogRing, flow control
// over every source at once, the orphan timeout) and the batching of lines, each batch sorted
// by time.
import { LOG_FLOW_CONTROL, logTimeKey, type LogEvent, type LogLine, type LogViewSource } from '../../shared/logs';
import type { Clock } from '../clock/clock';
import { Batcher } from '../streams/batcher';
import { StreamSession } from '../streams/streamSession';
import { charsOf, LogRing, type RingLimits } from './logRing';
import type { LogSource } from './logSource';
import { logLineChars } from '../../shared/logs';

/** One frame at 60 Hz: a tail arrives in few events, a quiet follower's line without delay. */
export const LINES_FLUSH_MS = 16;
/**
 * A batch this large goes at once: a 100,000-line tail in some twenty events, each cheap to merge
 * (a few ms of JSON and insert in the renderer; 128 Ki made 80 of them, and the bridge's cost per
 * message showed in bench:logs), still an eighth of the high watermark.
 */
export const LINES_MAX_CHARS = 512 * 1024;

export interface LogViewOptions {
  clock: Clock;
  orphanTimeoutMs: number;
  onOrphan(): void;
  log(message: string): void;
  limits?: RingLimits;
}

export interface LogViewStats {
  heldLines: number;
  dropped: number;
  paused: boolean;
  unacked: number;
  bytesReceived: number;
}

export class LogView {
  readonly session: StreamSession<LogEvent>;
  private readonly ring: LogRing;
  private readonly batcher: Batcher<LogLine>;
  readers: LogSource[] = [];

  constructor(
    readonly id: string,
    readonly sources: LogViewSource[],
    options: LogViewOptions,
  ) {
    this.ring = new LogRing((chars) => this.session.forgive(chars), options.limits);
    this.session = new StreamSession<LogEvent>({
      chars: (event) => (event.t === 'lines' ? charsOf(event.lines) : 0),
      pause: () => this.readers.forEach((r) => r.pause()),
      resume: () => this.readers.forEach((r) => r.resume()),
      watermarks: { high: LOG_FLOW_CONTROL.highWatermark, low: LOG_FLOW_CONTROL.lowWatermark },
      hold: this.ring,
      clock: options.clock,
      orphanTimeoutMs: options.orphanTimeoutMs,
      onOrphan: options.onOrphan,
      log: (message) => options.log(`log view ${id}: ${message}`),
    });
    this.batcher = new Batcher<LogLine>((lines) => this.sendLines(lines), logLineChars, { flushMs: LINES_FLUSH_MS, maxSize: LINES_MAX_CHARS, clock: options.clock });
  }

  line(line: LogLine): void {
    this.batcher.add(line);
  }

  /** A source's state goes after the lines it read before it. */
  state(event: Extract<LogEvent, { t: 'source' }>): void {
    this.batcher.flush();
    this.session.send(event);
  }

  stats(): LogViewStats {
    return {
      heldLines: this.ring.heldLines,
      dropped: this.ring.dropped,
      paused: this.session.paused,
      unacked: this.session.flow.unacked,
      bytesReceived: this.readers.reduce((sum, r) => sum + r.bytesReceived, 0),
    };
  }

  close(): void {
    for (const reader of this.readers) reader.close();
    this.batcher.dispose();
    this.session.dispose();
  }

  private sendLines(lines: LogLine[]): void {
    if (this.sources.length > 1) sortByTime(lines);
    this.session.send({ t: 'lines', lines });
  }
}

/** In time order, lines of equal time in arrival order (Array.prototype.sort is stable). */
export function sortByTime(lines: LogLine[]): LogLine[] {
  const keys = new Map<LogLine, string>();
  for (const line of lines) keys.set(line, logTimeKey(line.time));
  return lines.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
