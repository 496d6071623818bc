// Log views: one per open tab (a container, or a service's replicas merged), each following main's
// view (logsOpen, then its logEvents). Lines go into the view's LogBuffer (features/logs/logBuffer.ts:
// merged by logTimeKey then arrival, LOG_LIMITS.maxLines held, the dropped counted), never into
// React state: the state carries a `version` bumped at most once a frame, and the view reads the
// lines from `lines(key)`. What the store has taken it acks (logsAck, in characters, batched like
// the terminals' acks), so main's flow control pauses a flood at its source. The view's search
// (substring or regex), its filter mode and the replicas toggled off are kept here too, with the
// subsets they select kept current as lines come.
import { create } from 'zustand';
import type { Api } from '../../shared/contract';
import { LOG_FLOW_CONTROL, LOG_LIMITS, logLineChars, type LogEvent, type LogSourceState, type LogViewSource } from '../../shared/logs';
import { LogBuffer, LogSubset, type BufferLimits, type LogEntry } from '../features/logs/logBuffer';
import { compileQuery, plainOf, type LogQuery, type Matcher } from '../features/logs/logSearch';
import { AckBatcher } from '../features/terminal/ackBatcher';
import { boundStore, type Store } from './boundStore';
import { errorMessage } from './errorMessage';

export type LogMember = { host: string; id: string; name: string };

/** What a view shows: one container, or every replica of a service. */
export type LogTarget =
  | ({ kind: 'container' } & LogMember)
  | { kind: 'service'; service: string; members: readonly LogMember[] };

/** What a view loads: the last `tail` lines of each source (or all), optionally only those of the last `sinceSeconds`. */
export type LogLoad = { tail: number | 'all'; sinceSeconds: number | undefined };

export const DEFAULT_LOAD: LogLoad = { tail: LOG_LIMITS.defaultTail, sinceSeconds: undefined };

export type LogViewStatus = 'opening' | 'open' | 'failed' | 'ended';

export type LogView = {
  /** The tab's identity (the same across re-opens with another load). */
  key: string;
  target: LogTarget;
  /** "web-1 on h1", "service web (3 replicas)": the log's accessible name is "Logs: " + this. */
  title: string;
  load: LogLoad;
  status: LogViewStatus;
  /** Why it failed or ended. */
  message: string | undefined;
  viewId: string | undefined;
  /** Main's sources of the view (index = a line's src). */
  sources: readonly LogViewSource[];
  states: readonly { state: LogSourceState; message?: string }[];
  /** Sources toggled off (their lines are held, not shown). */
  hidden: ReadonlySet<number>;
  /** Lines main dropped before they were delivered (its 'dropped' total). */
  droppedByMain: number;
  query: LogQuery;
  /** Show only the lines that match. */
  filter: boolean;
  /** The regex's error, when it does not compile. */
  queryError: string | undefined;
  timestamps: boolean;
  wrap: boolean;
  /** Bumped when the lines, the subsets or the current hit change. */
  version: number;
  attempt: number;
};

/** A view's lines, read by the view as `version` moves. */
export type LogLines = {
  /** Every line held, merged. */
  all: LogBuffer;
  /** The lines shown: sources on, and matching in filter mode. */
  shown: LogSubset;
  /** The lines that match the search (sources on). */
  hits: LogSubset;
  /** The hit Enter / Shift+Enter went to last. */
  current: LogEntry | null;
  matcher: Matcher | null;
};

export type LogsState = {
  views: readonly LogView[];
  activeKey: string | null;

  /** Opens a view (or shows the live one of the same target); returns its key. */
  open(target: LogTarget, load?: LogLoad): string;
  /** Opens the view anew with another tail or since (the loaded lines go). */
  reload(key: string, load: LogLoad): void;
  close(key: string): void;
  activate(key: string): void;
  toggleSource(key: string, src: number): void;
  setQuery(key: string, patch: Partial<LogQuery>): void;
  setFilter(key: string, on: boolean): void;
  setTimestamps(key: string, on: boolean): void;
  setWrap(key: string, on: boolean): void;
  /**
   * Moves to the next (+1) or previous (-1) hit, wrapping; with no current hit, to the first one at
   * or after (before, going back) the shown line `from`. Returns the hit's index in `shown`, or -1.
   */
  stepHit(key: string, dir: 1 | -1, from?: number): number;
  lines(key: string): LogLines | undefined;
};

/** What the logs store needs from the core. */
export type LogsApi = Pick<Api, 'logsOpen' | 'logsAck' | 'logsClose' | 'logEvents'>;

export type LogsStoreOptions = {
  /**
   * Runs `fn` (the version bump) before the next frame, or after `delayMs` when that is later;
   * tests pass one that runs at once.
   */
  schedule?: (fn: () => void, delayMs: number) => void;
  limits?: BufferLimits;
};

/**
 * Acks go out at least every this many characters (and a smaller rest after 10 ms): a quarter of
 * main's low watermark, so main resumes a paused view as soon as the renderer has taken what it
 * sent, while a 100,000-line tail (~10 M chars) costs some 40 ack calls, not 2,000 at the terminals' 5,000.
 */
const ACK_EVERY = LOG_FLOW_CONTROL.lowWatermark / 4;

/**
 * While a view loads its tail its lines are drawn at most this often, not every frame: each draw
 * lays out the list and scrolls it to the end, and at 60 a second that was most of the renderer's
 * time in a 100,000-line tail (bench:logs' profile), time taken from the intake. The first lines
 * are drawn at once; followed lines every frame.
 */
export const LOADING_DRAW_MS = 100;

const nextFrame = (fn: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
  else setTimeout(fn, 16);
};
const afterDelay = (fn: () => void, delayMs: number): void => {
  if (delayMs > 0) setTimeout(() => nextFrame(fn), delayMs);
  else nextFrame(fn);
};

export function titleOf(target: LogTarget, sources = target.kind === 'container' ? 1 : target.members.length): string {
  if (target.kind === 'container') return `${target.name} on ${target.host}`;
  const n = target.members.length;
  const count = sources < n ? `${sources} of ${n} replicas` : `${n} ${n === 1 ? 'replica' : 'replicas'}`;
  return `service ${target.service} (${count})`;
}

const sameTarget = (a: LogTarget, b: LogTarget): boolean =>
  a.kind === 'container' ? b.kind === 'container' && a.host === b.host && a.id === b.id : b.kind === 'service' && a.service === b.service;

/**
 * The lines lost to the view: main's (its ring holds only what it has not delivered, so those never
 * came) and the ones the renderer's own bound dropped since (delivered, then dropped): two disjoint sets.
 */
export function droppedOf(view: Pick<LogView, 'droppedByMain'>, lines: LogLines | undefined): number {
  return view.droppedByMain + (lines?.all.dropped ?? 0);
}

type Live = {
  lines: LogLines;
  unsubscribe: (() => void) | undefined;
  acks: AckBatcher | undefined;
};

export function createLogsStore(api: LogsApi, options: LogsStoreOptions = {}): Store<LogsState> {
  const schedule = options.schedule ?? afterDelay;
  const limits = options.limits ?? LOG_LIMITS;
  let seq = 0;
  const live = new Map<string, Live>();

  return create<LogsState>()((set, get) => {
    const find = (key: string) => get().views.find((v) => v.key === key);
    const patch = (key: string, p: Partial<LogView> | ((v: LogView) => Partial<LogView>)) =>
      set((s) => ({ views: s.views.map((v) => (v.key === key ? { ...v, ...(typeof p === 'function' ? p(v) : p) } : v)) }));

    // Version bumps, one per frame for every view whose lines changed (every LOADING_DRAW_MS for a loading one).
    const dirty = new Set<string>();
    const drawnAt = new Map<string, number>();
    const flushDirty = () => {
      if (dirty.size === 0) return;
      const keys = new Set(dirty);
      dirty.clear();
      const now = performance.now();
      for (const key of keys) drawnAt.set(key, now);
      set((s) => ({ views: s.views.map((v) => (keys.has(v.key) ? { ...v, version: v.version + 1 } : v)) }));
    };
    const loading = (key: string) => find(key)?.states.some((s) => s.state === 'loading') ?? false;
    const touch = (key: string) => {
      if (dirty.has(key)) return;
      dirty.add(key);
      const drawn = drawnAt.get(key);
      schedule(flushDirty, drawn !== undefined && loading(key) ? Math.max(0, drawn + LOADING_DRAW_MS - performance.now()) : 0);
    };

    const shownPredicate = (view: LogView, matcher: Matcher | null) => {
      const hidden = view.hidden;
      if (view.filter && matcher) return (e: LogEntry) => !hidden.has(e.src) && matcher.test(plainOf(e));
      if (view.filter && view.query.text !== '') return null; // a regex that does not compile shows nothing
      return hidden.size === 0 ? () => true : (e: LogEntry) => !hidden.has(e.src);
    };
    const hitPredicate = (view: LogView, matcher: Matcher | null) => {
      if (!matcher) return null;
      const hidden = view.hidden;
      return (e: LogEntry) => !hidden.has(e.src) && matcher.test(plainOf(e));
    };

    const emptyLines = (view: LogView): LogLines => {
      const all = new LogBuffer(limits);
      const { matcher } = compileQuery(view.query);
      return { all, shown: new LogSubset(all, shownPredicate(view, matcher)), hits: new LogSubset(all, hitPredicate(view, matcher)), current: null, matcher };
    };

    /** The view's subsets taken again after its search, filter or hidden sources changed. */
    const reselect = (key: string) => {
      const view = find(key);
      const l = live.get(key)?.lines;
      if (!view || !l) return;
      const { matcher, error } = compileQuery(view.query);
      l.matcher = matcher;
      l.shown.rebuild(shownPredicate(view, matcher));
      l.hits.rebuild(hitPredicate(view, matcher));
      if (l.current && l.hits.indexOf(l.current) < 0) l.current = null;
      if (view.queryError !== error) patch(key, { queryError: error });
      touch(key);
    };

    const stop = (key: string) => {
      const l = live.get(key);
      if (!l) return;
      l.unsubscribe?.();
      l.unsubscribe = undefined;
      l.acks?.flush();
      l.acks?.dispose();
      l.acks = undefined;
    };

    const onEvent = (key: string, viewId: string, event: LogEvent) => {
      const l = live.get(key);
      if (!l || find(key)?.viewId !== viewId) return;
      if (event.t === 'lines') {
        const change = l.lines.all.insert(event.lines);
        l.lines.shown.update(change);
        l.lines.hits.update(change);
        if (l.lines.current && change.dropped > 0 && l.lines.current.ord < l.lines.all.firstOrd) l.lines.current = null;
        let chars = 0;
        for (const line of event.lines) chars += logLineChars(line);
        l.acks?.written(chars);
        touch(key);
      } else if (event.t === 'dropped') {
        patch(key, { droppedByMain: event.total });
      } else {
        patch(key, (v) => ({ states: v.states.map((s, i) => (i === event.src ? { state: event.state, ...(event.message ? { message: event.message } : {}) } : s)) }));
        // Loaded: lines waiting for a loading view's next draw go now.
        if (dirty.has(key) && !loading(key)) schedule(flushDirty, 0);
      }
    };

    /** One open attempt; its answer lands only if the view still waits for that attempt. */
    const start = async (key: string) => {
      const view = find(key);
      if (!view) return;
      const attempt = view.attempt + 1;
      stop(key);
      drawnAt.delete(key); // a new load's first lines are drawn at once
      live.set(key, { lines: emptyLines(view), unsubscribe: undefined, acks: undefined });
      patch(key, { status: 'opening', attempt, viewId: undefined, message: undefined, sources: [], states: [], droppedByMain: 0, version: view.version + 1 });
      const members = view.target.kind === 'container' ? [view.target] : view.target.members.slice(0, LOG_LIMITS.maxSources);
      const { tail, sinceSeconds } = view.load;
      let result;
      try {
        result = await api.logsOpen({ sources: members.map((m) => ({ host: m.host, id: m.id })), tail, ...(sinceSeconds !== undefined ? { sinceSeconds } : {}), follow: true });
      } catch (err) {
        result = { ok: false as const, message: errorMessage(err) };
      }
      const now = find(key);
      if (!now || now.attempt !== attempt) {
        // Closed or re-opened while we waited: leave no view behind in main.
        if (result.ok) void api.logsClose({ viewId: result.viewId }).catch(() => {});
        return;
      }
      if (!result.ok) {
        patch(key, { status: 'failed', message: result.message });
        return;
      }
      const { viewId, sources } = result;
      patch(key, {
        status: 'open', viewId, sources, states: sources.map(() => ({ state: 'loading' as const })),
        title: titleOf(view.target, sources.length),
      });
      const l = live.get(key)!;
      l.acks = new AckBatcher((chars) => void api.logsAck({ viewId, chars }).catch(() => {}), ACK_EVERY);
      l.unsubscribe = api.logEvents({ viewId }, (e) => onEvent(key, viewId, e), (error) => {
        if (find(key)?.viewId !== viewId) return;
        stop(key);
        patch(key, { status: 'ended', message: error ? errorMessage(error) : 'The view was closed.' });
      });
    };

    return {
      views: [],
      activeKey: null,

      open(target, load = DEFAULT_LOAD) {
        const same = get().views.find((v) => v.status !== 'failed' && v.status !== 'ended' && sameTarget(v.target, target));
        if (same) {
          set({ activeKey: same.key });
          return same.key;
        }
        const key = `log${++seq}`;
        const view: LogView = {
          key, target, title: titleOf(target, Math.min(LOG_LIMITS.maxSources, target.kind === 'container' ? 1 : target.members.length)), load,
          status: 'opening', message: undefined, viewId: undefined, sources: [], states: [], hidden: new Set(), droppedByMain: 0,
          query: { text: '', regex: false, caseSensitive: false }, filter: false, queryError: undefined,
          timestamps: true, wrap: false, version: 0, attempt: 0,
        };
        set((s) => ({ views: [...s.views, view], activeKey: key }));
        void start(key);
        return key;
      },

      reload(key, load) {
        const view = find(key);
        if (!view) return;
        const viewId = view.viewId;
        stop(key);
        if (viewId) void api.logsClose({ viewId }).catch(() => {});
        patch(key, { load });
        void start(key);
      },

      close(key) {
        const s = get();
        const i = s.views.findIndex((v) => v.key === key);
        const view = s.views[i];
        if (!view) return;
        stop(key);
        live.delete(key);
        dirty.delete(key);
        drawnAt.delete(key);
        if (view.viewId) void api.logsClose({ viewId: view.viewId }).catch(() => {});
        const views = s.views.filter((v) => v.key !== key);
        const neighbour = views[Math.min(i, views.length - 1)];
        set({ views, activeKey: s.activeKey === key ? (neighbour?.key ?? null) : s.activeKey });
      },

      activate(key) {
        if (find(key)) set({ activeKey: key });
      },

      toggleSource(key, src) {
        const view = find(key);
        if (!view) return;
        const hidden = new Set(view.hidden);
        if (hidden.has(src)) hidden.delete(src);
        else hidden.add(src);
        patch(key, { hidden });
        reselect(key);
      },

      setQuery(key, p) {
        const view = find(key);
        if (!view) return;
        patch(key, { query: { ...view.query, ...p } });
        const l = live.get(key)?.lines;
        if (l) l.current = null;
        reselect(key);
      },

      setFilter(key, on) {
        if (find(key)?.filter === on) return;
        patch(key, { filter: on });
        reselect(key);
      },

      setTimestamps: (key, on) => patch(key, { timestamps: on }),
      setWrap: (key, on) => patch(key, { wrap: on }),

      stepHit(key, dir, from = 0) {
        const l = live.get(key)?.lines;
        if (!l || l.hits.length === 0) return -1;
        const { hits, shown } = l;
        let i = l.current ? hits.indexOf(l.current) : -1;
        if (i >= 0) i = (i + dir + hits.length) % hits.length;
        else {
          const anchor = shown.at(Math.max(0, Math.min(from, shown.length - 1)));
          const below = anchor ? hits.countBelow(anchor.ord) : 0;
          // Forward: the first hit at or after the anchor; back: the last one before it (wrapping).
          i = dir === 1 ? (below < hits.length ? below : 0) : below > 0 ? below - 1 : hits.length - 1;
        }
        l.current = hits.at(i)!;
        touch(key);
        return shown.indexOf(l.current);
      },

      lines: (key) => live.get(key)?.lines,
    };
  });
}

/** The app's logs store (bound at boot). */
export const useLogs = boundStore<LogsState>('logs');
