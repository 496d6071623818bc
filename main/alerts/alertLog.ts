// The alert history: alerts.jsonl in the data directory, shared by every process on it (a console,
// `fleetdeck alerts --watch`). Each alert and each ack is one line, one write on an O_APPEND
// descriptor then fsync (DurableFiles.append), so processes never interleave inside a line. An
// index of the recent alerts is kept current by reading only the bytes added since the last read,
// whoever added them; while anyone subscribes, a size poll picks up what other processes append.
import path from 'node:path';
import type { Alert, AlertChange } from '../../shared/alerts';
import type { Clock, Timer } from '../clock/clock';
import { lineStart } from '../audit/auditLog';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';
import { parseJsonLines } from '../files/jsonLines';
import { ALERT_FORMAT, ALERTS_FILE, AlertIndex, type AlertLine } from './alertLines';

/** As the audit log: another process's alerts and acks show within about half a second, for a stat each time. */
export const ALERTS_POLL_MS = 500;
/** The recent past a subscriber gets first: the last 10,000 alerts, none older than 7 days. */
export const RECENT_ALERTS = 10_000;
export const RECENT_ALERTS_MS = 7 * 24 * 3_600_000;
/**
 * How much of the end of the file is read at start: an alert line is ~300 bytes, so 8 MiB holds
 * ~28,000 alert and ack lines, more than RECENT_ALERTS, and parses in well under 100 ms (the audit
 * log measured 40-100 ms for 4 MiB).
 */
export const RECENT_BYTES = 8 * 1024 * 1024;
/** Ids per ack line: an ack of everything stays a few short lines (~40 bytes an id) instead of one of megabytes. */
export const ACK_IDS_PER_LINE = 500;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export interface AlertLogOptions {
  dir: string;
  files?: DurableFiles;
  clock: Pick<Clock, 'now' | 'setInterval' | 'clearInterval'>;
  log?: (message: string) => void;
}

export class AlertLog {
  readonly file: string;
  private readonly files: DurableFiles;
  private readonly clock: AlertLogOptions['clock'];
  private readonly log: (message: string) => void;
  private readonly index: AlertIndex;
  private readonly listeners = new Set<(change: AlertChange) => void>();
  private loaded = false;
  private dirReady = false;
  /** Bytes read so far, up to the last complete line. */
  private offset = 0;
  /** Bytes after that: a line another process is writing, or one torn by a crash. */
  private unterminated = 0;
  private poll: Timer | undefined;

  constructor(options: AlertLogOptions) {
    this.files = options.files ?? nodeFiles;
    this.file = path.join(options.dir, ALERTS_FILE);
    this.clock = options.clock;
    this.log = options.log ?? (() => {});
    this.index = new AlertIndex({ max: RECENT_ALERTS, maxAgeMs: RECENT_ALERTS_MS, now: () => this.clock.now() });
  }

  /** The recent alerts, oldest first, as of now (what other processes wrote included). */
  recent(): Alert[] {
    this.catchUp();
    return this.index.list();
  }

  /** When an alert with this cooldown key (alertLines.ts) last fired, in any process; reads the file first. */
  lastRaisedAt(key: string): number | undefined {
    this.catchUp();
    return this.index.lastRaisedAt(key);
  }

  /** The recent past first, then every alert and ack as it is written, by this process or another. */
  subscribe(onChange: (change: AlertChange) => void): () => void {
    onChange({ alerts: this.recent() });
    this.listeners.add(onChange);
    this.poll ??= this.clock.setInterval(() => this.checkForLines(), ALERTS_POLL_MS).unref();
    return () => {
      if (!this.listeners.delete(onChange) || this.listeners.size > 0) return;
      this.clock.clearInterval(this.poll);
      this.poll = undefined;
    };
  }

  /** Writes the alert unless one with its id is on record already (another process raised it); says which. */
  raise(alert: Alert): boolean {
    this.catchUp();
    if (this.index.has(alert.id)) return false;
    const { ackedAt: _a, ackedBy: _b, ...raised } = alert;
    this.append([{ type: 'alert', alert: raised }]);
    return true;
  }

  /** Acknowledges the given alerts (or all unacknowledged ones) as `by`; answers how many were newly acked. */
  ack(which: { ids: string[] } | { all: true }, by: string): number {
    this.catchUp();
    const ids = 'all' in which ? this.index.unacked() : [...new Set(which.ids)].filter((id) => {
          const alert = this.index.get(id);
          return alert !== undefined && alert.ackedAt === undefined;
        });
    if (ids.length === 0) return 0;
    const time = new Date(this.clock.now()).toISOString();
    const lines: AlertLine[] = [];
    for (let i = 0; i < ids.length; i += ACK_IDS_PER_LINE) lines.push({ type: 'ack', ids: ids.slice(i, i + ACK_IDS_PER_LINE), time, by });
    this.append(lines);
    return ids.length;
  }

  /** Stops following the file; subscribers get nothing more. */
  close(): void {
    this.listeners.clear();
    this.clock.clearInterval(this.poll);
    this.poll = undefined;
  }

  private append(lines: AlertLine[]): void {
    if (!this.dirReady) {
      this.files.ensureDir(path.dirname(this.file), DIR_MODE);
      this.dirReady = true;
    }
    // A file ending inside a line (torn by a crash) gets ours on a fresh line.
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    this.files.append(this.file, this.unterminated > 0 ? `\n${text}` : text, FILE_MODE);
    this.catchUp();
  }

  private checkForLines(): void {
    try {
      if ((this.files.size(this.file) ?? 0) !== this.offset + this.unterminated) this.catchUp();
    } catch (err) {
      this.log(`alerts: cannot read ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Reads what was added since the last read (the end of the file, the first time) into the index. */
  private catchUp(): void {
    if (!this.loaded) {
      this.loaded = true;
      const size = this.files.size(this.file) ?? 0;
      this.offset = lineStart(this.files, this.file, Math.max(0, size - RECENT_BYTES));
    }
    const bytes = this.files.readFrom(this.file, this.offset);
    if (bytes.length === 0) return;
    const chunk = parseJsonLines(bytes, { file: ALERTS_FILE, offset: this.offset, final: false }, ALERT_FORMAT, this.log);
    this.offset += chunk.consumed;
    this.unterminated = chunk.unterminated;
    const changed = this.index.apply(chunk.lines);
    if (changed.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener({ alerts: changed });
      } catch (err) {
        this.log(`alerts: subscriber threw: ${(err as Error).message}`);
      }
    }
  }
}

export interface ReadAlertsOptions {
  files?: DurableFiles;
  /** Only alerts at or after this time (ms since the epoch). */
  since?: number;
  warn: (message: string) => void;
}

/** Every alert on record in `dir`, oldest first, acks applied (the CLI's listing; reads only). */
export function readAlerts(dir: string, options: ReadAlertsOptions): Alert[] {
  const files = options.files ?? nodeFiles;
  const { lines } = parseJsonLines(files.readFrom(path.join(dir, ALERTS_FILE), 0), { file: ALERTS_FILE, offset: 0, final: true }, ALERT_FORMAT, options.warn);
  const index = new AlertIndex();
  index.apply(lines);
  const all = index.list().sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return options.since === undefined ? all : all.filter((a) => Date.parse(a.time) >= options.since!);
}
