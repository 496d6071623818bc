// Binds the logs slice to the core's log views (main/logs).
import type { LogEvent, LogOpenResult, logsSlice } from '../../shared/logs';
import type { LogOpenRequest } from '../../shared/logs';
import type { ApiOf, OnEnd, Unsubscribe } from '../../shared/slice';

/** The part of the log service the slice drives. */
export interface LogViews {
  open(request: LogOpenRequest): Promise<LogOpenResult>;
  ack(viewId: string, chars: number): void;
  close(viewId: string): Promise<void>;
  /** The view's held lines first, then the rest; `onEnd` once the view is closed or gone. */
  subscribe(viewId: string, onEvent: (event: LogEvent) => void, onEnd?: OnEnd): Unsubscribe;
}

export function bindLogs(views: LogViews): ApiOf<typeof logsSlice> {
  return {
    logsOpen: (request) => views.open(request),
    logsAck: async ({ viewId, chars }) => views.ack(viewId, chars),
    logsClose: ({ viewId }) => views.close(viewId),
    logEvents: ({ viewId }, onEvent, onEnd) => views.subscribe(viewId, onEvent, onEnd),
  };
}
