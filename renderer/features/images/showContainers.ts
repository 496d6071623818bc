// From a tag in the Images view to its containers in the Containers grid: the grid filtered by the
// reference they were created from, nothing else hiding rows (host filter, problems only, closed
// sections), the first of them selected and the keyboard in the grid.
import type { ContainerImage } from '../../../shared/registry';
import { useUi } from '../../stores/ui';
import { containerRowKey } from '../fleet/rows';
import { showView } from '../stats/ViewTabs';

export function showContainersOf(reference: string, containers: readonly ContainerImage[]): void {
  const ui = useUi.getState();
  ui.setHostFilter(null);
  if (ui.problemsOnly) ui.toggleProblemsOnly();
  ui.setAllCollapsed([]);
  ui.setFilter(reference);
  const first = containers.find((c) => c.image === reference) ?? containers[0];
  if (first) ui.select(containerRowKey(first));
  showView('containers');
}
