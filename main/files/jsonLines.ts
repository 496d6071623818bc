// JSON Lines bytes to values, shared by the audit log and the rollout journal: a torn or foreign
// line is skipped with a warning, never fatal, and a last line without its newline is left for
// later unless the file is final.

const NEWLINE = 0x0a;

export interface ParsedChunk<T> {
  lines: T[];
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

export interface LineFormat<T> {
  /** Names the file's owner in warnings ("audit", "rollout journal"). */
  label: string;
  /** The value of one parsed JSON line, or undefined where it is not one of ours. */
  accept(value: unknown): T | undefined;
}

/**
 * Lines from `bytes`. Works on bytes, not text: a newline byte never occurs inside a UTF-8
 * sequence, so a chunk cut anywhere splits only at line ends.
 */
export function parseJsonLines<T>(bytes: Buffer, source: ChunkSource, format: LineFormat<T>, warn: (message: string) => void): ParsedChunk<T> {
  const lines: T[] = [];
  let start = 0;
  const take = (end: number, torn: boolean) => {
    const text = bytes.toString('utf8', start, end);
    if (text.trim()) {
      const line = parseLine(text, format);
      if (line !== undefined) lines.push(line);
      else warn(`${format.label}: skipping an unreadable line in ${source.file} at byte ${source.offset + start}${torn ? ' (torn by a crash mid-write)' : ''}`);
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

function parseLine<T>(text: string, format: LineFormat<T>): T | undefined {
  try {
    return format.accept(JSON.parse(text));
  } catch {
    return undefined;
  }
}
