// Switches the main area between the containers grid, the fleet Top view (the top key anywhere
// outside a text field or terminal toggles these two), the audit log, the registries' images and the rollouts. ←/→ on a tab move
// between tabs.
import { useEffect } from 'react';
import { ariaKeys, KEYS, keyText, matches, type Binding } from '../../components/keybindings';
import { useUi, type MainView } from '../../stores/ui';
import './viewTabs.css';

/** The main views in tab order, with the grid that takes the keyboard (the palette offers them too). */
export const MAIN_VIEWS: readonly { view: MainView; label: string; grid: string; binding?: Binding }[] = [
  { view: 'containers', label: 'Containers', grid: 'containers-grid' },
  { view: 'top', label: 'Top', grid: 'top-grid', binding: KEYS.top },
  { view: 'audit', label: 'Audit', grid: 'audit-grid' },
  { view: 'images', label: 'Images', grid: 'images-grid' },
  { view: 'rollouts', label: 'Rollouts', grid: 'rollouts-grid' },
  { view: 'ipmap', label: 'IP map', grid: 'ipmap-grid' },
  { view: 'logs', label: 'Logs', grid: 'logs-view' },
  { view: 'alerts', label: 'Alerts', grid: 'alerts-grid' },
];

/** Shows a view and puts the keyboard in its grid. */
export function showView(view: MainView): void {
  useUi.getState().setView(view);
  const grid = MAIN_VIEWS.find((v) => v.view === view)?.grid;
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
      if (!matches(KEYS.top, e) || e.defaultPrevented || typingIn(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      showView(useUi.getState().view === 'top' ? 'containers' : 'top');
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const tab = ({ view: id, label }: (typeof MAIN_VIEWS)[number], i: number) => (
    <button
      key={id}
      type="button"
      role="tab"
      id={`view-tab-${id}`}
      aria-selected={view === id}
      aria-controls={`view-${id}`}
      aria-keyshortcuts={id === 'containers' || id === 'top' ? ariaKeys(KEYS.top) : undefined}
      tabIndex={view === id ? 0 : -1}
      className={`view-tab${view === id ? ' is-active' : ''}`}
      onClick={() => showView(id)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          const next = MAIN_VIEWS[(i + (e.key === 'ArrowRight' ? 1 : -1) + MAIN_VIEWS.length) % MAIN_VIEWS.length]!.view;
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
      {MAIN_VIEWS.map(tab)}
      <kbd className="view-hint" aria-hidden="true" title="Switch view">{keyText(KEYS.top)}</kbd>
    </div>
  );
}
