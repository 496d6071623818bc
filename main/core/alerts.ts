// The core's alerts: PLACEHOLDER until main/alerts's service lands (issue 14, helper D).
import type { AlertFeed } from '../alerts/bind';

export interface CoreAlertsDeps {
  log?: (message: string) => void;
}

export interface CoreAlerts {
  feed: AlertFeed;
  close(): void;
}

export function createCoreAlerts(_deps: CoreAlertsDeps): CoreAlerts {
  const feed: AlertFeed = {
    subscribe: (onChange) => {
      onChange({ alerts: [] });
      return () => {};
    },
    ack: async () => ({ acked: 0 }),
  };
  return { feed, close: () => {} };
}
