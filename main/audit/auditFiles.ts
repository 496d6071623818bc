// The audit log's files in the data directory: audit.jsonl, and the rotated audit.jsonl.1 (newest)
// to .5 (oldest). Rotation renames, never truncates in place, under a lock file so that a console
// and a CLI rotating at once cannot rename one file over another. Reads span the rotated files.
import path from 'node:path';
import type { AuditEntry } from '../../shared/audit';
import type { DurableFiles } from '../files/durableFiles';
import { mergeLines, parseChunk } from './auditLines';

export const AUDIT_FILE = 'audit.jsonl';
/** The figure: rotate at 50 MB (about 110,000 actions at ~230 bytes a line, two lines each). */
export const ROTATE_BYTES = 50 * 1024 * 1024;
/** The figure: audit.jsonl.1 … audit.jsonl.5 are kept beside the live file. */
export const ROTATED_FILES = 5;
/**
 * A rotation is six renames, done in well under a millisecond; a lock older than this was left
 * by a process that died while holding it, and is taken over.
 */
export const LOCK_STALE_MS = 10_000;

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** The files of the log, with how to reach them and how many rotated ones it keeps. */
export interface AuditFileSet {
  dir: string;
  files: DurableFiles;
  keep: number;
}

/** `n` = 0: the live file; 1…keep: the rotated ones, newest first. */
export function auditFile(dir: string, n = 0): string {
  return path.join(dir, n === 0 ? AUDIT_FILE : `${AUDIT_FILE}.${n}`);
}

/**
 * Rotates the live file where `needed` (asked again under the lock, since another process may
 * have rotated meanwhile). Where another process holds the lock it is rotating right now, and
 * nothing is done: the caller's line then goes to whichever file is live, and none is lost.
 * Returns whether this call rotated.
 */
export function rotateIfNeeded(set: AuditFileSet, needed: () => boolean, now: number): boolean {
  if (!needed()) return false;
  const { dir, files, keep } = set;
  const lock = `${auditFile(dir)}.lock`;
  if (!takeLock(files, lock, now)) return false;
  try {
    if (!needed()) return false;
    for (let n = keep - 1; n >= 1; n--) if (files.exists(auditFile(dir, n))) files.rename(auditFile(dir, n), auditFile(dir, n + 1));
    files.rename(auditFile(dir), auditFile(dir, 1));
    return true;
  } finally {
    files.remove(lock);
  }
}

function takeLock(files: DurableFiles, lock: string, now: number): boolean {
  const owner = `${JSON.stringify({ pid: process.pid, since: new Date(now).toISOString() })}\n`;
  if (files.createExclusive(lock, owner, FILE_MODE)) return true;
  let since = NaN;
  try {
    since = Date.parse((JSON.parse(files.readFrom(lock, 0).toString('utf8')) as { since?: string }).since ?? '');
  } catch {
    // Unreadable: its owner died while writing it, so it is stale.
  }
  if (now - since < LOCK_STALE_MS) return false;
  files.remove(lock);
  return files.createExclusive(lock, owner, FILE_MODE);
}

export interface ReadOptions {
  /** Only actions started at or after this time (ms since the epoch). */
  since?: number;
  warn: (message: string) => void;
}

/**
 * Every action on record, oldest first, merged across the rotated files. With `since`, files are
 * read newest first and the reading stops at one whose first action is older, so a short window
 * does not read the whole history. Reads only: the directory need not exist.
 */
export function readAudit(set: AuditFileSet, options: ReadOptions): AuditEntry[] {
  const { dir, files, keep } = set;
  const chunks = [];
  for (let n = 0; n <= keep; n++) {
    const file = auditFile(dir, n);
    if (!files.exists(file)) continue;
    const { lines } = parseChunk(files.readFrom(file, 0), { file: path.basename(file), offset: 0, final: true }, options.warn);
    chunks.unshift(lines);
    const first = lines[0];
    if (options.since !== undefined && first && Date.parse(first.time) < options.since) break;
  }
  const entries = mergeLines(chunks.flat());
  const kept = options.since === undefined ? entries : entries.filter((e) => Date.parse(e.time) >= options.since!);
  // Append order is start order within one process; across processes, the clock's order.
  return kept.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}
