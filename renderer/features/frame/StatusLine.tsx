// The bottom status line. Its role="status" region announces each action's outcome:
// "Stopped payments-ledger-1 on h1", or what went wrong.
import type { ContainerAction } from '../../../shared/model';
import { formatClock } from '../../components/format';
import { Shape } from '../../components/Shape';
import { useFleet, type ActionNotice } from '../../stores/fleet';

const PAST: Record<ContainerAction, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };
const VERB: Record<ContainerAction, string> = { start: 'start', stop: 'stop', restart: 'restart' };

export function noticeText(n: ActionNotice): string {
  return n.ok ? `${PAST[n.action]} ${n.name} on ${n.host}` : `Could not ${VERB[n.action]} ${n.name} on ${n.host}: ${n.message}`;
}

export function StatusLine() {
  const notices = useFleet((s) => s.notices);
  const latest = notices[0];
  return (
    <footer className="statusline">
      <div className="status-msg" role="status" aria-live="polite" aria-atomic="true">
        {latest && (
          <span className={`notice ${latest.ok ? 'is-ok' : 'is-error'}`}>
            <Shape kind={latest.ok ? 'dot' : 'triangle'} />
            <span className="notice-time mono">{formatClock(latest.at)}</span>
            <span className="notice-text">{noticeText(latest)}</span>
          </span>
        )}
      </div>
      {notices.length > 1 && (
        <ol className="notice-history" aria-label="Earlier action results">
          {notices.slice(1, 4).map((n) => (
            <li key={n.seq} className={n.ok ? 'is-ok' : 'is-error'} title={noticeText(n)}>
              <span className="mono">{formatClock(n.at)}</span> {noticeText(n)}
            </li>
          ))}
        </ol>
      )}
      <div className="keys muted" aria-hidden="true">
        <kbd>/</kbd> filter <kbd>↑</kbd><kbd>↓</kbd> move <kbd>←</kbd><kbd>→</kbd> fold <kbd>e</kbd> shell <kbd>i</kbd> stats <kbd>t</kbd> top <kbd>s</kbd> start <kbd>x</kbd> stop <kbd>r</kbd> restart <kbd>Ctrl</kbd><kbd>`</kbd> terminal
      </div>
    </footer>
  );
}
