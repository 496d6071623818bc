// The one way views ask for a container action: checks it makes sense, asks for
// confirmation when it interrupts service, otherwise runs it through the fleet store.
import type { Container, ContainerAction } from '../../../shared/model';
import { containerKey, useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';
import { canRun, isDestructive } from './containerState';

export function requestAction(c: Container, action: ContainerAction): void {
  const fleet = useFleet.getState();
  if (!canRun(action, c, fleet.hosts.get(c.host)) || fleet.pending.has(containerKey(c))) return;
  if (isDestructive(action)) useUi.getState().askConfirm({ host: c.host, id: c.id, action });
  else void fleet.runAction({ host: c.host, id: c.id }, action);
}

/** Single-key shortcuts while the grid has focus (shown on the buttons too). */
export const ACTION_KEYS: Record<ContainerAction, string> = { start: 's', stop: 'x', restart: 'r' };
