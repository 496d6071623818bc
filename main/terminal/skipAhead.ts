// The thresholds of a terminal session's skip-ahead and of the backpressure on main's own parser,
// in one place (issue 15; the terminal bench, e2e/bench/terminal.bench.ts, measures them).
//
// Skip-ahead: when the renderer has more than SKIP_ABOVE characters not yet acked, main stops
// forwarding raw output (counting it as skipped); once the renderer has acked down to
// SNAPSHOT_BELOW, main sends frames of its mirror's screen while the flood goes on, then, once it
// has calmed, the full snapshot with scrollback, and forwards raw output again. The renderer never
// pauses the source any more: the parser watermarks protect main's mirror.
import { FLOW_CONTROL } from '../../shared/terminal';

export const SKIP_AHEAD = {
  /**
   * Unacked characters above which raw output is skipped: about 60 ms of xterm's software
   * rendering of a scrolling flood (~1 MB/s, the terminal issue's closing note, quoted in issue 15), so a
   * keystroke's echo never waits behind more than that in the renderer. One batch
   * (BATCH_MAX_CHARS, 64 Ki) may cross it before the skip starts.
   */
  skipAbove: 64 * 1024,
  /**
   * The renderer has caught up when this little is unacked: it acks every FLOW_CONTROL.ackEvery
   * characters written (and the rest after a short idle), so this is "all but the last ack".
   */
  snapshotBelow: FLOW_CONTROL.lowWatermark,
  /**
   * Characters read since the last snapshot below which the flood is over: the next snapshot is
   * the full one and raw forwarding resumes. A `yes` flood brings ~20 K between two frames (at
   * ~2 M chars/s, a frame's round trip to the renderer ~10 ms); a prompt after Ctrl-C, under 1 K.
   * Frames carry the screen alone: 1,000 lines of scrollback cost the renderer 1,000 scrolls each.
   */
  calmBelow: 4 * 1024,
  /**
   * ... and for this long: a frame's round trip can be shorter than the gaps in a flood as main
   * reads it (the bench saw 38 false ends in 15 s of `yes` with no wait, each costing the renderer
   * a 1,000-line snapshot and 64 K of raw output). Ctrl-C's prompt waits this much longer.
   */
  calmMs: 60,
  /**
   * The least time between two frames: a 60 Hz display never shows a frame sooner. Without it the
   * renderer acked frames every ~12 ms in the bench (75 a second, 810 in 15 s of `yes`), redrawing
   * all 45 rows in the DOM each time; with it, 625 in 15 s. The echo figures of runs with 0, 16 and
   * 33 ms were within one another's noise.
   */
  frameGapMs: 16,
  /**
   * Scrollback lines a snapshot carries: 1,000 full 80-column coloured lines serialize to ~93 K
   * characters, which xterm parses in ~5–17 ms and main serializes in ~13–20 ms (measured on the
   * lab's 2 shared cores, JIT warm; 2,000 lines took 16–28 ms to parse, 5,000 lines 44–147 ms).
   * So a snapshot costs the renderer about one frame, and the flood's last lines are kept.
   */
  snapshotScrollback: 1_000,
  /**
   * Bytes fed to main's headless terminal that its parser has not got through, above which the
   * source pauses. A plain flood rarely gets here: the mirror leaves most of it unparsed
   * (screenMirror.ts, ELIDE_ABOVE). Escape-heavy output is parsed whole, ~3 MB/s for the worst
   * (one scroll per 3 bytes) beside dockerd on the lab's 2 cores, so 256 KiB is ~80 ms: the most
   * a snapshot lags behind the bytes main has read. dockerd and sshd then hold the rest, bounded
   * by TCP and the SSH window, never by main's memory.
   */
  parserHigh: 256 * 1024,
  /**
   * ... and resumes below this: ~5 ms of parsing left, enough to cover the source's resume (the
   * kernel's buffer is full and ready) without toggling the socket on every parsed chunk.
   */
  parserLow: 64 * 1024,
} as const;
