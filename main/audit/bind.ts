// Binds the audit slice: the recent past first, then every entry as it is appended (by this
// process or another one sharing the data directory).
import type { AuditChange, auditSlice } from '../../shared/audit';
import type { ApiOf } from '../../shared/slice';

/** The part of the audit log (main/audit's AuditLog) the slice reads. */
export interface AuditFeed {
  subscribe(onChange: (change: AuditChange) => void): () => void;
}

export function bindAudit(audit: AuditFeed): ApiOf<typeof auditSlice> {
  return {
    auditEntries: (_params, onEvent) => audit.subscribe(onEvent),
  };
}
