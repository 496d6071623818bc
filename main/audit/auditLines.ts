// The audit file's lines, as pure functions: bytes to lines (a torn or foreign line is skipped
// with a warning, never fatal), and lines to one entry per action (its start line completed by its
// end line; one that never ended stays "unknown").
import { AuditLine, type AuditEntry } from '../../shared/audit';

const NEWLINE = 0x0a;

export interface ParsedChunk {
  lines: AuditLine[];
  /** Bytes taken, up to and including the last newline (all of them where `final`). */
  consumed: number;
  /** Bytes after the last newline that were left for later (a line still being written, or torn). */
  unterminated: number;
}

export interface ChunkSource {
  /** The file, for warnings. */
  file: string;
  /** Where `bytes` start in it, for warnings. */
  offset: number;
  /**
   * The file will not grow (a rotated file, or a one-off read): a last line without its newline
   * is parsed too, and skipped as torn if it does not parse. Otherwise it is left for later, since
   * another process may be writing it right now.
   */
  final: boolean;
}

/**
 * Lines from `bytes`. Works on bytes, not text: a newline byte never occurs inside a UTF-8
 * sequence, so a chunk cut anywhere splits only at line ends.
 */
export function parseChunk(bytes: Buffer, source: ChunkSource, warn: (message: string) => void): ParsedChunk {
  const lines: AuditLine[] = [];
  let start = 0;
  const take = (end: number, torn: boolean) => {
    const text = bytes.toString('utf8', start, end);
    if (text.trim()) {
      const line = parseLine(text);
      if (line) lines.push(line);
      else warn(`audit: skipping an unreadable line in ${source.file} at byte ${source.offset + start}${torn ? ' (torn by a crash mid-write)' : ''}`);
    }
  };
  for (let nl = bytes.indexOf(NEWLINE); nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
    take(nl, false);
    start = nl + 1;
  }
  if (!source.final) return { lines, consumed: start, unterminated: bytes.length - start };
  if (start < bytes.length) take(bytes.length, true);
  return { lines, consumed: bytes.length, unterminated: 0 };
}

function parseLine(text: string): AuditLine | undefined {
  try {
    const parsed = AuditLine.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
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
