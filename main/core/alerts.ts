// The core's alerts: the history in the data directory, the detector over the hosts' events and
// states and the stats sampler, the audit log as the evidence of our own actions, and the service
// between them (rules, cooldown, the alertEvents feed and acks).
import type Dockerode from 'dockerode';
import type { AlertFeed } from '../alerts/bind';
import { AlertLog } from '../alerts/alertLog';
import { AlertService } from '../alerts/alertService';
import { AlertDetector, type AlertHost, type AlertSamples } from '../alerts/detector';
import { OurActions, type AuditEntries } from '../alerts/ourActions';
import type { Clock } from '../clock/clock';
import { dockerStatus } from '../engine/dockerErrors';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../fleet/alertRules';
import type { ServiceLabels } from '../fleet/spec';
import type { Container } from '../../shared/model';

export interface CoreAlertsDeps {
  hosts: readonly (AlertHost & { readonly docker: Pick<Dockerode, 'getContainer'> })[];
  samples: AlertSamples;
  containers: (host: string) => readonly Container[];
  audit: AuditEntries;
  clock: Clock;
  dataDir: string;
  /** The fleet file's rules (default: every kind, the thresholds). */
  rules?: AlertRules | undefined;
  labels: ServiceLabels;
  /** Who acks through this core. */
  user: string;
  log?: (message: string) => void;
}

export interface CoreAlerts {
  feed: AlertFeed;
  history: AlertLog;
  close(): void;
}

export function createCoreAlerts(deps: CoreAlertsDeps): CoreAlerts {
  const log = deps.log ?? (() => {});
  const rules = deps.rules ?? DEFAULT_ALERT_RULES;
  const history = new AlertLog({ dir: deps.dataDir, clock: deps.clock, log });
  const service = new AlertService({ history, rules, user: deps.user, clock: deps.clock, log });
  const byName = new Map(deps.hosts.map((h) => [h.spec.name, h]));
  const detector = new AlertDetector({
    hosts: deps.hosts,
    samples: deps.samples,
    containers: deps.containers,
    ours: new OurActions(deps.audit, deps.clock),
    oomKilled: async (host, id) => {
      const docker = byName.get(host)?.docker;
      if (!docker) return undefined;
      try {
        const info = (await docker.getContainer(id).inspect()) as { State?: { OOMKilled?: boolean } };
        return info.State?.OOMKilled;
      } catch (err) {
        if (dockerStatus(err) === 404) return undefined; // removed already (docker run --rm)
        throw err;
      }
    },
    rules,
    labels: deps.labels,
    clock: deps.clock,
    raise: (alert) => void service.admit(alert),
    log,
  });
  service.attach(detector);
  return {
    feed: service,
    history,
    close: () => {
      service.close();
      detector.stop();
      history.close();
    },
  };
}
