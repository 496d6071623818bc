// The core's log views: PLACEHOLDER until main/logs's service lands (issue 14, helper A).
import type { LogViews } from '../logs/bind';

export interface CoreLogsDeps {
  log?: (message: string) => void;
}

export interface CoreLogs {
  views: LogViews;
  close(): Promise<void>;
}

export function createCoreLogs(_deps: CoreLogsDeps): CoreLogs {
  const views: LogViews = {
    open: async () => ({ ok: false, message: 'logs are not built yet' }),
    ack: () => {},
    close: async () => {},
    subscribe: (_id, _onEvent, onEnd) => {
      onEnd?.();
      return () => {};
    },
  };
  return { views, close: async () => {} };
}
