// From a holder on the IP map (a conflict's container) to its row in the Containers grid: the grid
// filtered by its name, nothing else hiding rows (host filter, problems only, closed sections), its
// row selected and the keyboard in the grid. As Images does for a tag's containers.
import { useFleet } from '../../stores/fleet';
import { useUi } from '../../stores/ui';
import { containerRowKey } from '../fleet/rows';
import { showView } from '../stats/ViewTabs';

export function showHolder(holder: { host: string; container: string }): void {
  const ui = useUi.getState();
  ui.setHostFilter(null);
  if (ui.problemsOnly) ui.toggleProblemsOnly();
  ui.setAllCollapsed([]);
  ui.setFilter(holder.container);
  const c = useFleet.getState().containers.get(holder.host)?.find((x) => x.name === holder.container);
  if (c) ui.select(containerRowKey(c));
  showView('containers');
}
