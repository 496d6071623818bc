// The dialog Deploy and Roll back ask in: a title, what it acts on, and one list to pick from (a
// tag, a revision), with the plan opened on confirm. A modal dialog like the confirm dialog (portal,
// focus moved in and trapped, Escape cancels, focus restored); the list is an ARIA listbox whose
// ↑/↓ Home/End move the pick, Enter confirms. While its items load, or when they failed or are
// none, the list's place says so.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { trapTab } from '../../components/focusTrap';

export type PickOption = {
  id: string;
  /** The option's accessible name: everything its columns say, in words. */
  label: string;
  /** Drawn in a row: the columns. */
  cells: ReactNode;
  /** Why it cannot be picked (announced; its cells should show it too). */
  unavailable?: string;
};

type Props = {
  /** Also the dialog's accessible name ("Deploy payments-api"). */
  title: ReactNode;
  intro: ReactNode;
  listLabel: string;
  options: readonly PickOption[];
  /** Instead of the list: loading, an error, or that there is nothing to pick. */
  placeholder?: ReactNode;
  initial: number;
  confirmLabel: string;
  onConfirm(index: number): void;
  onCancel(): void;
};

export function PickDialog({ title, intro, listLabel, options, placeholder, initial, confirmLabel, onConfirm, onCancel }: Props) {
  const titleId = useId();
  const listId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const optionRefs = useRef<(HTMLLIElement | null)[]>([]);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const [picked, setPicked] = useState<number | null>(null);
  const current = Math.min(picked ?? initial, options.length - 1);
  const choice = current >= 0 ? options[current] : undefined;
  const canConfirm = choice !== undefined && choice.unavailable === undefined && placeholder === undefined;

  useEffect(() => {
    (listRef.current ?? cancelRef.current)?.focus();
    return () => {
      queueMicrotask(() => opener?.isConnected && opener.focus({ preventScroll: true }));
    };
  }, [opener]);
  // The list appears once its items came: the keyboard goes there if it was on Cancel by default.
  useEffect(() => {
    if (placeholder === undefined && document.activeElement === cancelRef.current) listRef.current?.focus();
  }, [placeholder]);
  // Braces: Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    optionRefs.current[current]?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const confirm = () => {
    if (canConfirm) onConfirm(current);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Tab') {
      trapTab(e, ref.current, 'button:not([disabled]), [tabindex="0"]');
    }
  };
  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const n = options.length;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(n - 1, current + 1); break;
      case 'ArrowUp': next = Math.max(0, current - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = n - 1; break;
      case 'Enter': confirm(); break;
      default: return;
    }
    e.preventDefault();
    if (next !== undefined && next >= 0) setPicked(next);
  };
  const optionId = (i: number) => `${listId}-option-${i}`;

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onCancel(); }}>
      <div ref={ref} className="modal modal-wide pick-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="modal-title">{title}</h2>
        <div className="modal-body">
          <div className="pick-intro">{intro}</div>
          {placeholder !== undefined ? (
            <div className="pick-placeholder" role="status">{placeholder}</div>
          ) : (
            <ul
              ref={listRef}
              id={listId}
              className="pick-list"
              role="listbox"
              aria-label={listLabel}
              tabIndex={0}
              aria-activedescendant={choice ? optionId(current) : undefined}
              onKeyDown={onListKey}
            >
              {options.map((o, i) => (
                <li
                  key={o.id}
                  ref={(el) => { optionRefs.current[i] = el; }}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === current}
                  aria-disabled={o.unavailable ? true : undefined}
                  aria-label={o.unavailable ? `${o.label} (${o.unavailable})` : o.label}
                  className={`pick-option${i === current ? ' is-picked' : ''}${o.unavailable ? ' is-unavailable' : ''}`}
                  onClick={() => setPicked(i)}
                  onDoubleClick={() => o.unavailable === undefined && onConfirm(i)}
                >
                  <span className="pick-mark" aria-hidden="true">{i === current ? '●' : '○'}</span>
                  {o.cells}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="btn" aria-label="Cancel" onClick={onCancel}>Cancel <kbd aria-hidden="true">Esc</kbd></button>
          <button type="button" className="btn btn-primary" aria-label={confirmLabel} disabled={!canConfirm} onClick={confirm}>
            {confirmLabel} <kbd aria-hidden="true">Enter</kbd>
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
