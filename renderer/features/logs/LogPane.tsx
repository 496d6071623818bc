// One log view: its sources (a coloured chip each, toggled on and off, with its state), what it
// loads (since preset and tail size: a change opens it anew), timestamps, wrap, follow and
// Download; the search (substring or regex, match case, filter mode, the count, next and previous
// with Enter and Shift+Enter; / or Ctrl+F anywhere in the pane goes there, Escape back to the
// lines); the lines (LogList); and a status line that says how many lines
// are loaded, dropped, and new while follow is paused.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { LOG_SINCE_PRESETS } from '../../../shared/logs';
import { formatCount } from '../../components/format';
import { droppedOf, useLogs, type LogLoad, type LogView } from '../../stores/logs';
import type { LogEntry } from './logBuffer';
import { downloadName, downloadText, localDay, TAG_COLOURS } from './logFormat';
import { LogList, type ListControls } from './LogList';
import { saveText } from './saveFile';

const TAILS: readonly (number | 'all')[] = [100, 1000, 10_000, 100_000, 'all'];
const SINCE_LABEL: Record<keyof typeof LOG_SINCE_PRESETS, string> = { '5m': 'last 5 min', '1h': 'last 1 h', '24h': 'last 24 h' };
const STATE_WORD = { loading: 'loading', following: 'following', ended: 'ended', failed: 'failed' } as const;

export function LogPane({ view, logId }: { view: LogView; logId: string }) {
  const lines = useLogs.getState().lines(view.key);
  const [following, setFollowingState] = useState(true);
  const pausedAt = useRef<LogEntry | null>(null);
  const controls = useRef<ListControls | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const logs = useLogs.getState();

  const setFollowing = (on: boolean, at: LogEntry | null = null) => {
    pausedAt.current = on ? null : at;
    setFollowingState(on);
  };
  // A new load (since, tail) starts at its newest line.
  useEffect(() => setFollowing(true), [view.viewId]);

  if (!lines) return null;
  const { shown, hits } = lines;
  const dropped = droppedOf(view, lines);
  // Shown lines after the one that was last when follow paused (by ord: it may since be filtered out or dropped).
  const newLines = following ? 0 : pausedAt.current ? shown.length - shown.countBelow(pausedAt.current.ord + 1) : 0;
  const focusLog = () => document.getElementById(logId)?.focus();
  const focusSearch = () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  };

  const step = (dir: 1 | -1) => {
    const i = logs.stepHit(view.key, dir, controls.current?.topIndex());
    if (i >= 0) controls.current?.reveal(i);
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      step(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (view.query.text !== '') logs.setQuery(view.key, { text: '' });
      else focusLog();
    }
  };
  // The search from anywhere in the pane but a text field: / or Ctrl+F.
  const onPaneKey = (e: KeyboardEvent<HTMLElement>) => {
    const t = e.target as HTMLElement;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || e.altKey || e.metaKey) return;
    if ((e.key === '/' && !e.ctrlKey) || (e.ctrlKey && !e.shiftKey && e.key.toLowerCase() === 'f')) {
      e.preventDefault();
      focusSearch();
    }
  };
  const reload = (load: Partial<LogLoad>) => logs.reload(view.key, { ...view.load, ...load });
  const sinceValue = Object.entries(LOG_SINCE_PRESETS).find(([, s]) => s === view.load.sinceSeconds)?.[0] ?? '';
  const currentHit = lines.current ? hits.indexOf(lines.current) : -1;
  const count = view.query.text === '' ? '' : view.queryError ? 'Invalid regex' : hits.length === 0 ? 'No matches'
    : currentHit >= 0 ? `${formatCount(currentHit + 1)} of ${formatCount(hits.length)}` : `${formatCount(hits.length)} ${hits.length === 1 ? 'match' : 'matches'}`;
  const multi = view.sources.length > 1;
  const following_ = view.states.filter((s) => s.state === 'following').length;

  return (
    <section className="log-pane" aria-label={view.title} aria-keyshortcuts="/ Control+F" onKeyDown={onPaneKey}>
      <div className="toolbar log-toolbar">
        <div className="log-sources" role="group" aria-label="Sources">
          {view.sources.map((s, i) => {
            const st = view.states[i];
            const on = !view.hidden.has(i);
            return (
              <button
                key={`${s.host}/${s.id}`}
                type="button"
                className={`log-source tag-c${i % TAG_COLOURS}${on ? ' is-on' : ''} state-${st?.state ?? 'loading'}`}
                aria-pressed={on}
                aria-label={s.tag}
                disabled={!multi && on}
                title={`${s.name} on ${s.host}: ${st?.message ?? STATE_WORD[st?.state ?? 'loading']}${multi ? ` (${on ? 'shown; click to hide' : 'hidden; click to show'})` : ''}`}
                onClick={() => logs.toggleSource(view.key, i)}
              >
                <span className="log-swatch" aria-hidden="true" />
                {s.tag}
                <span className="log-source-state">{st?.state === 'failed' ? `failed: ${st.message ?? ''}` : STATE_WORD[st?.state ?? 'loading']}</span>
              </button>
            );
          })}
          {view.status === 'opening' && <span className="muted"><span className="spinner" aria-hidden="true" /> Opening…</span>}
        </div>
        <div className="log-controls">
          <label className="log-field">
            Since
            <select value={sinceValue} onChange={(e) => reload({ sinceSeconds: e.target.value ? LOG_SINCE_PRESETS[e.target.value as keyof typeof LOG_SINCE_PRESETS] : undefined })}>
              <option value="">any time</option>
              {Object.keys(LOG_SINCE_PRESETS).map((k) => <option key={k} value={k}>{SINCE_LABEL[k as keyof typeof LOG_SINCE_PRESETS]}</option>)}
            </select>
          </label>
          <label className="log-field">
            Tail
            <select value={String(view.load.tail)} onChange={(e) => reload({ tail: e.target.value === 'all' ? 'all' : Number(e.target.value) })}>
              {TAILS.map((t) => <option key={t} value={String(t)}>{t === 'all' ? 'all' : formatCount(t)}</option>)}
            </select>
          </label>
          <Toggle on={view.timestamps} title="The daemon's time of each line" onClick={() => logs.setTimestamps(view.key, !view.timestamps)}>Timestamps</Toggle>
          <Toggle on={view.wrap} title="Wrap long lines (else scroll sideways)" onClick={() => logs.setWrap(view.key, !view.wrap)}>Wrap</Toggle>
          <Toggle
            on={following}
            title={following ? 'Following the newest line (scroll up to pause)' : 'Paused: resume with End'}
            onClick={() => (following ? setFollowing(false, shown.at(shown.length - 1) ?? null) : controls.current?.toEnd())}
          >
            Follow
          </Toggle>
          <button
            type="button"
            className="btn btn-small"
            disabled={shown.length === 0}
            title={`Save the ${formatCount(shown.length)} lines shown as a text file`}
            onClick={() => saveText(downloadName(view.title, Date.now()), downloadText(shown.entries(), view.sources))}
          >
            Download
          </button>
        </div>
      </div>
      <div className="log-search" role="search" aria-label="Search logs">
        <input
          ref={searchRef}
          type="text"
          className="text-input mono"
          aria-label="Search logs"
          aria-invalid={view.queryError ? true : undefined}
          aria-keyshortcuts="Enter Shift+Enter Escape"
          placeholder={view.query.regex ? 'Search (regular expression)' : 'Search'}
          spellCheck={false}
          autoComplete="off"
          value={view.query.text}
          onChange={(e) => logs.setQuery(view.key, { text: e.target.value })}
          onKeyDown={onSearchKey}
        />
        <Toggle on={view.query.regex} label="Regular expression" title="Regular expression" onClick={() => logs.setQuery(view.key, { regex: !view.query.regex })}>.*</Toggle>
        <Toggle on={view.query.caseSensitive} label="Match case" title="Match case" onClick={() => logs.setQuery(view.key, { caseSensitive: !view.query.caseSensitive })}>Aa</Toggle>
        <Toggle on={view.filter} title="Show only the lines that match" onClick={() => logs.setFilter(view.key, !view.filter)}>Only matching</Toggle>
        <span className={`log-count${view.queryError || (view.query.text !== '' && hits.length === 0) ? ' is-none' : ''}`} role="status" title={view.queryError}>{count}</span>
        <button type="button" className="btn btn-small" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={hits.length === 0} onClick={() => step(-1)}>↑</button>
        <button type="button" className="btn btn-small" aria-label="Next match" title="Next match (Enter)" disabled={hits.length === 0} onClick={() => step(1)}>↓</button>
      </div>
      {(view.status === 'failed' || view.status === 'ended') && (
        <p className="log-problem" role={view.status === 'failed' ? 'alert' : 'status'}>
          {view.status === 'failed' ? `Could not open the logs: ${view.message ?? ''}` : (view.message ?? 'The view ended.')}
          <button type="button" className="btn btn-small" onClick={() => logs.reload(view.key, view.load)}>Open again</button>
        </p>
      )}
      <LogList
        id={logId}
        view={view}
        lines={lines}
        following={following}
        setFollowing={setFollowing}
        controls={controls}
        options={{ tags: multi, timestamps: view.timestamps, today: localDay(Date.now()), matcher: lines.matcher }}
      />
      <div className="log-status">
        <span role="status">
          {formatCount(lines.all.length)} {lines.all.length === 1 ? 'line' : 'lines'}
          {shown.length !== lines.all.length && ` · ${formatCount(shown.length)} shown`}
          {dropped > 0 && ` · ${formatCount(dropped)} dropped`}
          {view.sources.length > 0 && ` · ${following_ === view.sources.length ? (multi ? 'all following' : 'following') : `${following_} of ${view.sources.length} following`}`}
        </span>
        <span className="toolbar-spacer" />
        {view.status === 'open' && following_ < view.sources.length && !view.states.some((st) => st.state === 'loading') && (
          <button type="button" className="btn btn-small" title="Open the view anew: a restarted container's lines, a host that is back" onClick={() => logs.reload(view.key, view.load)}>
            Open again
          </button>
        )}
        {!following && (
          <button type="button" className="btn btn-small log-new" aria-keyshortcuts="End" onClick={() => { controls.current?.toEnd(); focusLog(); }}>
            {newLines > 0 ? `${formatCount(newLines)} new ${newLines === 1 ? 'line' : 'lines'}` : 'Paused'} · End to follow
          </button>
        )}
      </div>
    </section>
  );
}

/** A small on/off button (aria-pressed); `label` names it when its text is a symbol. */
function Toggle({ on, label, title, onClick, children }: { on: boolean; label?: string; title: string; onClick(): void; children: ReactNode }) {
  return (
    <button type="button" className={`btn btn-small toggle-btn${on ? ' is-on-neutral' : ''}`} aria-pressed={on} aria-label={label} title={title} onClick={onClick}>
      {children}
    </button>
  );
}
