// The audit log: append-only JSON Lines in the data directory, shared by the console and the CLI.
// One line when an action starts (fsynced before it runs) and one when it ends, with the same id;
// each line is one write on an O_APPEND descriptor (DurableFiles.append), so two processes
// appending at once never interleave inside a line. An in-memory index of the recent actions is
// kept current by reading only the bytes added since the last read, whoever added them; while
// anyone subscribes, a size poll picks up what other processes append.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Actor, AuditChange, AuditEntry, AuditLine, AuditTarget } from '../../shared/audit';
import type { ActionRecorder } from '../actions/actionPath';
import { systemClock, type Clock, type Timer } from '../clock/clock';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';
import { auditFile, DIR_MODE, FILE_MODE, ROTATE_BYTES, ROTATED_FILES, rotateIfNeeded, type AuditFileSet } from './auditFiles';
import { AuditIndex, parseChunk } from './auditLines';
import type { AuditFeed } from './bind';
import { withoutSecrets } from './secrets';

/** The issue asks for another process's lines within ~1 s; a stat every 500 ms costs next to nothing. */
export const POLL_MS = 500;
/** Actions the console keeps in memory for the live view: about what RECENT_BYTES holds. */
export const RECENT_ACTIONS = 10_000;
/**
 * How much of the end of the log the console reads at start: ~18,000 lines (~230 bytes each, two
 * an action) of the recent past. Measured here: 4 MiB parse in 40-100 ms, a full 48 MiB file in
 * ~540 ms that the main process would be blocked before its first answer; the CLI reads it all.
 */
export const RECENT_BYTES = 4 * 1024 * 1024;

export interface AuditLogOptions {
  dir: string;
  files?: DurableFiles;
  clock?: Pick<Clock, 'now' | 'setInterval' | 'clearInterval'>;
  log?: (message: string) => void;
  /** Rotation threshold (tests pass a small one). */
  rotateBytes?: number;
  keep?: number;
  newId?: () => string;
}

export class AuditLog implements ActionRecorder, AuditFeed {
  readonly file: string;
  private readonly set: AuditFileSet;
  private readonly clock: Pick<Clock, 'now' | 'setInterval' | 'clearInterval'>;
  private readonly log: (message: string) => void;
  private readonly rotateBytes: number;
  private readonly newId: () => string;
  private readonly index = new AuditIndex(RECENT_ACTIONS);
  /** Start lines of this process's actions that have not ended yet. */
  private readonly running = new Map<string, AuditLine>();
  private readonly listeners = new Set<(change: AuditChange) => void>();
  private loaded = false;
  private dirReady = false;
  /** Bytes of the live file read so far, up to the last complete line. */
  private offset = 0;
  /** Bytes after that: a line another process is writing, or one torn by a crash. */
  private unterminated = 0;
  private poll: Timer | undefined;

  constructor(options: AuditLogOptions) {
    this.set = { dir: options.dir, files: options.files ?? nodeFiles, keep: options.keep ?? ROTATED_FILES };
    this.file = auditFile(options.dir);
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => {});
    this.rotateBytes = options.rotateBytes ?? ROTATE_BYTES;
    this.newId = options.newId ?? randomUUID;
  }

  /** Records that an action starts; resolves once the line is on disk, so the action may run. */
  async begin(entry: { actor: Actor; action: string; target: AuditTarget; params?: Record<string, unknown> }): Promise<string> {
    const line: AuditLine = {
      id: this.newId(),
      time: this.time(),
      user: entry.actor.user,
      source: entry.actor.source,
      action: entry.action,
      target: entry.target,
      ...(entry.params ? { params: withoutSecrets(entry.params) } : {}),
      phase: 'start',
    };
    this.append(line);
    this.running.set(line.id, line);
    return line.id;
  }

  async end(id: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
    const start = this.running.get(id);
    if (!start) throw new Error(`audit: no action ${id} started here`);
    const { user, source, action, target } = start;
    this.append({ id, time: this.time(), user, source, action, target, phase: 'end', ...(outcome.ok ? { result: 'ok' } : { result: 'failed', error: outcome.error }) });
    this.running.delete(id);
  }

  /** The recent actions, oldest first. */
  recent(): AuditEntry[] {
    this.catchUp();
    return this.index.list();
  }

  /** The recent actions first, then each new or completed one, from this process or another. */
  subscribe(onChange: (change: AuditChange) => void): () => void {
    onChange({ entries: this.recent() });
    this.listeners.add(onChange);
    this.poll ??= this.clock.setInterval(() => this.checkForLines(), POLL_MS).unref();
    return () => {
      this.listeners.delete(onChange);
      if (this.listeners.size > 0) return;
      this.clock.clearInterval(this.poll);
      this.poll = undefined;
    };
  }

  /** Stops following the file; subscribers get nothing more. */
  close(): void {
    this.listeners.clear();
    this.clock.clearInterval(this.poll);
    this.poll = undefined;
  }

  private time(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private append(line: AuditLine): void {
    const { files, dir } = this.set;
    if (!this.dirReady) {
      files.ensureDir(dir, DIR_MODE);
      this.dirReady = true;
    }
    const text = `${JSON.stringify(line)}\n`;
    rotateIfNeeded(this.set, () => (files.size(this.file) ?? 0) + Buffer.byteLength(text) > this.rotateBytes, this.clock.now());
    // Learns whether the file ends inside a line (torn by a crash): this one then starts on a fresh line.
    this.catchUp();
    files.append(this.file, this.unterminated > 0 ? `\n${text}` : text, FILE_MODE);
    this.catchUp();
  }

  private checkForLines(): void {
    try {
      if ((this.set.files.size(this.file) ?? 0) !== this.offset + this.unterminated) this.catchUp();
    } catch (err) {
      this.log(`audit: cannot read ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Reads what was added since the last read (the recent past, the first time) into the index. */
  private catchUp(): void {
    const { files } = this.set;
    if (!this.loaded) {
      this.loaded = true;
      this.loadRecent();
      return;
    }
    const size = files.size(this.file) ?? 0;
    if (size < this.offset) {
      // Rotated by someone since the last read: the rest of the old file is now audit.jsonl.1.
      this.take(auditFile(this.set.dir, 1), this.offset, true);
      this.offset = 0;
    }
    this.offset += this.take(this.file, this.offset, false);
  }

  /** The last RECENT_BYTES of the log, reaching into audit.jsonl.1 where the live file is shorter. */
  private loadRecent(): void {
    const { files, dir } = this.set;
    const size = files.size(this.file) ?? 0;
    const previous = auditFile(dir, 1);
    const previousSize = files.size(previous) ?? 0;
    if (size < RECENT_BYTES && previousSize > 0) this.take(previous, lineStart(files, previous, Math.max(0, previousSize - (RECENT_BYTES - size))), true);
    const from = lineStart(files, this.file, Math.max(0, size - RECENT_BYTES));
    this.offset = from + this.take(this.file, from, false);
  }

  /** Parses `file` from `offset` into the index and tells subscribers; returns the bytes consumed. */
  private take(file: string, offset: number, final: boolean): number {
    const chunk = parseChunk(this.set.files.readFrom(file, offset), { file: path.basename(file), offset, final }, this.log);
    if (!final) this.unterminated = chunk.unterminated;
    const changed = this.index.apply(chunk.lines);
    if (changed.length > 0) {
      for (const listener of this.listeners) {
        try {
          listener({ entries: changed });
        } catch (err) {
          this.log(`audit: subscriber threw: ${(err as Error).message}`);
        }
      }
    }
    return chunk.consumed;
  }
}

/** The first line start at or after `offset` (a read from the middle of a file skips the cut line). */
export function lineStart(files: DurableFiles, file: string, offset: number): number {
  if (offset === 0) return 0;
  const bytes = files.readFrom(file, offset - 1);
  const nl = bytes.indexOf(0x0a);
  return nl === -1 ? offset - 1 + bytes.length : offset + nl;
}
