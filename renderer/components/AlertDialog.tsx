// A modal alert dialog: rendered into <body> (outside the app root, which the caller makes
// inert), focus moved in and trapped, Enter confirms, Escape cancels, focus restored on close.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { trapTab } from './focusTrap';

type Props = {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  /** Visual weight of the confirm button. */
  tone?: 'danger' | 'primary';
  /** Which button has focus when the dialog opens (Cancel for choices that need reading first). */
  initialFocus?: 'confirm' | 'cancel';
  /** Disables the confirm button (e.g. while its action runs). */
  busy?: boolean;
  /** Extra class on the dialog (e.g. "modal-wide"). */
  className?: string;
  onConfirm(): void;
  onCancel(): void;
};

export function AlertDialog({ title, children, confirmLabel, tone = 'primary', initialFocus = 'confirm', busy = false, className, onConfirm, onCancel }: Props) {
  const titleId = useId();
  const bodyId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  // Captured during the first render: by the time effects run, the app root has become inert
  // and the element that opened the dialog has already lost focus.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    const previous = opener;
    (initialFocus === 'cancel' ? cancelRef : confirmRef).current?.focus();
    return () => {
      // The app root stops being inert in the same commit; focus it after that.
      queueMicrotask(() => previous?.isConnected && previous.focus({ preventScroll: true }));
    };
    // Only on open (initialFocus is fixed for a dialog's life): later renders must not pull focus back.
  }, [opener]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter') {
      // Enter on a focused button activates that button (so Enter on Cancel cancels);
      // anywhere else in the dialog it confirms.
      if ((e.target as HTMLElement).tagName === 'BUTTON') return;
      e.preventDefault();
      if (!busy) onConfirm();
    } else if (e.key === 'Tab') {
      trapTab(e, ref.current, 'button:not([disabled]), [tabindex="0"]');
    }
  };

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onCancel(); }}>
      <div
        ref={ref}
        className={`modal tone-${tone}${className ? ` ${className}` : ''}`}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal-title">{title}</h2>
        <div id={bodyId} className="modal-body">{children}</div>
        <div className="modal-actions">
          <button ref={cancelRef} type="button" className="btn" aria-label="Cancel" onClick={onCancel}>Cancel <kbd aria-hidden="true">Esc</kbd></button>
          <button ref={confirmRef} type="button" className={`btn btn-${tone}`} aria-label={confirmLabel} disabled={busy} onClick={onConfirm}>
            {confirmLabel} {initialFocus === 'confirm' && <kbd aria-hidden="true">Enter</kbd>}
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
