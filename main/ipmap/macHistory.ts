// The MAC history: per IP of a segment, the last MACs seen behind it with first/last seen times,
// kept in the data directory (ipmap/macs.json) so a MAC that changed while the console was closed
// is still caught. observe() feeds it the map's endpoints; changeOf() tells conflicts.ts what changed.
import path from 'node:path';
import { parseMac } from '../../shared/ip';
import type { Clock } from '../clock/clock';
import type { DurableFiles } from '../files/durableFiles';

/** Small on purpose: one change is what the ARP risk needs; 8 leaves room to see a flapping IP. */
export const MACS_PER_IP = 8;
/**
 * How long a MAC change stays a conflict: the longest common ARP cache, Cisco IOS's default ARP
 * timeout of 4 h (14 400 s), can still send to the old MAC until then. Linux's own neighbour
 * entries go stale much sooner (about 30 s), so the switch's cache is the one that bounds the risk.
 */
export const MAC_CHANGE_WINDOW_MS = 4 * 60 * 60 * 1000;
/** lastSeen is written at most this often while nothing else changes: the file is not rewritten on every map update. */
export const LAST_SEEN_WRITE_MS = 60_000;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export interface MacSeen {
  mac: string;
  /** ISO 8601 UTC. */
  firstSeen: string;
  lastSeen: string;
}

export interface MacChange {
  previous: string;
  current: string;
  /** When the current MAC was first seen behind the IP (ISO). */
  at: string;
}

/** What observe() needs of an endpoint (shared/ipmap.ts's IpEndpoint fits). */
export interface ObservedEndpoint {
  segment: string;
  ip: string;
  mac?: string;
  state: string;
}

/** What conflicts.ts asks of the history. */
export interface MacChanges {
  changeOf(segment: string, ip: string): MacChange | undefined;
}

export type MacHistoryFiles = Pick<DurableFiles, 'ensureDir' | 'readFrom' | 'exists' | 'createExclusive' | 'rename' | 'remove'>;

interface StoredFile {
  version: 1;
  /** Key: "SEGMENT IP"; oldest MAC first. */
  ips: Record<string, MacSeen[]>;
}

/** The MAC in one form (02:42:ac:…), whatever form the daemon gave. */
export const normalMac = (mac: string | undefined) => (mac ? (parseMac(mac) ?? mac.toLowerCase()) : undefined);
const key = (segment: string, ip: string) => `${segment} ${ip}`;
/** States in which a container has its address on the wire (answers ARP): a stopped one's MAC is not behind the IP now. */
export const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

export class MacHistory implements MacChanges {
  private readonly file: string;
  private readonly ips = new Map<string, MacSeen[]>();
  private lastWrite = -Infinity;

  constructor(
    private readonly options: { dataDir: string; files: MacHistoryFiles; clock: Clock; warn?: (message: string) => void },
  ) {
    this.file = path.join(options.dataDir, 'ipmap', 'macs.json');
    this.load();
  }

  /** Every MAC seen behind the IP, oldest first. */
  seen(segment: string, ip: string): readonly MacSeen[] {
    return this.ips.get(key(segment, ip)) ?? [];
  }

  /**
   * Records the MAC behind each IP that exactly one live endpoint holds (two holders are a
   * duplicate-ip conflict; taking either MAC would make the history flap). Returns the IPs whose
   * MAC changed in this observation.
   */
  observe(endpoints: readonly ObservedEndpoint[], now: number = this.options.clock.now()): string[] {
    const live = new Map<string, ObservedEndpoint[]>();
    for (const e of endpoints) {
      if (!e.mac || !e.ip || !LIVE_STATES.has(e.state)) continue;
      const k = key(e.segment, e.ip);
      live.set(k, [...(live.get(k) ?? []), e]);
    }
    const iso = new Date(now).toISOString();
    const changed: string[] = [];
    let dirty = false;
    for (const [k, holders] of live) {
      if (holders.length !== 1) continue;
      const mac = normalMac(holders[0]!.mac)!;
      const list = this.ips.get(k) ?? [];
      const last = list.at(-1);
      if (last?.mac === mac) {
        last.lastSeen = iso;
        continue;
      }
      if (last) changed.push(holders[0]!.ip);
      // A MAC that comes back is moved to the end: the list stays in the order the MACs were last current.
      const rest = list.filter((s) => s.mac !== mac);
      this.ips.set(k, [...rest, { mac, firstSeen: iso, lastSeen: iso }].slice(-MACS_PER_IP));
      dirty = true;
    }
    if (dirty || now - this.lastWrite >= LAST_SEEN_WRITE_MS) this.save(now);
    return changed;
  }

  changeOf(segment: string, ip: string): MacChange | undefined {
    const list = this.seen(segment, ip);
    const current = list.at(-1);
    const previous = list.at(-2);
    if (!current || !previous) return undefined;
    if (this.options.clock.now() - Date.parse(current.firstSeen) > MAC_CHANGE_WINDOW_MS) return undefined;
    return { previous: previous.mac, current: current.mac, at: current.firstSeen };
  }

  private load(): void {
    const { files } = this.options;
    if (!files.exists(this.file)) return;
    try {
      const stored = JSON.parse(files.readFrom(this.file, 0).toString('utf8')) as StoredFile;
      for (const [k, list] of Object.entries(stored.ips ?? {})) {
        if (Array.isArray(list)) this.ips.set(k, list.filter((s) => typeof s?.mac === 'string' && typeof s.firstSeen === 'string' && typeof s.lastSeen === 'string').slice(-MACS_PER_IP));
      }
    } catch (err) {
      // A damaged history only costs the changes it held: start again rather than refuse the map.
      this.options.warn?.(`the MAC history ${this.file} cannot be read (${(err as Error).message}); starting a new one`);
    }
  }

  /**
   * Write-then-rename: a crash leaves the old file or the new one, never half of one. The
   * temporary file is this process's own: a console and a CLI on one data directory both save,
   * and with one shared name one's rename took the other's file away (an uncaught ENOENT).
   */
  private save(now: number): void {
    const { files } = this.options;
    const stored: StoredFile = { version: 1, ips: Object.fromEntries(this.ips) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      files.ensureDir(path.dirname(this.file), DIR_MODE);
      files.remove(tmp);
      files.createExclusive(tmp, `${JSON.stringify(stored)}\n`, FILE_MODE);
      files.rename(tmp, this.file);
      this.lastWrite = now;
    } catch (err) {
      // Kept in memory; the next observation tries again.
      this.options.warn?.(`the MAC history ${this.file} cannot be saved (${(err as Error).message})`);
    }
  }
}
