// Which service's history the Rollouts tab shows instead of its list, if any: one value that the
// tab, the History button and the grid's service bar share. UI state only.
import { sharedValue } from '../../components/sharedValue';
import { useUi } from '../../stores/ui';

const shown = sharedValue<string | null>(null);

/** Shows the service's history in the Rollouts tab (switching to it). */
export function showHistory(service: string): void {
  shown.set(service);
  useUi.getState().setView('rollouts');
}

export const closeHistory = (): void => shown.set(null);

export const useHistoryService = (): string | null => shown.useValue();
