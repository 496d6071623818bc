// One terminal session's output path (issue 15): every byte goes to the session's ScreenMirror as
// it arrives and to the batcher; each batch is then forwarded raw, or, while the renderer is more
// than SKIP_ABOVE behind on raw output, skipped. Once the renderer has caught up, snapshots of the
// mirror replace what was skipped: frames (the screen alone, cheap to draw, at most one per
// frameGapMs) while the flood goes on, then, once less than calmBelow came in calmMs, the full
// snapshot (with scrollback), after which raw forwarding resumes. The source pauses only while
// the mirror's parser is behind (SKIP_AHEAD.parserHigh / parserLow). Below SKIP_ABOVE, batches go
// out exactly as the batcher makes them.
import type { TerminalEvent, TerminalSize } from '../../shared/terminal';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import type { Hold } from '../streams/streamSession';
import { DataBatcher, type DataBatcherOptions } from './dataBatcher';
import { ScreenMirror } from './screenMirror';
import { SKIP_AHEAD } from './skipAhead';

/** What the output path needs from its session's stream (a StreamSession). */
export interface OutputStream {
  send(event: TerminalEvent): void;
  forgive(chars: number): void;
  readonly subscriberCount: number;
  readonly flow: { readonly unacked: number; readonly stats: { readonly sentChars: number } };
}

/** What it needs from the rest of the session. */
export interface OutputHost {
  readonly stream: OutputStream;
  /** The stream's hold: its events are superseded by a snapshot when skipping starts unwatched. */
  readonly hold: Pick<Hold<TerminalEvent>, 'drain' | 'push'>;
  pauseSource(): void;
  resumeSource(): void;
  sentData(data: string, offsetStart: number): void;
  sentSnapshot(data: string, offsetStart: number, skipped: number): void;
  log(message: string): void;
}

export interface OutputThresholds {
  skipAbove: number;
  snapshotBelow: number;
  calmBelow: number;
  calmMs: number;
  frameGapMs: number;
  snapshotScrollback: number;
  parserHigh: number;
  parserLow: number;
}

export interface OutputStats {
  skips: number;
  skippedChars: number;
  pauses: number;
  resumes: number;
  /** Bytes the mirror's parser has not confirmed yet. */
  parserPending: number;
  /** Bytes the mirror left unparsed, because the lines after them scrolled them away. */
  parserElided: number;
}

type Mode = 'raw' | 'skipping' | 'snapshotting';

export class SessionOutput {
  readonly mirror: ScreenMirror;
  private readonly batcher: DataBatcher;
  private mode: Mode = 'raw';
  /** Batches read after a snapshot's point, sent once the snapshot has gone. */
  private afterSnapshot: string[] = [];
  /** Characters skipped since the last data event. */
  private skippedSince = 0;
  /** Characters read since the last snapshot's point (or since skipping began). */
  private readSince = 0;
  /** The snapshot asked for is the full one, after which raw forwarding resumes. */
  private final = false;
  /** Where the last snapshot starts and ends in what was sent: the next waits until the renderer has acked it. */
  private snapshotStart = 0;
  private snapshotEnd = 0;
  /** The renderer has caught up but little came since the last frame: the flood may be over. */
  private calmTimer: Timer | undefined;
  private calmed = false;
  /** A frame waits until frameGapMs after the last snapshot. */
  private gapTimer: Timer | undefined;
  private lastSnapshotAt = -Infinity;
  private readonly clock: Clock;
  private counts = { skips: 0, skippedChars: 0, pauses: 0, resumes: 0 };
  private sourcePaused = false;
  /** The source has ended: no more pausing or resuming it. */
  private stopped = false;

  constructor(
    private readonly host: OutputHost,
    size: TerminalSize,
    batcher: DataBatcherOptions,
    private readonly limits: OutputThresholds = SKIP_AHEAD,
  ) {
    this.clock = batcher.clock ?? systemClock;
    this.batcher = new DataBatcher((data) => this.batch(data), batcher);
    this.mirror = new ScreenMirror({ size, backlogHigh: limits.parserHigh, backlogLow: limits.parserLow, onBacklog: (behind) => this.parserBehind(behind) });
  }

  get stats(): OutputStats {
    return { ...this.counts, parserPending: this.mirror.pending, parserElided: this.mirror.elided };
  }

  data(chunk: Buffer): void {
    this.mirror.feed(chunk);
    this.batcher.write(chunk);
  }

  /** The source ended: what it sent last goes out (as a snapshot if skipping), then `done`. */
  end(done: () => void): void {
    this.stopped = true;
    this.stopCalmWait();
    this.batcher.end();
    if (this.mode === 'raw') return done();
    this.mirror.whenParsed(() => {
      if (this.mode !== 'raw') {
        // Every byte is parsed: the snapshot holds what was read after a pending snapshot's point too.
        for (const data of this.afterSnapshot) this.skip(data.length);
        this.afterSnapshot = [];
        this.final = true;
        this.guard(() => this.sendSnapshot());
      }
      done();
    });
  }

  /**
   * The renderer acked, or a subscriber came (`joined`: it gets the full snapshot, scrollback and
   * all): a skip ends with a snapshot once the renderer has caught up. A frame if more than
   * calmBelow came since the last one; if less, the flood may be over: once calmMs pass with no
   * more than that, the full snapshot.
   */
  progress(joined = false): void {
    if (this.stopped || this.mode !== 'skipping' || this.host.stream.subscriberCount === 0) return;
    const { unacked, stats } = this.host.stream.flow;
    if (unacked > this.limits.snapshotBelow || stats.sentChars - unacked < this.snapshotEnd) return;
    const quiet = this.readSince < this.limits.calmBelow;
    if (quiet && !joined && !this.calmed) {
      this.calmTimer ??= this.clock.setTimeout(() => {
        this.calmTimer = undefined;
        this.calmed = true;
        this.progress();
      }, this.limits.calmMs);
      return;
    }
    const wait = this.lastSnapshotAt + this.limits.frameGapMs - this.clock.now();
    if (!joined && !quiet && wait > 0) {
      this.gapTimer ??= this.clock.setTimeout(() => {
        this.gapTimer = undefined;
        this.progress();
      }, wait);
      return;
    }
    this.stopCalmWait();
    this.batcher.flush(); // what it holds was read before the snapshot's point: skipped
    this.mode = 'snapshotting';
    this.final = joined || quiet;
    this.mirror.whenParsed(() => {
      if (this.mode === 'snapshotting') this.guard(() => this.sendSnapshot()); // unless the end sent it
    });
  }

  /** Drops anything queued; nothing is sent afterwards. */
  dispose(): void {
    this.stopped = true;
    this.stopCalmWait();
    this.batcher.dispose();
    this.mirror.dispose();
  }

  private stopCalmWait(): void {
    this.clock.clearTimeout(this.calmTimer);
    this.clock.clearTimeout(this.gapTimer);
    this.calmTimer = undefined;
    this.gapTimer = undefined;
    this.calmed = false;
  }

  private batch(data: string): void {
    if (this.mode === 'skipping') {
      this.skip(data.length);
      // Waiting to see whether the flood is over: it is not.
      if (this.calmTimer && this.readSince >= this.limits.calmBelow) this.progress();
    } else if (this.mode === 'snapshotting') this.afterSnapshot.push(data);
    else this.forward(data);
  }

  private forward(data: string): void {
    this.host.sentData(data, this.host.stream.flow.stats.sentChars);
    this.host.stream.send({ t: 'data', data });
    this.skippedSince = 0;
    if (this.rawUnacked() > this.limits.skipAbove) this.startSkip();
  }

  private startSkip(): void {
    this.mode = 'skipping';
    this.readSince = 0;
    this.counts.skips++;
    if (this.host.stream.subscriberCount > 0) return;
    // Nobody watches: the output held is superseded by the snapshot the next subscriber gets.
    let dropped = 0;
    for (const event of this.host.hold.drain()) {
      if (event.t === 'data') dropped += event.data.length;
      else this.host.hold.push(event);
    }
    this.host.stream.forgive(dropped);
  }

  private skip(chars: number): void {
    this.skippedSince += chars;
    this.readSince += chars;
    this.counts.skippedChars += chars;
  }

  private sendSnapshot(): void {
    const data = this.mirror.snapshot(this.final ? this.limits.snapshotScrollback : 0);
    const skipped = this.skippedSince;
    this.host.sentSnapshot(data, this.host.stream.flow.stats.sentChars, skipped);
    this.snapshotStart = this.host.stream.flow.stats.sentChars;
    this.host.stream.send({ t: 'snapshot', data, skipped });
    this.snapshotEnd = this.host.stream.flow.stats.sentChars;
    this.lastSnapshotAt = this.clock.now();
    this.skippedSince = 0;
    this.readSince = 0;
    const after = this.afterSnapshot.join('');
    this.afterSnapshot = [];
    if (!this.final) {
      // A frame: the flood goes on, so what was read meanwhile waits for the next snapshot.
      this.mode = 'skipping';
      this.skip(after.length);
      this.progress();
      return;
    }
    this.mode = 'raw';
    // What was read while the parser caught up goes out raw only within SKIP_ABOVE; under a flood
    // it is more (up to parserHigh), and is skipped in turn for the next snapshot.
    if (this.rawUnacked() + after.length > this.limits.skipAbove) {
      this.startSkip();
      this.skip(after.length);
      // A subscriber may have acked the snapshot already, inside send (no ack would come later).
      this.progress();
    } else if (after.length > 0) this.forward(after);
  }

  /**
   * Raw output the renderer has not acked: a snapshot it is still drawing is not a backlog that
   * skipping would help with (the full one, 1,000 long lines, is more than SKIP_ABOVE by itself).
   */
  private rawUnacked(): number {
    const { unacked, stats } = this.host.stream.flow;
    const acked = stats.sentChars - unacked;
    return unacked - Math.max(0, this.snapshotEnd - Math.max(acked, this.snapshotStart));
  }

  private parserBehind(behind: boolean): void {
    if (this.stopped || behind === this.sourcePaused) return;
    this.sourcePaused = behind;
    if (behind) {
      this.counts.pauses++;
      this.host.pauseSource();
    } else {
      this.counts.resumes++;
      this.host.resumeSource();
    }
  }

  /** Runs inside xterm's write loop, which a throw would break. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.host.log(`snapshot failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
