// The core's log views: main/logs's LogService over the fleet's host connections.
import type { LogViews } from '../logs/bind';
import type { LogHost } from '../logs/logSource';
import { LogService } from '../logs/logService';
import type { Clock } from '../clock/clock';

export interface CoreLogsDeps {
  hosts: readonly LogHost[];
  serviceLabel: string;
  clock: Clock;
  log?: (message: string) => void;
}

export interface CoreLogs {
  views: LogViews;
  /** The same service, with stats() for tests and benchmarks. */
  service: LogService;
  close(): Promise<void>;
}

export function createCoreLogs(deps: CoreLogsDeps): CoreLogs {
  const service = new LogService({
    host: (name) => deps.hosts.find((h) => h.spec.name === name),
    serviceLabel: deps.serviceLabel,
    clock: deps.clock,
    ...(deps.log ? { log: deps.log } : {}),
  });
  return { views: service, service, close: () => service.closeAll() };
}
