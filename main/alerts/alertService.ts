// The alert service: the alertEvents feed (the history's recent past, then every alert and ack from
// any process on the data directory) and acks; and the rules between the detector and the history:
// kinds turned off, muted services and groups, and the cooldown per container (or host) and kind,
// counted over every process's alerts, since the history is read again before each one is written.
// Detection runs while anyone follows the feed: the console's page always does (its top-bar
// count), `fleetdeck alerts --watch` does; a one-shot CLI command never starts it.
import type { Alert, AlertChange } from '../../shared/alerts';
import type { AlertRules } from '../fleet/alertRules';
import type { AlertFeed } from './bind';
import { cooldownKey } from './alertLines';
import type { AlertLog } from './alertLog';

/** What the service needs of the detector. */
export interface Detection {
  start(): void;
  stop(): void;
}

export interface AlertServiceDeps {
  history: Pick<AlertLog, 'subscribe' | 'raise' | 'ack' | 'lastRaisedAt'>;
  rules: AlertRules;
  /** Who acks through this process (the OS user). */
  user: string;
  log?: (message: string) => void;
}

const HOST_KINDS = new Set<Alert['kind']>(['host-offline', 'host-back']);

export class AlertService implements AlertFeed {
  private followers = 0;
  private detection: Detection | undefined;

  constructor(private readonly deps: AlertServiceDeps) {}

  /** The detector whose alerts `admit` takes; it runs while the feed has followers. */
  attach(detection: Detection): void {
    this.detection = detection;
    if (this.followers > 0) detection.start();
  }

  subscribe(onChange: (change: AlertChange) => void): () => void {
    const unsubscribe = this.deps.history.subscribe(onChange);
    if (this.followers++ === 0) this.detection?.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (--this.followers === 0) this.detection?.stop();
    };
  }

  async ack(which: { ids: string[] } | { all: true }): Promise<{ acked: number }> {
    return { acked: this.deps.history.ack(which, this.deps.user) };
  }

  /** Writes the alert to the history unless the rules drop it; says whether it was written. */
  admit(alert: Alert): boolean {
    const { kinds, mute, cooldownMs } = this.deps.rules;
    if (!kinds[alert.kind]) return false;
    if (!HOST_KINDS.has(alert.kind) && ((alert.service && mute.services.includes(alert.service)) || (alert.group && mute.groups.includes(alert.group)))) return false;
    const last = this.deps.history.lastRaisedAt(cooldownKey(alert));
    if (last !== undefined && Math.abs(Date.parse(alert.time) - last) < cooldownMs) return false;
    try {
      return this.deps.history.raise(alert);
    } catch (err) {
      this.deps.log?.(`alerts: cannot write ${alert.kind} of ${alert.container ?? alert.host} to the history: ${(err as Error).message}`);
      return false;
    }
  }
}
