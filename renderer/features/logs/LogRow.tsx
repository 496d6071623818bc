// One line of a log view: the source's coloured tag (merged views), the time, a stderr mark
// (colour, a bar and the word), and the text with its ANSI colours and search hits.
import { memo } from 'react';
import type { LogViewSource } from '../../../shared/logs';
import { segmentsOf, withHits, type Segment } from './ansi';
import type { LogEntry } from './logBuffer';
import { displayTime, TAG_COLOURS } from './logFormat';
import { plainOf, type Matcher } from './logSearch';

const segmentCache = new WeakMap<LogEntry, Segment[]>();
function segments(e: LogEntry): Segment[] {
  let s = segmentCache.get(e);
  if (!s) {
    s = segmentsOf(e.line);
    segmentCache.set(e, s);
  }
  return s;
}

export type RowOptions = {
  /** Draw the tag (a view of more than one source). */
  tags: boolean;
  timestamps: boolean;
  /** "YYYY-MM-DD" today, local: other days' lines show their date. */
  today: string;
  matcher: Matcher | null;
};

type Props = RowOptions & {
  entry: LogEntry;
  source: LogViewSource | undefined;
  index: number;
  top: number;
  current: boolean;
  measure?: (el: HTMLElement | null) => void;
};

export const LogRow = memo(function LogRow({ entry, source, index, top, current, tags, timestamps, today, matcher, measure }: Props) {
  const ranges = matcher ? matcher.ranges(plainOf(entry)) : [];
  const parts = withHits(segments(entry), ranges);
  const err = entry.stream === 'stderr';
  return (
    <div
      ref={measure}
      data-index={index}
      className={`log-row${err ? ' is-stderr' : ''}${ranges.length > 0 ? ' has-hit' : ''}${current ? ' is-current' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      {tags && (
        <span className={`log-tag tag-c${entry.src % TAG_COLOURS}`} title={source ? `${source.name} on ${source.host}` : undefined}>
          {source?.tag ?? entry.src}
        </span>
      )}
      {timestamps && <span className="log-time" title={entry.time}>{displayTime(entry, today)}</span>}
      <span className="log-stream" title={err ? 'stderr' : undefined}>{err ? 'err' : ''}</span>
      <span className="log-text">
        {parts.map((p, i) => (
          <span
            key={i}
            className={`${p.className}${p.hit ? ' log-hit' : ''}` || undefined}
            style={p.color || p.background ? { color: p.color, backgroundColor: p.background } : undefined}
          >
            {p.text}
          </span>
        ))}
      </span>
    </div>
  );
});
