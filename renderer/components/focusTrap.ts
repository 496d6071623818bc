import type { KeyboardEvent } from 'react';

/** Keeps Tab and Shift+Tab inside a modal dialog: from the last focusable to the first, and back. */
export function trapTab(e: KeyboardEvent, container: HTMLElement | null, focusable: string): void {
  const focusables = [...(container?.querySelectorAll<HTMLElement>(focusable) ?? [])];
  const first = focusables[0];
  const last = focusables[focusables.length - 1];
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
