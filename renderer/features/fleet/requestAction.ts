// The one way views ask for a container action: checks it makes sense, asks for
// confirmation when it interrupts service, otherwise runs it through the fleet store.
import type { Container, ContainerAction } from '../../../shared/model';
import { KEYS, type Binding } from '../../components/keybindings';
import { containerKey, useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';
import { canRun, isDestructive } from './containerState';

export function requestAction(c: Container, action: ContainerAction): void {
  const fleet = useFleet.getState();
  if (!canRun(action, c, fleet.hosts.get(c.host)) || fleet.pending.has(containerKey(c))) return;
  if (isDestructive(action)) useUi.getState().askConfirm({ host: c.host, id: c.id, action });
  else void fleet.runAction({ host: c.host, id: c.id }, action);
}

/** Each action's shortcut in the keybinding registry. */
export const ACTION_BINDINGS: Record<ContainerAction, Binding> = { start: KEYS.start, stop: KEYS.stop, restart: KEYS.restart };
