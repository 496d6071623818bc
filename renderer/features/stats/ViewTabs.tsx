// Switches the main area between the containers grid, the fleet Top view (t anywhere outside a
// text field or terminal toggles these two) and the audit log. ←/→ on a tab move between tabs.
import { useEffect } from 'react';
import { useUi, type MainView } from '../../stores/ui';
import { TOP_KEY } from './keys';
import './viewTabs.css';

const VIEWS: readonly { view: MainView; label: string; grid: string }[] = [
  { view: 'containers', label: 'Containers', grid: 'containers-grid' },
  { view: 'top', label: 'Top', grid: 'top-grid' },
  { view: 'audit', label: 'Audit', grid: 'audit-grid' },
];

/** Shows a view and puts the keyboard in its grid. */
export function showView(view: MainView): void {
  useUi.getState().setView(view);
  const grid = VIEWS.find((v) => v.view === view)?.grid;
  requestAnimationFrame(() => grid && document.getElementById(grid)?.focus());
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('.xterm') !== null;
}

export function ViewTabs() {
  const view = useUi((s) => s.view);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== TOP_KEY || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || typingIn(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      showView(useUi.getState().view === 'top' ? 'containers' : 'top');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const tab = ({ view: id, label }: (typeof VIEWS)[number], i: number) => (
    <button
      key={id}
      type="button"
      role="tab"
      id={`view-tab-${id}`}
      aria-selected={view === id}
      aria-controls={`view-${id}`}
      aria-keyshortcuts={id === 'audit' ? undefined : TOP_KEY}
      tabIndex={view === id ? 0 : -1}
      className={`view-tab${view === id ? ' is-active' : ''}`}
      onClick={() => showView(id)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          const next = VIEWS[(i + (e.key === 'ArrowRight' ? 1 : -1) + VIEWS.length) % VIEWS.length]!.view;
          useUi.getState().setView(next);
          document.getElementById(`view-tab-${next}`)?.focus();
        }
      }}
    >
      {label}
    </button>
  );

  return (
    <div className="view-tabs" role="tablist" aria-label="Main view">
      {VIEWS.map(tab)}
      <kbd className="view-hint" aria-hidden="true" title="Switch view">{TOP_KEY}</kbd>
    </div>
  );
}
