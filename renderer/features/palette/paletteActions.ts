// What the palette's entries do, through the same paths as the rest of the UI: views switch
// through showView, container actions through requestAction (stop and restart ask first),
// shells through openShell, logs through openLogs, rollouts through startRollout. "Go to" makes a container visible in the grid (clearing a filter
// that hides it, expanding its sections) and selects it; a host is selected in the hosts panel.
import type { Container, Host } from '../../../shared/model';
import { useAlerts } from '../../stores/alerts';
import { useStats } from '../../stores/stats';
import { useUi, type MainView } from '../../stores/ui';
import { useFleet } from '../../stores/fleet';
import { isProblem } from '../fleet/containerState';
import { FILTER_INPUT_ID } from '../fleet/ContainersGrid';
import { requestAction } from '../fleet/requestAction';
import { containerRowKey, groupKey, matches, NO_GROUP, NO_SERVICE, parseFilter, serviceKey } from '../fleet/rows';
import { HOSTS_LIST_ID } from '../hosts/HostsPanel';
import { openContainerLogs, openServiceLogs } from '../logs/openLogs';
import { serviceMembers } from '../rolloutStart/scope';
import { showView } from '../stats/ViewTabs';
import { askShellAs, openContainerShell, openHostShell } from '../terminal/openShell';
import type { CommandActions, GoToActions } from './entries';
import { startRollout } from '../rolloutStart/startRollout';
import type { RolloutActions } from './rolloutEntries';

/** Runs after the containers grid has rendered the change (the view may have just switched). */
function afterRender(fn: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(fn));
}

export const commandActions: CommandActions<MainView> = {
  showView,
  openShell: openContainerShell,
  shellAs: askShellAs,
  openStats: (c) => useStats.getState().openDetail(c),
  openLogs: openContainerLogs,
  openServiceLogs: (service) => openServiceLogs(service, serviceMembers(useFleet.getState().containers.values(), service)),
  act: requestAction,
  hostShell: (h) => openHostShell(h.name),
  focusFilter: () => {
    useUi.getState().setView('containers');
    afterRender(() => {
      const input = document.getElementById(FILTER_INPUT_ID);
      if (input instanceof HTMLInputElement) {
        input.focus();
        input.select();
      }
    });
  },
  toggleProblemsOnly: () => {
    useUi.getState().toggleProblemsOnly();
    showView('containers');
  },
  ackAllAlerts: () => void useAlerts.getState().ackAll(),
};

/** Undoes whatever keeps the container out of the grid's rows, then selects it there. */
export function revealContainer(c: Container): void {
  const ui = useUi.getState();
  if (ui.hostFilter !== null && ui.hostFilter !== c.host) ui.setHostFilter(null);
  if (ui.problemsOnly && !isProblem(c)) ui.toggleProblemsOnly();
  if (ui.filter !== '' && !matches(c, parseFilter(ui.filter))) ui.setFilter('');
  const group = c.group || NO_GROUP;
  ui.setCollapsed(groupKey(group), false);
  ui.setCollapsed(serviceKey(group, c.service || NO_SERVICE), false);
  ui.select(containerRowKey(c));
  // The grid scrolls its selection into view; showView puts the keyboard there.
  showView('containers');
}

export function revealHost(h: Host): void {
  useUi.getState().selectHost(h.name);
  afterRender(() => document.getElementById(HOSTS_LIST_ID)?.focus());
}

export const goToActions: GoToActions = { goToContainer: revealContainer, goToHost: revealHost };

/** Through the grid's path: a restart opens its plan, Deploy and Roll back ask first. */
export const rolloutActions: RolloutActions = { start: startRollout };
