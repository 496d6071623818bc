// The core's Api: each feature's binding of its contract slice, composed. Typecheck fails here
// when a contract entry has no binding.
import type { Api } from '../../shared/contract';
import type { ActionPath } from '../actions/actionPath';
import { bindActions } from '../actions/bind';
import { bindAlerts, type AlertFeed } from '../alerts/bind';
import { bindAudit, type AuditFeed } from '../audit/bind';
import { bindFleet, type FleetSource } from '../fleet/bind';
import type { FleetSpec } from '../fleet/spec';
import { bindLogs, type LogViews } from '../logs/bind';
import { bindIpMap, type IpCreateCalls, type IpMapFeed } from '../ipmap/bind';
import { bindRegistry, type RegistryFeed } from '../registry/bind';
import { bindRollout, type RolloutBindDeps } from '../rollout/bind';
import { bindStats } from '../stats/bind';
import type { StatsSampler } from '../stats/sampler';
import { bindTerminal } from '../terminal/bind';
import type { TerminalService } from '../terminal/terminalService';

export interface CoreApiDeps {
  fleet: FleetSpec;
  model: FleetSource;
  mode: 'electron' | 'browser';
  version: string;
  actions: ActionPath;
  audit: AuditFeed;
  terminals: TerminalService;
  stats: StatsSampler;
  registry: RegistryFeed;
  ipMap: { map: IpMapFeed; create: IpCreateCalls };
  rollouts: { console: RolloutBindDeps['service']; journal: RolloutBindDeps['journal']; feed: RolloutBindDeps['feed'] };
  logs: LogViews;
  alerts: AlertFeed;
  log?: (message: string) => void;
}

export function createCoreApi(deps: CoreApiDeps): Api {
  const api = {
    ...bindFleet(deps),
    ...bindActions(deps.actions),
    ...bindAudit(deps.audit),
    ...bindTerminal(deps.terminals),
    ...bindStats(deps.stats),
    ...bindRegistry(deps.registry),
    ...bindIpMap(deps.ipMap.map, deps.ipMap.create),
    ...bindLogs(deps.logs),
    ...bindAlerts(deps.alerts),
    ...bindRollout({ service: deps.rollouts.console, journal: deps.rollouts.journal, feed: deps.rollouts.feed, ...(deps.log ? { log: deps.log } : {}) }),
  } satisfies Api;
  return api;
}
