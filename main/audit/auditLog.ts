// The audit log: append-only JSON Lines in the data directory. One line when an action starts
// (fsynced before it runs) and one when it ends, with the same id. Each line is one write on an
// O_APPEND descriptor, so two processes appending at once never interleave inside a line.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';
import { AuditLine, type Actor, type AuditChange, type AuditEntry, type AuditTarget } from '../../shared/audit';
import type { ActionRecorder } from '../actions/actionPath';
import type { AuditFeed } from './bind';

export const AUDIT_FILE = 'audit.jsonl';

export interface AuditLogOptions {
  dir: string;
  now?: () => number;
  log?: (message: string) => void;
}

export class AuditLog implements ActionRecorder, AuditFeed {
  readonly file: string;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly listeners = new Set<(change: AuditChange) => void>();

  constructor(options: AuditLogOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.file = path.join(options.dir, AUDIT_FILE);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
  }

  async begin(entry: { actor: Actor; action: string; target: AuditTarget; params?: Record<string, unknown> }): Promise<string> {
    const id = randomUUID();
    this.append({ id, time: new Date(this.now()).toISOString(), user: entry.actor.user, source: entry.actor.source, action: entry.action, target: entry.target, ...(entry.params ? { params: entry.params } : {}), phase: 'start' });
    return id;
  }

  async end(id: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
    const start = this.read().find((e) => e.id === id);
    if (!start) throw new Error(`audit: no start line for ${id}`);
    this.append({ id, time: new Date(this.now()).toISOString(), user: start.user, source: start.source, action: start.action, target: start.target, phase: 'end', result: outcome.ok ? 'ok' : 'failed', ...(outcome.ok ? {} : { error: outcome.error }) });
  }

  /** Every action on record, oldest first, merged from its lines. */
  read(): AuditEntry[] {
    if (!existsSync(this.file)) return [];
    return mergeLines(parseLines(readFileSync(this.file, 'utf8'), this.log));
  }

  subscribe(onChange: (change: AuditChange) => void): () => void {
    this.listeners.add(onChange);
    onChange({ entries: this.read() });
    return () => this.listeners.delete(onChange);
  }

  private append(line: AuditLine): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const entry = this.read().find((e) => e.id === line.id);
    if (entry) for (const listener of this.listeners) listener({ entries: [entry] });
  }
}

/** Parses the file's lines; a torn or foreign line is skipped with a warning, never fatal. */
export function parseLines(text: string, warn: (message: string) => void): AuditLine[] {
  const lines: AuditLine[] = [];
  const raw = text.split('\n');
  raw.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      lines.push(AuditLine.parse(JSON.parse(line)));
    } catch {
      warn(`audit: skipping unreadable line ${i + 1}${i === raw.length - 1 ? ' (torn by a crash mid-write)' : ''}`);
    }
  });
  return lines;
}

/** One entry per action id: its start line, completed by its end line if there is one. */
export function mergeLines(lines: AuditLine[]): AuditEntry[] {
  const byId = new Map<string, AuditEntry>();
  for (const line of lines) {
    const known = byId.get(line.id);
    if (line.phase === 'start') {
      if (!known) byId.set(line.id, { id: line.id, time: line.time, user: line.user, source: line.source, action: line.action, target: line.target, ...(line.params ? { params: line.params } : {}), result: 'unknown' });
    } else if (known) {
      known.endTime = line.time;
      known.result = line.result ?? 'unknown';
      if (line.error) known.error = line.error;
    }
  }
  return [...byId.values()];
}
