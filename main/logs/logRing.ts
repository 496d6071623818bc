// What a log view holds while nobody subscribes: its events in order, bounded by LOG_LIMITS
// (lines and characters). Past the bound the oldest lines go, counted; the next subscriber
// first gets a 'dropped' event with the total. A full ring pauses the view's sources (see
// StreamSession), so the drops are only what was already on its way.
import { LOG_LIMITS, logLineChars, type LogEvent, type LogLine } from '../../shared/logs';
import type { Hold } from '../streams/streamSession';

export interface RingLimits {
  maxLines: number;
  maxChars: number;
}

type LinesEvent = Extract<LogEvent, { t: 'lines' }>;

export class LogRing implements Hold<LogEvent> {
  private events: LogEvent[] = [];
  private lines = 0;
  private heldChars = 0;
  private droppedTotal = 0;
  private droppedTold = 0;

  constructor(
    /** Characters of dropped lines: they will never be acked. */
    private readonly onDrop: (chars: number) => void,
    private readonly limits: RingLimits = LOG_LIMITS,
  ) {}

  get chars(): number {
    return this.heldChars;
  }

  get heldLines(): number {
    return this.lines;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  get full(): boolean {
    return this.lines >= this.limits.maxLines || this.heldChars >= this.limits.maxChars;
  }

  push(event: LogEvent): void {
    if (event.t === 'dropped') return; // the ring says its own total when drained
    this.events.push(event);
    if (event.t !== 'lines') return;
    this.lines += event.lines.length;
    this.heldChars += charsOf(event.lines);
    this.trim();
  }

  drain(): LogEvent[] {
    const events = this.events;
    this.events = [];
    this.lines = 0;
    this.heldChars = 0;
    if (this.droppedTotal === this.droppedTold) return events;
    this.droppedTold = this.droppedTotal;
    return [{ t: 'dropped', total: this.droppedTotal }, ...events];
  }

  private trim(): void {
    let dropLines = 0;
    let dropChars = 0;
    while (this.lines > this.limits.maxLines || this.heldChars > this.limits.maxChars) {
      const index = this.events.findIndex((e) => e.t === 'lines');
      const oldest = this.events[index] as LinesEvent;
      const over = this.lines - this.limits.maxLines;
      // Drop whole events while that is not too much, else the oldest lines one by one.
      let cut = 0;
      let cutChars = 0;
      while (cut < oldest.lines.length && (cut < over || this.heldChars - cutChars > this.limits.maxChars)) cutChars += logLineChars(oldest.lines[cut++]!);
      if (cut === oldest.lines.length) this.events.splice(index, 1);
      else this.events[index] = { t: 'lines', lines: oldest.lines.slice(cut) };
      this.lines -= cut;
      this.heldChars -= cutChars;
      dropLines += cut;
      dropChars += cutChars;
    }
    if (dropLines === 0) return;
    this.droppedTotal += dropLines;
    this.onDrop(dropChars);
  }
}

export function charsOf(lines: readonly LogLine[]): number {
  let chars = 0;
  for (const line of lines) chars += logLineChars(line);
  return chars;
}
