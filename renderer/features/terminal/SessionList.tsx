// Every session in one list, for when there are more tabs than room: a button in the panel's
// bar opens a listbox (↑/↓ Home/End move, Enter shows the session, Escape closes).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Shape } from '../../components/Shape';
import { useTerminals } from '../../stores/terminals';
import { STATUS_SHAPE, statusWord } from './status';
import { tabTitle } from './sessionText';

export function SessionList() {
  const sessions = useTerminals((s) => s.sessions);
  const activeKey = useTerminals((s) => s.activeKey);
  const [open, setOpen] = useState(false);
  const [cursor, setCursor] = useState(0);
  const listId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    setCursor(Math.max(0, sessions.findIndex((s) => s.key === activeKey)));
    listRef.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (!listRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
    // Only when it opens: the cursor then moves with the keys.
  }, [open]);

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${cursor}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, open]);

  if (sessions.length < 2) return null;

  const pick = (key: string) => {
    setOpen(false);
    useTerminals.getState().activate(key, true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const last = sessions.length - 1;
    switch (e.key) {
      case 'ArrowDown': setCursor((c) => Math.min(last, c + 1)); break;
      case 'ArrowUp': setCursor((c) => Math.max(0, c - 1)); break;
      case 'Home': setCursor(0); break;
      case 'End': setCursor(last); break;
      case 'Enter':
      case ' ': {
        const s = sessions[cursor];
        if (s) pick(s.key);
        break;
      }
      case 'Escape':
      case 'Tab':
        setOpen(false);
        buttonRef.current?.focus();
        if (e.key === 'Tab') return;
        break;
      default: return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <div className="term-list">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-small btn-quiet term-list-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-label={`All terminal sessions (${sessions.length})`}
        title="All sessions"
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true"><path d="M2 4 H14 M2 8 H14 M2 12 H14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" /></svg>
        <span className="term-list-count">{sessions.length}</span>
      </button>
      {open && (
        <ul
          ref={listRef}
          id={listId}
          className="term-list-popup"
          role="listbox"
          aria-label="Terminal sessions"
          tabIndex={-1}
          aria-activedescendant={optionId(cursor)}
          onKeyDown={onKeyDown}
        >
          {sessions.map((s, i) => {
            const word = statusWord(s);
            return (
              <li
                key={s.key}
                id={optionId(i)}
                data-index={i}
                role="option"
                aria-selected={s.key === activeKey}
                className={`term-list-item status-${s.status}${i === cursor ? ' is-cursor' : ''}${s.key === activeKey ? ' is-active' : ''}`}
                onMouseEnter={() => setCursor(i)}
                onClick={() => pick(s.key)}
              >
                <Shape kind={STATUS_SHAPE[s.status]} />
                <span className="term-list-title">{tabTitle(s.target, s.name)}</span>
                {word && <span className="term-tab-state">{word}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
