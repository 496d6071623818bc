// The terminal panel, docked under the hosts and containers: a splitter to resize it, a
// tablist of sessions, and one pane per session (hidden panes keep their terminals).
//
// Keys — anywhere: Ctrl+Shift+PageUp/PageDown previous/next tab · Ctrl+` terminal ⇄ where you were.
// In the terminal: Ctrl+Shift+F find · Ctrl+Shift+C copy selection · Ctrl+Shift+V paste.
// On the tabs: ←/→ Home/End move (and show) · Delete closes. Splitter: ↑/↓ (PageUp/PageDown
// larger steps), Home/End smallest/largest, Enter or double-click maximizes.
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { ariaKeys, KEYS, keyText, matches, matchIndex } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { Shape } from '../../components/Shape';
import { PANEL_MIN, useTerminals, type TerminalSession } from '../../stores/terminals';
import { existingTerminal } from './tabTerminals';
import { SessionList } from './SessionList';
import { fitTitle, tabTitleParts, targetDescription } from './sessionText';
import { skippedDescription, skippedWord, STATUS_SHAPE, statusWord } from './status';
import { paneId, tabId, TerminalPane } from './TerminalPane';
import './terminal.css';
import { useShallow } from 'zustand/react/shallow';

/** Tab widths (keep in step with .term-tab in terminal.css). */
const TAB_MIN = 140;
const TAB_MAX = 320;
/** The active tab may take more, to show its whole title. */
const ACTIVE_MAX = 420;
/** Shape and paddings; the active tab also keeps room for its close button (keep in step with terminal.css). */
const TAB_CHROME = 40;
const CLOSE_ROOM = 24;

let charPx: number | undefined;
/** Average width of a title character in the tab font (measured once; a guess where canvas text is unavailable). */
function titleCharWidth(): number {
  if (charPx === undefined) {
    const ctx = document.createElement('canvas').getContext('2d');
    const sample = 'payments-gateway-12 · dc3-h0015 abcdefghijklmnopqrstuvwxyz';
    if (ctx) {
      ctx.font = `600 12.5px ${getComputedStyle(document.body).fontFamily}`;
      charPx = ctx.measureText(sample).width / sample.length;
    }
    if (!charPx || !Number.isFinite(charPx)) charPx = 7.4;
  }
  return charPx;
}

/** Room per tab: the active one gets what its whole title needs (up to TAB_MAX), the others share the rest. */
function tabWidths(sessions: readonly TerminalSession[], activeKey: string | null, total: number): Map<string, number> {
  const cw = titleCharWidth();
  const need = (s: TerminalSession) => {
    const p = tabTitleParts(s.target, s.name);
    return TAB_CHROME + CLOSE_ROOM + (p.name.length + p.rest.length + 0.5) * cw + stateRoom(s);
  };
  const widths = new Map<string, number>();
  const active = sessions.find((s) => s.key === activeKey);
  const activeWidth = active ? Math.min(ACTIVE_MAX, Math.max(TAB_MIN, need(active))) : 0;
  const others = sessions.length - (active ? 1 : 0);
  const share = others > 0 ? (total - activeWidth) / others : 0;
  for (const s of sessions) widths.set(s.key, s === active ? activeWidth : Math.min(TAB_MAX, Math.max(TAB_MIN, share)));
  return widths;
}
/** Pixels the state word and the skipped mark take in a tab (their text, icon and gap). */
function stateRoom(s: TerminalSession): number {
  const word = statusWord(s);
  const mark = skippedWord(s.skipped);
  return (word ? word.length * 6.5 + 14 : 0) + (mark ? mark.length * 6.5 + 30 : 0);
}

/** Room the grid keeps above the panel. */
const TOP_MIN = 140;
const NOTE_MS = 2_500;

export function TerminalPanel() {
  const { sessions, activeKey, maximized, panelHeight, screenReader } = useTerminals(
    useShallow((s) => ({ sessions: s.sessions, activeKey: s.activeKey, maximized: s.maximized, panelHeight: s.panelHeight, screenReader: s.screenReader })),
  );
  const [findOpen, setFindOpen] = useState(false);
  const [note, setNote] = useState<{ key: string; text: string } | undefined>();
  const panelRef = useRef<HTMLElement>(null);
  const tabRefs = useRef(new Map<string, HTMLDivElement>());
  const returnFocus = useRef<HTMLElement | null>(null);
  const [tabsWidth, setTabsWidth] = useState(1200);
  const tabsObserver = useRef<ResizeObserver | null>(null);
  const tablistRef = useCallback((el: HTMLDivElement | null) => {
    tabsObserver.current?.disconnect();
    tabsObserver.current = null;
    if (!el) return;
    const ro = new ResizeObserver(() => setTabsWidth(el.clientWidth));
    ro.observe(el);
    tabsObserver.current = ro;
  }, []);

  const showNote = useCallback((key: string, text: string) => {
    setNote({ key, text });
    setTimeout(() => setNote((n) => (n?.text === text ? undefined : n)), NOTE_MS);
  }, []);

  const closeFind = useCallback(() => {
    setFindOpen(false);
    const key = useTerminals.getState().activeKey;
    if (key) existingTerminal(key)?.focus();
  }, []);

  // Keyboard shortcuts that must work while xterm has focus: capture phase, before xterm sees them.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const st = useTerminals.getState();
      if (st.sessions.length === 0 || st.hostKeyPrompt || st.shellAs || document.querySelector('[aria-modal="true"]')) return;
      const key = st.activeKey;
      const inst = key ? existingTerminal(key) : undefined;
      const inPanel = panelRef.current?.contains(document.activeElement) ?? false;

      const tab = matchIndex(KEYS.terminalTabs, e);
      if (tab >= 0) {
        e.preventDefault();
        e.stopPropagation();
        st.cycle(tab === 0 ? -1 : 1);
        return;
      }
      if (matches(KEYS.terminal, e)) {
        e.preventDefault();
        e.stopPropagation();
        if (inPanel) {
          const back = returnFocus.current;
          returnFocus.current = null;
          (back?.isConnected ? back : document.getElementById('containers-grid'))?.focus();
        } else if (key) {
          returnFocus.current = document.activeElement as HTMLElement | null;
          st.activate(key, true);
        }
        return;
      }
      if (!inPanel || !inst || !key) return;
      if (matches(KEYS.find, e)) {
        e.preventDefault();
        e.stopPropagation();
        setFindOpen(true);
      } else if (matches(KEYS.copy, e)) {
        if (!inst.term.hasSelection()) return;
        e.preventDefault();
        e.stopPropagation();
        void inst.copySelection().then((r) => showNote(key, r === 'copied' ? 'Copied' : 'The browser blocked copying: use the browser’s Copy (right-click)'));
      } else if (matches(KEYS.paste, e)) {
        e.preventDefault();
        e.stopPropagation();
        void inst.pasteClipboard().then((r) => {
          if (r === 'failed') showNote(key, 'The browser blocked reading the clipboard: paste with Shift+Insert or the browser’s Paste');
        });
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [showNote]);

  // Keep the active tab in view among many (after layout: becoming active widens it).
  useEffect(() => {
    if (!activeKey) return;
    const frame = requestAnimationFrame(() => tabRefs.current.get(activeKey)?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
    return () => cancelAnimationFrame(frame);
  }, [activeKey, sessions.length, tabsWidth]);

  // A new tab closes any find bar left open on another one.
  useEffect(() => setFindOpen(false), [activeKey]);

  if (sessions.length === 0) return null;
  const widths = tabWidths(sessions, activeKey, tabsWidth);

  const onTabKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    const st = useTerminals.getState();
    let next: TerminalSession | undefined;
    switch (e.key) {
      case 'ArrowLeft': next = sessions[(index - 1 + sessions.length) % sessions.length]; break;
      case 'ArrowRight': next = sessions[(index + 1) % sessions.length]; break;
      case 'Home': next = sessions[0]; break;
      case 'End': next = sessions[sessions.length - 1]; break;
      case 'Delete': {
        const s = sessions[index];
        if (!s) return;
        e.preventDefault();
        st.close(s.key);
        const after = useTerminals.getState().activeKey;
        if (after) requestAnimationFrame(() => tabRefs.current.get(after)?.focus());
        return;
      }
      case 'Enter':
      case ' ': {
        const s = sessions[index];
        if (s) st.activate(s.key, true);
        e.preventDefault();
        return;
      }
      default: return;
    }
    e.preventDefault();
    if (!next) return;
    st.activate(next.key);
    tabRefs.current.get(next.key)?.focus();
  };

  return (
    <section
      ref={panelRef}
      className={`terminal-panel${maximized ? ' is-maximized' : ''}`}
      aria-label="Terminals"
      style={maximized ? undefined : { height: panelHeight }}
    >
      {!maximized && <Splitter panelRef={panelRef} />}
      <div className="term-bar">
        <div ref={tablistRef} className="term-tabs" role="tablist" aria-label="Terminal sessions">
          {sessions.map((s, i) => (
            <Tab
              key={s.key}
              session={s}
              active={s.key === activeKey}
              width={widths.get(s.key) ?? TAB_MIN}
              tabRef={(el) => { if (el) tabRefs.current.set(s.key, el); else tabRefs.current.delete(s.key); }}
              onKeyDown={(e) => onTabKeyDown(e, i)}
            />
          ))}
        </div>
        <div className="term-bar-actions">
          <SessionList />
          {sessions.length <= 3 && <span className="term-keys muted" aria-hidden="true">
            <KeyCaps binding={KEYS.terminalTabs} /> {KEYS.terminalTabs.label} <KeyCaps binding={KEYS.find} /> {KEYS.find.label} <KeyCaps binding={KEYS.terminal} /> back
          </span>}
          <button
            type="button"
            className="btn btn-small btn-quiet"
            aria-label="Redraw terminal"
            title="Redraw: show this session's screen as main holds it now (for a screen that looks wrong)"
            onClick={() => { const k = useTerminals.getState().activeKey; if (k) void redraw(k, showNote); }}
          >
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path d="M13 8 A5 5 0 1 1 11.5 4.4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" /><path d="M9.5 1.8 L12.6 4.3 L9.4 6.2 Z" fill="currentColor" /></svg>
          </button>
          <button type="button" className="btn btn-small btn-quiet" aria-label="Find in terminal" aria-keyshortcuts={ariaKeys(KEYS.find)} title={`Find (${keyText(KEYS.find)})`} onClick={() => setFindOpen(true)}>
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" /><path d="M10 10 L14 14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" /></svg>
          </button>
          <ToggleButton
            pressed={screenReader}
            label="Screen reader mode"
            title={screenReader ? 'Screen reader mode is on: terminal rows are exposed to assistive tech (costs some speed)' : 'Screen reader mode: expose terminal rows to assistive tech'}
            onToggle={() => useTerminals.getState().setScreenReader(!screenReader)}
          >
            <path d="M2 6 H5 L9 2.5 V13.5 L5 10 H2 Z" fill="currentColor" /><path d="M11 5.5 Q13 8 11 10.5 M12.8 3.8 Q16 8 12.8 12.2" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
          </ToggleButton>
          <ToggleButton pressed={maximized} label="Maximize terminal panel" title={maximized ? 'Restore the panel' : 'Maximize the panel'} onToggle={() => useTerminals.getState().toggleMaximized()}>
            {maximized
              ? <path d="M4 9 L8 5 L12 9" fill="none" stroke="currentColor" strokeWidth="1.8" transform="rotate(180 8 7)" />
              : <path d="M4 10 L8 6 L12 10" fill="none" stroke="currentColor" strokeWidth="1.8" />}
          </ToggleButton>
          <button
            type="button"
            className="btn btn-small btn-quiet"
            aria-label="Close terminal tab"
            title="Close this tab (Delete on the tab)"
            onClick={() => { const k = useTerminals.getState().activeKey; if (k) useTerminals.getState().close(k); }}
          >
            ×
          </button>
        </div>
      </div>
      <div className="term-panes">
        {sessions.map((s) => (
          <TerminalPane
            key={s.key}
            session={s}
            active={s.key === activeKey}
            findOpen={findOpen && s.key === activeKey}
            onCloseFind={closeFind}
            note={note?.key === s.key ? note.text : undefined}
          />
        ))}
      </div>
    </section>
  );
}

type TabProps = {
  session: TerminalSession;
  active: boolean;
  /** Pixels this tab gets; the name is shortened in the middle to fit. */
  width: number;
  tabRef(el: HTMLDivElement | null): void;
  onKeyDown(e: KeyboardEvent<HTMLDivElement>): void;
};

const Tab = memo(function Tab({ session, active, width, tabRef, onKeyDown }: TabProps) {
  const parts = tabTitleParts(session.target, session.name);
  const word = statusWord(session);
  const mark = skippedWord(session.skipped);
  // The chrome, the state word and the skipped mark take their room; the rest is for text.
  const chars = Math.floor((width - TAB_CHROME - (active ? CLOSE_ROOM : 0) - stateRoom(session)) / titleCharWidth());
  const { name, rest } = fitTitle(parts, chars);
  const shortened = name !== parts.name || rest !== parts.rest;
  const st = useTerminals.getState();
  return (
    <div
      ref={tabRef}
      id={tabId(session.key)}
      role="tab"
      aria-selected={active}
      aria-controls={paneId(session.key)}
      aria-keyshortcuts="Delete"
      aria-describedby={mark ? skippedId(session.key) : undefined}
      tabIndex={active ? 0 : -1}
      className={`term-tab status-${session.status}${active ? ' is-active' : ''}`}
      title={`${targetDescription(session.target, session.name, session.command)} — Delete closes`}
      onClick={() => st.activate(session.key, true)}
      onAuxClick={(e) => { if (e.button === 1) st.close(session.key); }}
      onKeyDown={onKeyDown}
    >
      <Shape kind={STATUS_SHAPE[session.status]} className="term-tab-shape" />
      {/* The accessible name is always the whole title; only what is drawn is shortened. */}
      <span className="term-tab-title" aria-hidden={shortened || undefined}>
        <span className="term-tab-name">{name}</span>
        <span className="term-tab-rest">{rest}</span>
      </span>
      {shortened && <span className="visually-hidden">{parts.name + parts.rest}</span>}
      {word && <span className="term-tab-state">{word}</span>}
      {mark && (
        <span className="term-tab-skipped" title={skippedDescription(session.skipped)} data-skipped={session.skipped}>
          <SkipIcon />
          <span aria-hidden="true">{mark}</span>
          <span id={skippedId(session.key)} className="visually-hidden">{skippedDescription(session.skipped)}</span>
        </span>
      )}
      {/* A tab's children are presentational; keyboard users close with Delete (or the panel's × button). */}
      <span
        className="term-tab-close"
        aria-hidden="true"
        onClick={(e) => { e.stopPropagation(); st.close(session.key); }}
      >
        ×
      </span>
    </div>
  );
});

const skippedId = (key: string) => `term-skipped-${key}`;

/** Skip-ahead (⏭) drawn, so it looks the same in every font. */
function SkipIcon() {
  return (
    <svg className="term-tab-skipped-icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
      <path d="M2 3 L8 8 L2 13 Z M7 3 L13 8 L7 13 Z" fill="currentColor" /><rect x="13" y="3" width="1.8" height="10" fill="currentColor" />
    </svg>
  );
}

function Splitter({ panelRef }: { panelRef: React.RefObject<HTMLElement | null> }) {
  const height = useTerminals((s) => s.panelHeight);
  const drag = useRef<{ startY: number; startH: number } | null>(null);

  const maxHeight = () => {
    const parent = panelRef.current?.parentElement;
    return Math.max(PANEL_MIN, (parent?.clientHeight ?? window.innerHeight) - TOP_MIN);
  };
  const setHeight = (px: number) => useTerminals.getState().setPanelHeight(Math.min(maxHeight(), Math.max(PANEL_MIN, px)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startY: e.clientY, startH: panelRef.current?.getBoundingClientRect().height ?? height };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    setHeight(drag.current.startH + (drag.current.startY - e.clientY));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'PageUp' || e.key === 'PageDown' ? 120 : 24;
    switch (e.key) {
      case 'ArrowUp': case 'PageUp': setHeight(height + step); break;
      case 'ArrowDown': case 'PageDown': setHeight(height - step); break;
      case 'Home': setHeight(PANEL_MIN); break;
      case 'End': setHeight(maxHeight()); break;
      case 'Enter': useTerminals.getState().toggleMaximized(); break;
      default: return;
    }
    e.preventDefault();
  };

  return (
    <div
      className="term-splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize terminal panel"
      aria-valuemin={PANEL_MIN}
      aria-valuemax={Math.round(maxHeight())}
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => useTerminals.getState().toggleMaximized()}
      onKeyDown={onKeyDown}
    />
  );
}

/** Redraw from main's mirror, saying so when it could not (no live session, or main did not answer). */
async function redraw(key: string, showNote: (key: string, text: string) => void): Promise<void> {
  const inst = existingTerminal(key);
  let ok = false;
  try {
    ok = (await inst?.redraw()) ?? false;
  } catch {
    ok = false;
  }
  showNote(key, ok ? 'Redrawn from the session’s screen' : 'Nothing to redraw: the session is not live');
  if (ok) inst?.focus();
}

/** A small on/off button of the panel's bar; `children` is its icon's drawing. */
function ToggleButton({ pressed, label, title, onToggle, children }: { pressed: boolean; label: string; title: string; onToggle: () => void; children: ReactNode }) {
  return (
    <button type="button" className="btn btn-small btn-quiet" aria-pressed={pressed} aria-label={label} title={title} onClick={onToggle}>
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">{children}</svg>
    </button>
  );
}
