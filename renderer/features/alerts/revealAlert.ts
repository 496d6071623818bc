// Shows what an alert points at (a notification was clicked, or Enter on its row): a container's
// row selected in the Containers view, as the palette's "go to" does (clearing a filter that hides
// it, expanding its sections); a host selected in the hosts panel. A container that is gone leaves
// the Alerts view showing, where the alert still is.
import type { Alert } from '../../../shared/alerts';
import { useFleet } from '../../stores/fleet';
import { revealContainer, revealHost } from '../palette/paletteActions';
import { showView } from '../stats/ViewTabs';
import { alertTarget } from './alertTarget';

export function revealAlert(a: Alert): void {
  const { hosts, containers } = useFleet.getState();
  const target = alertTarget(a, hosts, containers);
  if (target.kind === 'container') revealContainer(target.container);
  else if (target.kind === 'host') {
    showView('containers');
    revealHost(target.host);
  } else showView('alerts');
}
