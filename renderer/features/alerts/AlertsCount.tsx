// The top bar's unacknowledged alerts: "Alerts" and the count, red above 0; a button that opens
// the Alerts view.
import { formatCount } from '../../components/format';
import { Shape } from '../../components/Shape';
import { useAlerts } from '../../stores/alerts';
import { showView } from '../stats/ViewTabs';
import './alerts.css';

export function AlertsCount() {
  const unacked = useAlerts((s) => s.unacked);
  const live = useAlerts((s) => s.status === 'live');
  return (
    <button
      type="button"
      className={`count alerts-count${unacked > 0 ? ' tone-error' : ' tone-zero'}`}
      aria-label={`Alerts: ${unacked} unacknowledged`}
      title={live ? 'Unacknowledged alerts: open the Alerts view' : 'Not following the alerts now: open the Alerts view'}
      onClick={() => showView('alerts')}
    >
      <span className="alerts-count-label">Alerts</span>
      <span className="alerts-count-value">{unacked > 0 && <Shape kind="triangle" />}{formatCount(unacked)}</span>
    </button>
  );
}
