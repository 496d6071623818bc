// The alert service: the alertEvents feed (the history's recent past, then every alert and ack from
// any process on the data directory) and acks; and the rules between the detector and the history:
// kinds turned off, muted services and groups, and the cooldown per container (or host) and kind,
// counted over every process's alerts, since the history is read again before each one is written.
// Detection runs while anyone follows the feed: the console's page always does (its top-bar
// count), `fleetdeck alerts --watch` does; a one-shot CLI command never starts it.
import type { Alert, AlertChange } from '../../shared/alerts';
import type { Clock, Timer } from '../clock/clock';
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
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  log?: (message: string) => void;
}

const HOST_KINDS = new Set<Alert['kind']>(['host-offline', 'host-back']);
/**
 * Detection goes on this long after the last follower left: a page reload (or the Electron window
 * reloading) resubscribes within a second or two, and must not drop the decisions in flight nor
 * forget which hosts were online.
 */
export const DETECTION_LINGER_MS = 30_000;

export class AlertService implements AlertFeed {
  private followers = 0;
  private detection: Detection | undefined;
  private lingering: Timer | undefined;

  constructor(private readonly deps: AlertServiceDeps) {}

  /** The detector whose alerts `admit` takes; it runs while the feed has followers. */
  attach(detection: Detection): void {
    this.detection = detection;
    if (this.followers > 0) detection.start();
  }

  subscribe(onChange: (change: AlertChange) => void): () => void {
    const unsubscribe = this.deps.history.subscribe(onChange);
    this.deps.clock.clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.followers++ === 0) this.detection?.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (--this.followers > 0) return;
      this.lingering = this.deps.clock.setTimeout(() => {
        this.lingering = undefined;
        this.detection?.stop();
      }, DETECTION_LINGER_MS);
      this.lingering.unref();
    };
  }

  async ack(which: { ids: string[] } | { all: true }): Promise<{ acked: number }> {
    return { acked: this.deps.history.ack(which, this.deps.user) };
  }

  /** Stops the linger timer (the core closing). */
  close(): void {
    this.deps.clock.clearTimeout(this.lingering);
    this.lingering = undefined;
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
