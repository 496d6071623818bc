// The Logs main view: a sub-tab per open log view (←/→ between them, Delete or × closes one), the
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
  return (
    <div className="logs">
      <div className="log-tabs" role="tablist" aria-label="Log views">
        {views.map((v, i) => {
          const state = viewState(v);
          return (
            <div key={v.key} className={`log-tab-wrap${v.key === activeKey ? ' is-active' : ''}`}>
              <button
                type="button"
                role="tab"
                id={`log-tab-${v.key}`}
                aria-selected={v.key === activeKey}
                aria-controls={`log-panel-${v.key}`}
                tabIndex={v.key === activeKey ? 0 : -1}
                className={`log-tab state-${state}`}
                onClick={() => useLogs.getState().activate(v.key)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                    e.preventDefault();
                    const next = views[(i + (e.key === 'ArrowRight' ? 1 : -1) + views.length) % views.length]!;
                    useLogs.getState().activate(next.key);
                    focusTab(next.key);
                  } else if (e.key === 'Delete') {
                    e.preventDefault();
                    useLogs.getState().close(v.key);
                    const left = useLogs.getState().activeKey;
                    if (left) focusTab(left);
                  }
                }}
              >
                <span className="log-tab-dot" aria-hidden="true" />
                {v.title}
              </button>
              <button type="button" className="log-tab-close" aria-label={`Close the logs of ${v.title}`} title="Close (Delete on the tab)" onClick={() => useLogs.getState().close(v.key)}>×</button>
            </div>
          );
        })}
      </div>
      {active && (
        <div className="log-panel" role="tabpanel" id={`log-panel-${active.key}`} aria-labelledby={`log-tab-${active.key}`}>
          <LogPane key={active.key} view={active} logId={LOGS_VIEW_ID} />
        </div>
      )}
    </div>
  );
}
