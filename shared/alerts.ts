// Alerts: what the console raises from what it already sees (docker events, host states, the
// stats sampler), deduplicated by a cooldown per container and kind, written to the data
// directory (so they outlive a restart and are shared by every process on it), and acknowledged
// by the user.
import { z } from 'zod';
import { call, empty, stream } from './slice';

export const AlertKind = z.enum(['die', 'oom', 'unhealthy', 'restart-loop', 'memory-near-limit', 'host-offline', 'host-back']);
export type AlertKind = z.infer<typeof AlertKind>;

/** One alert, as the CLI's --json prints it (the first seven fields) and the UI shows it. `time` is ISO 8601 UTC. */
export const Alert = z.object({
  id: z.string().min(1),
  time: z.string(),
  kind: AlertKind,
  host: z.string(),
  /** The container's name, for container kinds. */
  container: z.string().optional(),
  containerId: z.string().optional(),
  service: z.string().optional(),
  group: z.string().optional(),
  exitCode: z.number().int().optional(),
  message: z.string(),
  /** Set once acknowledged: when and by whom. */
  ackedAt: z.string().optional(),
  ackedBy: z.string().optional(),
});
export type Alert = z.infer<typeof Alert>;

/** Alerts upserted by id: the first event holds the recent past (newest last), later ones new alerts and acks. */
export const AlertChange = z.object({ alerts: z.array(Alert) });
export type AlertChange = z.infer<typeof AlertChange>;

export const alertsSlice = {
  calls: {
    /** Acknowledges the given alerts, or every unacknowledged one; answers how many were newly acked. */
    alertsAck: call(z.union([z.object({ ids: z.array(z.string().min(1)).min(1).max(10_000) }).strict(), z.object({ all: z.literal(true) }).strict()]), z.object({ acked: z.number().int().min(0) })),
  },
  streams: {
    alertEvents: stream(empty, AlertChange),
  },
};
