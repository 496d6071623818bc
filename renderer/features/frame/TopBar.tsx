// App name, where the fleet comes from, the stream's state, and the numbers that matter
// in an incident: hosts online, containers running, unhealthy, restarting, stopped, unacknowledged alerts;
// and the Theme button.
import { useFleet } from '../../stores/fleet';
import { formatClock, formatCount } from '../../components/format';
import { Shape } from '../../components/Shape';
import { fleetCounts } from './fleetCounts';
import { ThemeButton } from './ThemeButton';
import { AlertsCount } from '../alerts/AlertsCount';
import { useShallow } from 'zustand/react/shallow';

export function TopBar() {
  const { hosts, containers, appInfo, status, error, updatedAt } = useFleet(
    useShallow((s) => ({ hosts: s.hosts, containers: s.containers, appInfo: s.appInfo, status: s.status, error: s.error, updatedAt: s.updatedAt })),
  );
  const n = fleetCounts(hosts, containers);
  const c = n.containers;

  return (
    <header className="topbar">
      <div className="brand">
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <rect x="1" y="3" width="8" height="6" rx="1" fill="currentColor" />
          <rect x="11" y="3" width="8" height="6" rx="1" fill="currentColor" opacity="0.7" />
          <rect x="1" y="11" width="8" height="6" rx="1" fill="currentColor" opacity="0.7" />
          <rect x="11" y="11" width="8" height="6" rx="1" fill="currentColor" opacity="0.45" />
        </svg>
        <span className="brand-name">fleetdeck</span>
      </div>
      <div className="source" title={appInfo ? `fleet: ${appInfo.fleetSource} · ${appInfo.mode} · v${appInfo.version}` : undefined}>
        <span className="source-label">fleet</span>
        <span className="mono source-value">{appInfo?.fleetSource ?? '…'}</span>
      </div>
      <div className={`stream stream-${status}`}>
        {status === 'live' && <><Shape kind="dot" /> live{updatedAt ? <span className="muted"> · {formatClock(updatedAt)}</span> : null}</>}
        {status === 'connecting' && <><Shape kind="ring" /> connecting…</>}
        {status === 'reconnecting' && <><Shape kind="triangle" /> link to the core lost: reconnecting, showing last known state</>}
        {status === 'idle' && <><Shape kind="ring" /> not connected</>}
        {status === 'failed' && (
          <>
            <Shape kind="triangle" /> disconnected: {error}
            <button type="button" className="btn btn-quiet" onClick={() => void useFleet.getState().connect()}>Reconnect</button>
          </>
        )}
      </div>
      <dl className="counts">
        <div className={`count${n.hostsDown > 0 ? ' tone-error' : ''}`}>
          <dt>Hosts online</dt>
          <dd>{formatCount(n.hostsOnline)}<span className="of">/{formatCount(n.hostsTotal)}</span></dd>
        </div>
        <div className="count">
          <dt>Running</dt>
          <dd>{formatCount(c.running)}<span className="of">/{formatCount(c.total)}</span></dd>
        </div>
        <div className={`count${c.unhealthy > 0 ? ' tone-error' : ' tone-zero'}`}>
          <dt>Unhealthy</dt>
          <dd>{c.unhealthy > 0 && <Shape kind="triangle" />}{formatCount(c.unhealthy)}</dd>
        </div>
        <div className={`count${c.restarting > 0 ? ' tone-warn' : ' tone-zero'}`}>
          <dt>Restarting</dt>
          <dd>{c.restarting > 0 && <Shape kind="cycle" />}{formatCount(c.restarting)}</dd>
        </div>
        <div className={`count${c.stopped > 0 ? ' tone-stopped' : ' tone-zero'}`}>
          <dt>Stopped</dt>
          <dd>{c.stopped > 0 && <Shape kind="square" />}{formatCount(c.stopped)}</dd>
        </div>
      </dl>
      <AlertsCount />
      <ThemeButton />
    </header>
  );
}
