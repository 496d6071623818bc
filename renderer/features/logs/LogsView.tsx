// The Logs main view: a sub-tab per open log view (←/→ between them, Delete, its × or the × beside the tabs closes one), the
// active one's pane below. The active log has id "logs-view", where showView('logs') puts the keyboard.
import { useShallow } from 'zustand/react/shallow';
import { ariaKeys, KEYS, keyText } from '../../components/keybindings';
import { useLogs } from '../../stores/logs';
import { LogPane } from './LogPane';
import { viewState } from './logFormat';
import './logs.css';

export const LOGS_VIEW_ID = 'logs-view';

export function LogsView() {
  const { views, activeKey } = useLogs(useShallow((s) => ({ views: s.views, activeKey: s.activeKey })));
  const active = views.find((v) => v.key === activeKey);

  if (views.length === 0) {
    return (
      <div className="logs-empty" id={LOGS_VIEW_ID} tabIndex={-1}>
        <p>No logs open.</p>
        <p className="muted">
          Select a container in the Containers view and press <kbd aria-keyshortcuts={ariaKeys(KEYS.logs)}>{keyText(KEYS.logs)}</kbd>, or a
          service's row for every replica merged; or open the command palette (<kbd>{keyText(KEYS.palette)}</kbd>) and choose “Show logs of …”.
        </p>
      </div>
    );
  }

  const focusTab = (key: string) => requestAnimationFrame(() => document.getElementById(`log-tab-${key}`)?.focus());
  /** Closes a view; the keyboard goes to the tab that takes its place, else to the empty view. */
  const closeView = (key: string) => {
    useLogs.getState().close(key);
    const left = useLogs.getState().activeKey;
    if (left) focusTab(left);
    else requestAnimationFrame(() => document.getElementById(LOGS_VIEW_ID)?.focus());
  };
  return (
    <div className="logs">
      <div className="log-tabbar">
        <div className="log-tabs" role="tablist" aria-label="Log views">
          {views.map((v, i) => (
            <button
              key={v.key}
              type="button"
              role="tab"
              id={`log-tab-${v.key}`}
              aria-selected={v.key === activeKey}
              aria-controls={`log-panel-${v.key}`}
              aria-keyshortcuts="Delete"
              tabIndex={v.key === activeKey ? 0 : -1}
              title={`${v.title} (Delete closes)`}
              className={`log-tab state-${viewState(v)}${v.key === activeKey ? ' is-active' : ''}`}
              onClick={() => useLogs.getState().activate(v.key)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                  e.preventDefault();
                  const next = views[(i + (e.key === 'ArrowRight' ? 1 : -1) + views.length) % views.length]!;
                  useLogs.getState().activate(next.key);
                  focusTab(next.key);
                } else if (e.key === 'Delete') {
                  e.preventDefault();
                  closeView(v.key);
                }
              }}
            >
              <span className="log-tab-dot" aria-hidden="true" />
              {v.title}
              {/* A tab's content is presentational: keyboard users close with Delete, or the × beside the tabs. */}
              <span className="log-tab-close" aria-hidden="true" onClick={(e) => { e.stopPropagation(); closeView(v.key); }}>×</span>
            </button>
          ))}
        </div>
        {active && (
          <button type="button" className="btn btn-small btn-quiet" aria-label={`Close the logs of ${active.title}`} title="Close this view (Delete on its tab)" onClick={() => closeView(active.key)}>×</button>
        )}
      </div>
      {active && (
        <div className="log-panel" role="tabpanel" id={`log-panel-${active.key}`} aria-labelledby={`log-tab-${active.key}`}>
          <LogPane key={active.key} view={active} logId={LOGS_VIEW_ID} />
        </div>
      )}
    </div>
  );
}
