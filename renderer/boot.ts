// Boot: the app's stores, each made once by its factory from the bridge's Api and bound to the
// name components use (useFleet, useUi, …), then their streams followed for as long as the page
// lives.
import type { Api } from '../shared/contract';
import { createNotificationsStore, pageNotificationHost, useNotifications } from './features/alerts/desktopNotifications';
import { revealAlert } from './features/alerts/revealAlert';
import { showView } from './features/stats/ViewTabs';
import { startTabTerminals } from './features/terminal/tabTerminals';
import { createAlertsStore, useAlerts } from './stores/alerts';
import { createAuditStore, useAudit } from './stores/audit';
import type { ConnectionWatch } from './stores/connection';
import { createFleetStore, useFleet } from './stores/fleet';
import { createIpCreateStore, useIpCreate } from './stores/ipCreate';
import { askUsageOnFleetChange, createImagesStore, useImages } from './stores/images';
import { createIpMapStore, useIpMap } from './stores/ipmap';
import { createLogsStore, useLogs } from './stores/logs';
import { createPlannerStore, usePlanner } from './stores/planner';
import { createRolloutsStore, useRollouts } from './stores/rollouts';
import { createServiceHistoryStore, useServiceHistory } from './stores/serviceHistory';
import { createStatsStore, useStats } from './stores/stats';
import { createTerminalsStore, useTerminals } from './stores/terminals';
import { createUiStore, useUi } from './stores/ui';

/** Makes every store from `api` and binds it to its name. */
export function bindStores(api: Api, connection: ConnectionWatch): void {
  useUi.bind(createUiStore());
  useFleet.bind(createFleetStore(api, connection));
  useStats.bind(createStatsStore(api, connection));
  useTerminals.bind(createTerminalsStore(api));
  useAudit.bind(createAuditStore(api, connection));
  useImages.bind(createImagesStore(api));
  useRollouts.bind(createRolloutsStore(api, connection));
  useIpMap.bind(createIpMapStore(api, connection));
  useServiceHistory.bind(createServiceHistoryStore(api));
  useIpCreate.bind(createIpCreateStore(api));
  useLogs.bind(createLogsStore(api));
  useNotifications.bind(createNotificationsStore(pageNotificationHost(), { reveal: revealAlert, showAll: () => showView('alerts') }));
  useAlerts.bind(createAlertsStore(api, { connection, onNewAlerts: (alerts) => useNotifications.getState().notify(alerts) }));
  usePlanner.bind(createPlannerStore(api, { fleet: () => useFleet.getState(), onFleetChange: (listener) => useFleet.subscribe(listener) }));
}

/** Follows the core: the fleet, stats, audit and rollouts streams, each terminal tab's session, and the images' usage. Returns a stop function. */
export function connectStores(api: Api): () => void {
  void useFleet.getState().connect();
  useStats.getState().connect();
  useAudit.getState().connect();
  useImages.getState().connect();
  useRollouts.getState().connect();
  useIpMap.getState().connect();
  useAlerts.getState().connect();
  const stopUsageFollow = askUsageOnFleetChange(useFleet, useImages);
  const stopTerminals = startTabTerminals(api);
  return () => {
    useFleet.getState().disconnect();
    useStats.getState().disconnect();
    useAudit.getState().disconnect();
    useImages.getState().disconnect();
    useRollouts.getState().disconnect();
    useIpMap.getState().disconnect();
    useAlerts.getState().disconnect();
    stopUsageFollow();
    stopTerminals();
  };
}
