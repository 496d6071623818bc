// The bottom status line. Its role="status" region announces each action's outcome:
// "Stopped payments-ledger-1 on h1", or what went wrong. On the right, the keys to know,
// from the keybinding registry.
import type { ContainerAction } from '../../../shared/model';
import { formatClock } from '../../components/format';
import { KEYS } from '../../components/keybindings';
import { KeyCaps } from '../../components/keybindingsCaps';
import { Shape } from '../../components/Shape';
import { useFleet, type ActionNotice } from '../../stores/fleet';
import { usePlanner } from '../../stores/planner';
import { useUi } from '../../stores/ui';

/** The shortcuts taught here, most used first. */
const HINTS = [KEYS.palette, KEYS.filter, KEYS.move, KEYS.fold, KEYS.shell, KEYS.stats, KEYS.logs, KEYS.top, KEYS.start, KEYS.stop, KEYS.restart, KEYS.terminal];
/** While the rollout planner shows a rollout: its orders first (the grid's keys do not apply there). */
const PLANNER_HINTS = [KEYS.palette, KEYS.rolloutPause, KEYS.rolloutResume, KEYS.rolloutAbort, KEYS.rolloutRollback, KEYS.terminal];

const PAST: Record<ContainerAction, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };
const VERB: Record<ContainerAction, string> = { start: 'start', stop: 'stop', restart: 'restart' };

export function noticeText(n: ActionNotice): string {
  return n.ok ? `${PAST[n.action]} ${n.name} on ${n.host}` : `Could not ${VERB[n.action]} ${n.name} on ${n.host}: ${n.message}`;
}

export function StatusLine() {
  const notices = useFleet((s) => s.notices);
  const latest = notices[0];
  const running = usePlanner((s) => s.status === 'running');
  const onRollouts = useUi((s) => s.view === 'rollouts');
  const planning = running && onRollouts;
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
        {(planning ? PLANNER_HINTS : HINTS).map((b) => <span key={b.label} className="key-hint"><KeyCaps binding={b} /> {b.label}</span>)}
      </div>
    </footer>
  );
}
