// The one way views open logs: a container's, or a service's replicas merged. Shows the Logs view
// with the log taking the keyboard; a live view of the same target is shown instead of a second.
import type { Container } from '../../../shared/model';
import { useLogs } from '../../stores/logs';
import { showView } from '../stats/ViewTabs';

type Member = Pick<Container, 'host' | 'id' | 'name'>;

export function openContainerLogs(c: Member): void {
  useLogs.getState().open({ kind: 'container', host: c.host, id: c.id, name: c.name });
  showView('logs');
}

/** Every replica of the service (in the order given: the grid's, by host then name). */
export function openServiceLogs(service: string, members: readonly Member[]): void {
  if (members.length === 0) return;
  useLogs.getState().open({ kind: 'service', service, members: members.map((m) => ({ host: m.host, id: m.id, name: m.name })) });
  showView('logs');
}
