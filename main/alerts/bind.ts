// Binds the alerts slice to the core's alert service (main/alerts).
import type { AlertChange, alertsSlice } from '../../shared/alerts';
import type { ApiOf, Unsubscribe } from '../../shared/slice';

/** The part of the alert service the slice drives. */
export interface AlertFeed {
  /** The recent past first (one change), then every new alert and ack, from this process or another on the same data directory. */
  subscribe(onChange: (change: AlertChange) => void): Unsubscribe;
  ack(which: { ids: string[] } | { all: true }): Promise<{ acked: number }>;
}

export function bindAlerts(alerts: AlertFeed): ApiOf<typeof alertsSlice> {
  return {
    alertsAck: (which) => alerts.ack(which),
    alertEvents: (_params, onEvent) => alerts.subscribe(onEvent),
  };
}
