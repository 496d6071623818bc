// The audit file's lines, as pure functions: bytes to lines (a torn or foreign line is skipped
// with a warning, never fatal), and lines to one entry per action (its start line completed by its
// end line; one that never ended stays "unknown").
import { AuditLine, type AuditEntry } from '../../shared/audit';
import { parseJsonLines, type ChunkSource, type LineFormat, type ParsedChunk } from '../files/jsonLines';

const AUDIT_FORMAT: LineFormat<AuditLine> = {
  label: 'audit',
  accept(value) {
    const parsed = AuditLine.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  },
};

/** Audit lines from `bytes` (see parseJsonLines). */
export function parseChunk(bytes: Buffer, source: ChunkSource, warn: (message: string) => void): ParsedChunk<AuditLine> {
  return parseJsonLines(bytes, source, AUDIT_FORMAT, warn);
}

/**
 * One entry per action id, in the order the actions started. With a `limit`, only the most recent
 * actions are kept (the console's live view); an end line whose start was dropped is ignored.
 */
export class AuditIndex {
  private readonly byId = new Map<string, AuditEntry>();

  constructor(private readonly limit = Infinity) {}

  /** Applies lines in file order; returns the entries they created or completed (copies). */
  apply(lines: AuditLine[]): AuditEntry[] {
    const changed = new Map<string, AuditEntry>();
    for (const line of lines) {
      const entry = line.phase === 'start' ? this.started(line) : this.ended(line);
      if (entry) changed.set(entry.id, entry);
    }
    return [...changed.values()].filter((e) => this.byId.has(e.id)).map((e) => ({ ...e }));
  }

  /** Every entry kept, oldest first (copies). */
  list(): AuditEntry[] {
    return [...this.byId.values()].map((e) => ({ ...e }));
  }

  private started(line: AuditLine): AuditEntry | undefined {
    if (this.byId.has(line.id)) return undefined;
    const entry: AuditEntry = { id: line.id, time: line.time, user: line.user, source: line.source, action: line.action, target: line.target, ...(line.params ? { params: line.params } : {}), result: 'unknown' };
    this.byId.set(line.id, entry);
    if (this.byId.size > this.limit) this.byId.delete(this.byId.keys().next().value!);
    return entry;
  }

  private ended(line: AuditLine): AuditEntry | undefined {
    const entry = this.byId.get(line.id);
    if (!entry) return undefined;
    entry.endTime = line.time;
    entry.result = line.result ?? 'unknown';
    if (line.error) entry.error = line.error;
    return entry;
  }
}

/** One entry per action, merged from its lines, oldest first. */
export function mergeLines(lines: AuditLine[]): AuditEntry[] {
  const index = new AuditIndex();
  index.apply(lines);
  return index.list();
}
