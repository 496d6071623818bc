// fleetdeck audit: the audit log read from the data directory alone (no host is contacted), oldest
// first; with --json one object per action, merged from its start and end lines.
import type { AuditEntry } from '../../shared/audit';
import { readAudit, ROTATED_FILES } from '../audit/auditFiles';
import { nodeFiles } from '../files/durableFiles';
import { formatTable, shortTime } from './table';

export interface AuditCommandOptions {
  /** The data directory (main/audit/dataDir.ts). */
  dir: string;
  /** Only actions started at or after this time (ms since the epoch). */
  since?: number;
  json: boolean;
  warn: (message: string) => void;
}

export function auditCommand(options: AuditCommandOptions): string {
  const entries = readAudit({ dir: options.dir, files: nodeFiles, keep: ROTATED_FILES }, { warn: options.warn, ...(options.since !== undefined ? { since: options.since } : {}) });
  if (options.json) return `${JSON.stringify(entries, null, 2)}\n`;
  return formatTable(
    ['TIME (UTC)', 'USER', 'SOURCE', 'ACTION', 'TARGET', 'SERVICE', 'RESULT', 'TOOK', 'ERROR'],
    entries.map((e) => [shortTime(e.time), e.user, e.source, e.action, [e.target.host, e.target.container].filter(Boolean).join('/'), e.target.service ?? '', e.result, took(e), e.error ?? '']),
  );
}

function took(entry: AuditEntry): string {
  if (!entry.endTime) return '';
  const ms = Date.parse(entry.endTime) - Date.parse(entry.time);
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
