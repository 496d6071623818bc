// Composition root: wires the fleet spec to host connections, the inventory and the Api.
// Side effects enter through `connect`, so tests can pass fakes and integration tests the real lab.
import type { Actor } from '../../shared/audit';
import type { Api } from '../../shared/contract';
import { systemClock, type Clock } from '../clock/clock';
import { ActionPath } from '../actions/actionPath';
import { AuditLog } from '../audit/auditLog';
import { processFleetEnv, type FleetEnv } from '../fleet/environment';
import type { FleetSpec, HostSpec } from '../fleet/spec';
import { FleetModel } from '../inventory/fleetModel';
import type { EngineHost } from '../inventory/hostInventory';
import { daemonImages } from '../registry/daemonImages';
import { createFleetRegistryService, type RegistryClientFactory } from '../registry/fleetRegistries';
import type { RegistryService } from '../registry/registryService';
import { StatsSampler, type StatsHost, type StatsSamplerOptions } from '../stats/sampler';
import type { TerminalHost } from '../terminal/shellSource';
import { TerminalService } from '../terminal/terminalService';
import { createCoreApi } from './api';
import { createCoreAlerts, type CoreAlerts } from './alerts';
import { createCoreIpMap, type CoreIpMap } from './ipMap';
import { createCoreLogs, type CoreLogs } from './logs';
import { createCoreRollouts, type CoreRollouts } from './rollouts';

export interface ManagedHost extends EngineHost, TerminalHost, StatsHost {
  readonly spec: HostSpec;
  start(): void;
  close(): Promise<void>;
}

export interface CoreOptions {
  mode: 'electron' | 'browser';
  version: string;
  /** `clock` is the core's: pass it to the connection, so every service runs on the one clock. */
  connect: (spec: HostSpec, deps: { clock: Clock }) => ManagedHost;
  /** Time and timers for the connections, the inventory, the sampler and the terminals (default: the system clock). */
  clock?: Clock;
  /** Who acts through this core: the OS user, and the front end (console or cli). */
  actor: Actor;
  /** The data directory (audit log); see main/audit/dataDir.ts. */
  dataDir: string;
  log?: (message: string) => void;
  /** How long a terminal session nobody watches stays open (default: 5 minutes). */
  terminalOrphanTimeoutMs?: number;
  /** Stats sampling: rates (default 1 s focused, 10 s the rest), per-host concurrency, fakes for tests. */
  stats?: Omit<StatsSamplerOptions, 'hosts' | 'containers' | 'clock'>;
  /** Where the registries' credentials are found: HOME, DOCKER_CONFIG, PATH (default: this process's). */
  registryEnv?: FleetEnv;
  /** The registries' clients (default: main/registry's Registry v2 client); tests may pass fakes. */
  registryClient?: RegistryClientFactory;
  /**
   * Whether a paused rollout of this core's service ends (its locks released, `resume ID` carries it
   * on later: the one-shot CLI) or waits, paused, for a resume (default false: the console).
   */
  rolloutEndOnPause?: boolean;
}

export interface Core {
  api: Api;
  model: FleetModel;
  hosts: ManagedHost[];
  /** Terminal sessions; also an EventEmitter ('data', 'ack') and stats() for benchmarks. */
  terminals: TerminalService;
  /** Live stats: samples, history and aggregates (the loop runs while statsTicks has subscribers). */
  stats: StatsSampler;
  /** Every daemon-changing action goes through here, audited. */
  actions: ActionPath;
  audit: AuditLog;
  /** The fleet file's registries: tags, digests, and where each image runs. */
  registry: RegistryService;
  /** The rollout engine over the data directory's journal and locks, and its live feed. */
  rollouts: CoreRollouts;
  /** The IP map: every host's networks and endpoints, live, with segments, pools and conflicts. */
  ipMap: CoreIpMap;
  /** Log views: each follows one container's logs, or a service's replicas merged by time. */
  logs: CoreLogs;
  /** Alerts raised from events, host states and samples; kept in the data directory. */
  alerts: CoreAlerts;
  /** Waits until every host has answered or failed, at most `timeoutMs`; returns the hosts still pending. */
  settled(timeoutMs: number): Promise<string[]>;
  close(): Promise<void>;
}

export function createCore(fleet: FleetSpec, options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const hosts = fleet.hosts.map((spec) => options.connect(spec, { clock }));
  const model = new FleetModel(hosts, fleet.services, { clock, ...(options.log ? { log: options.log } : {}) });
  const terminals = new TerminalService({
    host: (name) => hosts.find((h) => h.spec.name === name),
    clock,
    ...(options.log ? { log: options.log } : {}),
    ...(options.terminalOrphanTimeoutMs ? { orphanTimeoutMs: options.terminalOrphanTimeoutMs } : {}),
  });
  const stats = new StatsSampler({
    ...(options.log ? { log: options.log } : {}),
    ...options.stats,
    clock,
    hosts,
    containers: (host) => model.containers(host),
  });
  const audit = new AuditLog({ dir: options.dataDir, clock, ...(options.log ? { log: options.log } : {}) });
  const actions = new ActionPath({ targets: model, audit, actor: options.actor, clock, ...(options.log ? { log: options.log } : {}) });
  const registryEnv = options.registryEnv ?? processFleetEnv();
  const registry = createFleetRegistryService(fleet.registries, {
    env: registryEnv,
    clock,
    daemons: daemonImages(model, clock),
    ...(options.registryClient ? { client: options.registryClient } : {}),
  });
  const rollouts = createCoreRollouts({
    hostNames: () => hosts.map((h) => h.spec.name),
    model,
    actions,
    registry,
    registries: fleet.registries,
    env: registryEnv,
    clock,
    actor: options.actor,
    dataDir: options.dataDir,
    endOnPause: options.rolloutEndOnPause ?? false,
    ...(options.log ? { log: options.log } : {}),
  });
  const ipMap = createCoreIpMap({ fleet, hosts, actions, clock, dataDir: options.dataDir, ...(options.log ? { log: options.log } : {}) });
  const logs = createCoreLogs({ hosts, serviceLabel: fleet.services.label, clock, ...(options.log ? { log: options.log } : {}) });
  const alerts = createCoreAlerts({
    hosts,
    samples: stats,
    containers: (host) => model.containers(host),
    audit,
    clock,
    dataDir: options.dataDir,
    rules: fleet.alerts,
    labels: fleet.services,
    user: options.actor.user,
    ...(options.log ? { log: options.log } : {}),
  });
  const api = createCoreApi({ fleet, model, mode: options.mode, version: options.version, actions, audit, terminals, stats, registry, rollouts, ipMap: { map: ipMap.service, create: ipMap.calls }, logs: logs.views, alerts: alerts.feed, ...(options.log ? { log: options.log } : {}) });
  for (const host of hosts) host.start();

  return {
    api,
    model,
    hosts,
    terminals,
    stats,
    actions,
    audit,
    registry,
    rollouts,
    ipMap,
    logs,
    alerts,
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const pending = () => hosts.map((h) => h.spec.name).filter((name) => !model.isSettled(name));
      while (pending().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return pending();
    },
    async close() {
      alerts.close();
      await logs.close();
      stats.close();
      ipMap.service.close();
      audit.close();
      await terminals.close();
      model.close();
      await Promise.allSettled(hosts.map((h) => h.close()));
    },
  };
}
