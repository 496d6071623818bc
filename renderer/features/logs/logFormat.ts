// How the log view words things: a line's time (local, to the millisecond), a view's state for
// data-state, and the text of a download. Pure.
import type { LogSourceState, LogViewSource } from '../../../shared/logs';
import type { LogView } from '../../stores/logs';
import type { LogEntry } from './logBuffer';
import { plainOf } from './logSearch';

/** The tag colours (logs.css .tag-c0 … .tag-c7): eight hues that stay apart in both themes. */
export const TAG_COLOURS = 8;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Milliseconds of a daemon timestamp (its fraction cut to milliseconds), or NaN. */
export function timeMs(time: string): number {
  return Date.parse(time.replace(/(\.\d{1,3})\d*Z$/, '$1Z'));
}

const shown = new WeakMap<LogEntry, string>();
/** "13:04:05.123" in local time; "12-01 13:04:05.123" for a line of another day than `today` ("YYYY-MM-DD" local). */
export function displayTime(e: LogEntry, today: string): string {
  let s = shown.get(e);
  if (s === undefined) {
    const ms = timeMs(e.time);
    if (Number.isNaN(ms)) s = e.time;
    else {
      const d = new Date(ms);
      const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
      s = day === today ? clock : `${day.slice(5)} ${clock}`;
    }
    shown.set(e, s);
  }
  return s;
}

export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The view as a whole, for data-state (the benchmark reads it): opening, loading (a tail still coming), following, ended or failed. */
export type LogViewState = 'opening' | 'loading' | 'following' | 'ended' | 'failed';

export function viewState(view: Pick<LogView, 'status' | 'states'>): LogViewState {
  if (view.status === 'opening') return 'opening';
  if (view.status === 'failed') return 'failed';
  const states: LogSourceState[] = view.states.map((s) => s.state);
  if (states.includes('loading')) return 'loading';
  if (view.status === 'ended') return 'ended';
  if (states.includes('following')) return 'following';
  return states.length > 0 && states.every((s) => s === 'failed') ? 'failed' : 'ended';
}

/** One line a line: "TIME TAG STREAM TEXT", the text without escapes (what `grep` wants). */
export function downloadText(entries: Iterable<LogEntry>, sources: readonly LogViewSource[]): string {
  let out = '';
  for (const e of entries) out += `${e.time} ${sources[e.src]?.tag ?? e.src} ${e.stream} ${plainOf(e)}\n`;
  return out;
}

/** "logs-web-1-on-h1-20261202-013000.log". */
export function downloadName(title: string, ms: number): string {
  const d = new Date(ms);
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `logs-${slug}-${stamp}.log`;
}
