// The alert history's lines (alerts.jsonl in the data directory), as pure functions: one line per
// alert raised, and ack lines naming the alerts someone acknowledged. Lines to alerts: an index of
// the recent ones by id (acks applied), with when each container's (or host's) kind last fired,
// which the cooldown reads.
import { z } from 'zod';
import { Alert } from '../../shared/alerts';
import type { LineFormat } from '../files/jsonLines';

export const ALERTS_FILE = 'alerts.jsonl';

const RaisedLine = z.object({ type: z.literal('alert'), alert: Alert.omit({ ackedAt: true, ackedBy: true }) });
const AckLine = z.object({ type: z.literal('ack'), ids: z.array(z.string().min(1)).min(1), time: z.string(), by: z.string() });
export const AlertLine = z.discriminatedUnion('type', [RaisedLine, AckLine]);
export type AlertLine = z.infer<typeof AlertLine>;

export const ALERT_FORMAT: LineFormat<AlertLine> = {
  label: 'alerts',
  accept(value) {
    const parsed = AlertLine.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  },
};

/** What the cooldown is counted per: a container's name on its host (it survives a recreate), or the host. */
export function cooldownKey(alert: Pick<Alert, 'kind' | 'host' | 'container'>): string {
  return `${alert.kind}\u0000${alert.host}\u0000${alert.container ?? ''}`;
}

export interface IndexLimits {
  /** At most this many alerts are kept, the oldest dropped first. */
  max: number;
  /** Alerts older than this (ms) are dropped, against `now`. */
  maxAgeMs: number;
  now: () => number;
}

/** The recent alerts by id, in the order they were written, with their acks. */
export class AlertIndex {
  private readonly byId = new Map<string, Alert>();
  private readonly lastRaised = new Map<string, number>();

  constructor(private readonly limits: IndexLimits = { max: Infinity, maxAgeMs: Infinity, now: () => 0 }) {}

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Alert | undefined {
    const alert = this.byId.get(id);
    return alert && { ...alert };
  }

  /** When an alert of this kind last fired for this container (or host), ms since the epoch. */
  lastRaisedAt(key: string): number | undefined {
    return this.lastRaised.get(key);
  }

  /** Applies lines in file order; returns the alerts they added or acked (copies), oldest first. */
  apply(lines: readonly AlertLine[]): Alert[] {
    const changed = new Map<string, Alert>();
    for (const line of lines) {
      if (line.type === 'alert') {
        const key = cooldownKey(line.alert);
        const at = Date.parse(line.alert.time);
        this.lastRaised.set(key, Math.max(at, this.lastRaised.get(key) ?? -Infinity));
        if (this.byId.has(line.alert.id)) continue;
        this.byId.set(line.alert.id, { ...line.alert });
        changed.set(line.alert.id, this.byId.get(line.alert.id)!);
      } else {
        for (const id of line.ids) {
          const alert = this.byId.get(id);
          if (!alert || alert.ackedAt !== undefined) continue;
          alert.ackedAt = line.time;
          alert.ackedBy = line.by;
          changed.set(id, alert);
        }
      }
    }
    this.prune();
    return [...changed.values()].filter((a) => this.byId.has(a.id)).map((a) => ({ ...a }));
  }

  /** Every alert kept, oldest first (copies). */
  list(): Alert[] {
    this.prune();
    return [...this.byId.values()].map((a) => ({ ...a }));
  }

  /** Ids of the alerts nobody has acknowledged. */
  unacked(): string[] {
    return [...this.byId.values()].filter((a) => a.ackedAt === undefined).map((a) => a.id);
  }

  private prune(): void {
    const { max, maxAgeMs, now } = this.limits;
    const oldest = now() - maxAgeMs;
    for (const [id, alert] of this.byId) {
      if (this.byId.size <= max && Date.parse(alert.time) >= oldest) break;
      this.byId.delete(id);
    }
  }
}
