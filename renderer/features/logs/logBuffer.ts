// A log view's lines in the renderer: merged by logTimeKey (then by arrival), bounded at
// LOG_LIMITS (the oldest go, counted), and the ordered subsets the view draws from (the lines
// shown, the search's hits), kept current incrementally so that a batch costs what it adds, not
// what the view holds. Pure: no DOM, no store.
//
// Each entry carries `ord`, increasing along the buffer. A batch older than the newest line is
// merged into the buffer's tail from the first position it changes, and the entries from there
// are renumbered; a subset then cuts everything after the last unchanged entry's ord and takes
// the changed tail again. Dropping the oldest cuts each subset's head by ord the same way.
import { LOG_LIMITS, logTimeKey, type LogLine } from '../../../shared/logs';

export type LogEntry = {
  readonly src: number;
  readonly stream: 'stdout' | 'stderr';
  /** The daemon's timestamp, as given. */
  readonly time: string;
  /** The text with its ANSI escapes. */
  readonly line: string;
  /** logTimeKey(time): compares as a string. */
  readonly key: string;
  /** Increasing along the buffer (renumbered when a merge moves entries). */
  ord: number;
};

/** What one insert changed: subsets re-take the buffer from `from`, then drop entries before the head. */
export type BufferChange = { from: number; dropped: number };

export type BufferLimits = { maxLines: number; maxChars: number };

/**
 * Dropped entries are left in front of `head` and spliced away in one go once this many gather:
 * a flood at the bound then costs one array move every few thousand lines, not one per batch.
 */
const COMPACT_AT = 4096;

export class LogBuffer {
  private items: LogEntry[] = [];
  private head = 0;
  private nextOrd = 0;
  private chars = 0;
  /** Lines this buffer dropped so far by its bound. */
  dropped = 0;
  /** The longest line held so far (characters of its text), for the scroll width. */
  longest = 0;

  constructor(private readonly limits: BufferLimits = LOG_LIMITS) {}

  get length(): number {
    return this.items.length - this.head;
  }

  at(i: number): LogEntry | undefined {
    return i < 0 ? undefined : this.items[this.head + i];
  }

  /** The oldest entry's ord (what subsets keep from), or Infinity when empty. */
  get firstOrd(): number {
    return this.items[this.head]?.ord ?? Infinity;
  }

  /** Inserts a batch (any order; a main batch is in time order already) and applies the bound. */
  insert(lines: readonly LogLine[]): BufferChange {
    if (lines.length === 0) return { from: this.length, dropped: 0 };
    const batch: LogEntry[] = lines.map((l) => ({ src: l.src, stream: l.stream, time: l.time, line: l.line, key: logTimeKey(l.time), ord: 0 }));
    if (!sorted(batch)) batch.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // stable: arrival order within a time
    for (const e of batch) {
      this.chars += e.line.length;
      if (e.line.length > this.longest) this.longest = e.line.length;
    }
    // The first position whose key is above the batch's oldest: equal keys keep the earlier arrival first.
    const at = this.upperBound(batch[0]!.key);
    const items = this.items;
    if (at === items.length) {
      for (const e of batch) {
        e.ord = this.nextOrd++;
        items.push(e);
      }
    } else {
      const tail = items.splice(at);
      let i = 0;
      let j = 0;
      while (i < tail.length && j < batch.length) items.push(batch[j]!.key < tail[i]!.key ? batch[j++]! : tail[i++]!);
      while (i < tail.length) items.push(tail[i++]!);
      while (j < batch.length) items.push(batch[j++]!);
      let ord = at > 0 ? items[at - 1]!.ord + 1 : this.nextOrd;
      for (let k = at; k < items.length; k++) items[k]!.ord = ord++;
      this.nextOrd = ord;
    }
    const from = at - this.head;
    return { from, dropped: this.trim() };
  }

  /** The oldest go while the bound is passed; returns how many. */
  private trim(): number {
    let n = 0;
    while (this.length > 0 && (this.length > this.limits.maxLines || this.chars > this.limits.maxChars)) {
      this.chars -= this.items[this.head]!.line.length;
      this.head++;
      n++;
    }
    this.dropped += n;
    if (this.head >= COMPACT_AT) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return n;
  }

  private upperBound(key: string): number {
    let lo = this.head;
    let hi = this.items.length;
    // The usual case, a batch newer than everything held, without a search.
    if (hi > lo && this.items[hi - 1]!.key <= key) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.key <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every entry held, oldest first. */
  *entries(): IterableIterator<LogEntry> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}

function sorted(batch: readonly LogEntry[]): boolean {
  for (let i = 1; i < batch.length; i++) if (batch[i]!.key < batch[i - 1]!.key) return false;
  return true;
}

/** The entries of a buffer that pass a predicate, in buffer order, kept current by update(). */
export class LogSubset {
  private items: LogEntry[] = [];

  constructor(private readonly buffer: LogBuffer, private predicate: ((e: LogEntry) => boolean) | null) {
    this.rebuild(predicate);
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): LogEntry | undefined {
    return this.items[i];
  }

  /** A new predicate (null: no entry passes): taken again from the whole buffer. */
  rebuild(predicate: ((e: LogEntry) => boolean) | null): void {
    this.predicate = predicate;
    this.items = [];
    if (predicate) for (const e of this.buffer.entries()) if (predicate(e)) this.items.push(e);
  }

  /** After buffer.insert() returned `change`. */
  update(change: BufferChange): void {
    const { buffer, predicate } = this;
    if (!predicate) return;
    const items = this.items;
    // Buffer positions from `change.from` on changed; if the bound dropped past them, all did.
    const from = Math.max(0, change.from - change.dropped);
    const keepUpTo = from > 0 ? buffer.at(from - 1)!.ord : -Infinity;
    items.length = this.countAtMost(keepUpTo);
    for (let i = from; i < buffer.length; i++) {
      const e = buffer.at(i)!;
      if (predicate(e)) items.push(e);
    }
    if (change.dropped > 0) {
      const first = buffer.firstOrd;
      const gone = this.countBelow(first);
      if (gone > 0) items.splice(0, gone);
    }
  }

  /** The index of an entry in this subset, or -1. */
  indexOf(e: LogEntry): number {
    const i = this.countBelow(e.ord);
    return this.items[i] === e ? i : -1;
  }

  /** How many entries have an ord below `ord` (the index of the first at or above it). */
  countBelow(ord: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.ord < ord) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private countAtMost(ord: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.ord <= ord) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every entry, in order. */
  *entries(): IterableIterator<LogEntry> {
    yield* this.items;
  }
}
