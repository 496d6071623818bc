// The lines of a log view: role="log", virtualised (@tanstack/react-virtual: fixed-height rows
// while lines do not wrap, so 100,000 lines cost the ~60 rows on screen; measured rows when they
// wrap), with the dropped marker first when the bound has dropped lines.
//
// Follow: while following, the newest line stays in view. Scrolling up (wheel, keys, the
// scrollbar) pauses it; End, the "N new lines" button, or scrolling back to the bottom resume it.
// While paused the lines in view stay put when older ones are dropped or merged in above.
//
// Keys (the log focused): ↑/↓ a line, PageUp/PageDown a page, Home the first line, End the last
// (and follow), ←/→ sideways while lines do not wrap.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type CSSProperties, type KeyboardEvent, type RefObject } from 'react';
import { formatCount } from '../../components/format';
import { droppedOf, type LogLines, type LogView } from '../../stores/logs';
import type { LogEntry } from './logBuffer';
import { displayTime, viewState } from './logFormat';
import { LogRow, type RowOptions } from './LogRow';

/** A line's height in px without wrapping (12 px mono at 1.5): keep in step with logs.css --log-row-h. */
export const LOG_ROW_HEIGHT = 20;
/** Rows drawn beyond the visible ones on each side: a wheel step's worth. */
const OVERSCAN = 16;
/** Within this of the bottom counts as at the bottom (a row: sub-pixel zoom rounding). */
const BOTTOM_SLACK = LOG_ROW_HEIGHT;
/** A scroll this soon after a wheel, key or pointer press is the user's (ms). */
const INTENT_MS = 600;

/** What the pane asks of the list. */
export type ListControls = {
  /** Brings a shown line into view (centred), pausing follow. */
  reveal(shownIndex: number): void;
  /** To the newest line, following again. */
  toEnd(): void;
  /** The shown line at the top of the view. */
  topIndex(): number;
};

type Props = {
  id: string | undefined;
  view: LogView;
  lines: LogLines;
  following: boolean;
  setFollowing(on: boolean, at?: LogEntry | null): void;
  options: RowOptions;
  controls: RefObject<ListControls | null>;
};

export function LogList({ id, view, lines, following, setFollowing, options, controls }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { shown } = lines;
  const dropped = droppedOf(view, lines);
  const marker = dropped > 0 ? 1 : 0;
  const count = shown.length + marker;
  const wrap = view.wrap;

  // The virtualizer lays out every row again when getItemKey changes (100,000 of them: most of a
  // frame), so it changes only with the lines. Unwrapped rows are all alike and keyed by index;
  // wrapped rows by their line, so a measured height follows the line when the list shifts.
  const version = view.version;
  const lineKey = useCallback((i: number) => (i < marker ? -1 : (shown.at(i - marker)?.ord ?? i)), [shown, marker, version]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: OVERSCAN,
    ...(wrap ? { getItemKey: lineKey } : {}),
  });
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);

  // The user's intent to scroll (scroll events of our own making never pause follow).
  const intentAt = useRef(0);
  const pointerDown = useRef(false);
  const lastTop = useRef(0);
  /** The line at the top of the view while paused, and how far into it the view is scrolled. */
  const anchor = useRef<{ entry: LogEntry; offset: number } | null>(null);
  const followingRef = useRef(following);
  followingRef.current = following;

  const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
  const lastEntry = () => shown.at(shown.length - 1) ?? null;

  const rememberAnchor = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const item = virtualizer.getVirtualItems().find((v) => v.end > el.scrollTop && v.index >= marker);
    const entry = item ? shown.at(item.index - marker) : undefined;
    anchor.current = entry && item ? { entry, offset: el.scrollTop - item.start } : null;
  }, [virtualizer, shown, marker]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const user = pointerDown.current || performance.now() - intentAt.current < INTENT_MS;
    const up = el.scrollTop < lastTop.current - 1;
    lastTop.current = el.scrollTop;
    let follow = followingRef.current;
    if (follow && user && up) {
      follow = false;
      setFollowing(false, lastEntry());
    } else if (!follow && user && atBottom(el)) {
      follow = true;
      setFollowing(true);
    }
    // Before React renders the change: the next scroll event must see it already.
    followingRef.current = follow;
    if (!follow) rememberAnchor();
  };

  // After every change: the newest line in view while following; the anchored line kept in place while paused.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || count === 0) return;
    if (following) {
      // Past the end, clamped by the browser: no scrollHeight read, nor the virtualizer's scroll
      // command re-checked on the next frames (scrollToIndex: a forced layout on every frame while
      // lines arrive: ~300 ms of a 2.2 s 100,000-line tail in bench:logs' renderer profile).
      el.scrollTop = virtualizer.getTotalSize();
      lastTop.current = el.scrollTop;
      return;
    }
    const a = anchor.current;
    if (!a) return;
    const i = shown.indexOf(a.entry);
    if (i < 0) return;
    const start = virtualizer.getOffsetForIndex(i + marker, 'start')?.[0];
    if (start !== undefined && Math.abs(start + a.offset - el.scrollTop) > 1) {
      el.scrollTop = start + a.offset;
      lastTop.current = el.scrollTop;
    }
  }, [view.version, count, following, wrap, virtualizer, shown, marker]);

  controls.current = {
    reveal: (i) => {
      if (followingRef.current) setFollowing(false, lastEntry());
      virtualizer.scrollToIndex(i + marker, { align: 'center' });
      requestAnimationFrame(rememberAnchor);
    },
    toEnd: () => {
      setFollowing(true);
      virtualizer.scrollToIndex(count - 1, { align: 'end' });
    },
    topIndex: () => {
      const el = scrollRef.current;
      const item = el ? virtualizer.getVirtualItems().find((v) => v.end > el.scrollTop) : undefined;
      return Math.max(0, (item?.index ?? 0) - marker);
    },
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = scrollRef.current;
    if (!el) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const page = Math.max(LOG_ROW_HEIGHT, el.clientHeight - LOG_ROW_HEIGHT);
    const by: Record<string, number> = { ArrowUp: -LOG_ROW_HEIGHT, ArrowDown: LOG_ROW_HEIGHT, PageUp: -page, PageDown: page };
    if (e.key in by) {
      e.preventDefault();
      intentAt.current = performance.now();
      el.scrollTop += by[e.key]!;
    } else if (e.key === 'Home') {
      e.preventDefault();
      intentAt.current = performance.now();
      el.scrollTop = 0;
    } else if (e.key === 'End') {
      e.preventDefault();
      controls.current?.toEnd();
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !wrap) {
      e.preventDefault();
      el.scrollLeft += e.key === 'ArrowLeft' ? -80 : 80;
    }
  };

  const items = virtualizer.getVirtualItems();
  const tagWidth = Math.max(4, ...view.sources.map((s) => s.tag.length));
  const state = viewState(view);
  // Lines of another day show their date: the time column widens for them (the oldest line says whether any does).
  const oldest = shown.at(0);
  const dated = options.timestamps && oldest !== undefined && displayTime(oldest, options.today).includes(' ');
  return (
    <div
      id={id}
      ref={scrollRef}
      role="log"
      // Announcing every line of a flood would drown a screen reader: the pane's status says how many came.
      aria-live="off"
      aria-label={`Logs: ${view.title}`}
      aria-busy={state === 'opening' || state === 'loading'}
      aria-keyshortcuts="ArrowUp ArrowDown PageUp PageDown Home End / Control+F"
      data-lines={lines.all.length}
      data-state={state}
      tabIndex={0}
      className={`log-scroll${wrap ? ' is-wrapped' : ''}${options.tags ? ' has-tags' : ''}${options.timestamps ? ' has-times' : ''}${dated ? ' has-dates' : ''}`}
      style={{ '--log-tag-ch': `${tagWidth}ch` } as CSSProperties}
      onScroll={onScroll}
      onWheel={() => { intentAt.current = performance.now(); }}
      onPointerDown={() => { pointerDown.current = true; intentAt.current = performance.now(); }}
      onPointerUp={() => { pointerDown.current = false; }}
      onPointerCancel={() => { pointerDown.current = false; }}
      onKeyDown={onKeyDown}
    >
      <div
        className="log-space"
        style={{ height: virtualizer.getTotalSize(), minWidth: wrap ? undefined : `calc(var(--log-gutter) + ${Math.min(lines.all.longest, 20_000)}ch)` }}
      >
        {shown.length === 0 && state !== 'opening' && state !== 'loading' && (
          <p className="log-none">{lines.all.length > 0 ? 'No line shown: every line is filtered out or its source toggled off.' : 'No lines yet.'}</p>
        )}
        {items.map((v) => {
          if (v.index < marker) {
            return (
              <div key={v.key} data-index={v.index} ref={wrap ? virtualizer.measureElement : undefined} className="log-row log-dropped" style={{ transform: `translateY(${v.start}px)` }}>
                {formatCount(dropped)} earlier {dropped === 1 ? 'line' : 'lines'} dropped: the view holds the newest {formatCount(lines.all.length)}
              </div>
            );
          }
          const entry = shown.at(v.index - marker);
          if (!entry) return null;
          return (
            <LogRow
              key={v.key}
              entry={entry}
              source={view.sources[entry.src]}
              index={v.index}
              top={v.start}
              current={entry === lines.current}
              measure={wrap ? virtualizer.measureElement : undefined}
              {...options}
            />
          );
        })}
      </div>
    </div>
  );
}
