// The audit log: who did what, to which target, and how it ended. Main appends two lines per
// action (start, then end, with the same id) to a JSON Lines file in the data directory; readers
// merge them into one entry per action.
import { z } from 'zod';
import { empty, stream } from './slice';

export const AuditSource = z.enum(['console', 'cli']);
export type AuditSource = z.infer<typeof AuditSource>;

/** Who is acting: the OS user of the process that acts, and which front end asked. */
export const Actor = z.object({ user: z.string().min(1), source: AuditSource });
export type Actor = z.infer<typeof Actor>;

export const AuditTarget = z.object({ host: z.string(), container: z.string().optional(), service: z.string().optional() });
export type AuditTarget = z.infer<typeof AuditTarget>;

/** One line of the file. `time` is ISO 8601 UTC. */
export const AuditLine = z.object({
  id: z.string().min(1),
  time: z.string(),
  user: z.string(),
  source: AuditSource,
  action: z.string().min(1),
  target: AuditTarget,
  params: z.record(z.string(), z.unknown()).optional(),
  phase: z.enum(['start', 'end']),
  result: z.enum(['ok', 'failed']).optional(),
  error: z.string().optional(),
});
export type AuditLine = z.infer<typeof AuditLine>;

/** One action, merged from its two lines. `unknown`: it started and never ended (cut off, or still running). */
export const AuditEntry = z.object({
  id: z.string(),
  time: z.string(),
  endTime: z.string().optional(),
  user: z.string(),
  source: AuditSource,
  action: z.string(),
  target: AuditTarget,
  params: z.record(z.string(), z.unknown()).optional(),
  result: z.enum(['ok', 'failed', 'unknown']),
  error: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Entries are upserted by id: the first event holds the recent past, later ones what was appended. */
export const AuditChange = z.object({ entries: z.array(AuditEntry) });
export type AuditChange = z.infer<typeof AuditChange>;

export const auditSlice = {
  calls: {},
  streams: {
    auditEntries: stream(empty, AuditChange),
  },
};
