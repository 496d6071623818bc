// Per-service rollout locks: <dataDir>/rollouts/locks/<service>.lock, created with O_EXCL, naming
// its owner {pid, startTime, rolloutId, user, source, since}. A second rollout on the same service
// is refused naming the running one; a lock whose process is gone (or whose pid now belongs to a
// process started at another time: a reused pid) is taken over with a warning.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditSource, type Actor } from '../../shared/audit';
import { systemClock, type Clock } from '../clock/clock';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
/**
 * A lock file is written right after it is created, and a takeover is three file operations: both
 * take microseconds. A reader that finds a lock empty, or another process taking it over, looks
 * again up to 20 times 10 ms apart; a lock still unreadable then was torn by its owner's crash.
 */
export const SETTLE_TRIES = 20;
export const SETTLE_WAIT_MS = 10;

/** A process told apart from a later one that reuses its pid. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot at which it started. */
  startTime: string;
}

/** How a lock learns whether its owner still runs; tests may swap it, production reads /proc. */
export interface ProcessTable {
  /** The start time of `pid`, or undefined where no such process runs. */
  startTime(pid: number): string | undefined;
}

export const procTable: ProcessTable = {
  startTime(pid) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 3 (state) is fields[0], so field 22 (starttime) is fields[19].
    const startTime = fields[19];
    // A zombie has exited; its lock is as good as released.
    return startTime && fields[0] !== 'Z' ? startTime : undefined;
  },
};

/** This process, as locks and journals record it. */
export function currentProcess(processes: ProcessTable = procTable): ProcessIdentity {
  return { pid: process.pid, startTime: processes.startTime(process.pid) ?? 'unknown' };
}

export function isAlive(owner: ProcessIdentity, processes: ProcessTable = procTable): boolean {
  return processes.startTime(owner.pid) === owner.startTime;
}

export const LockOwner = z.object({
  pid: z.number().int(),
  startTime: z.string(),
  rolloutId: z.string(),
  user: z.string(),
  source: AuditSource,
  since: z.string(),
});
export type LockOwner = z.infer<typeof LockOwner>;

/** A second rollout asked for a service that one is running on. */
export class RolloutLockedError extends Error {
  constructor(
    readonly service: string,
    readonly owner: LockOwner,
  ) {
    super(`service ${service} is being rolled out by rollout ${owner.rolloutId} (${owner.user}, ${owner.source}, since ${owner.since}, pid ${owner.pid})`);
    this.name = 'RolloutLockedError';
  }
}

export interface ServiceLock {
  readonly service: string;
  readonly owner: LockOwner;
  /** Removes the lock where it is still ours; nothing the second time. */
  release(): void;
}

/** What the journal and the locks take from this process's world: who runs, the time, and a log. */
export interface ProcessDeps {
  processes?: ProcessTable;
  clock?: Pick<Clock, 'now'>;
  log?: (message: string) => void;
}

/** ProcessDeps with the real process table, the system clock and a silent log where none is given. */
export function withProcessDefaults(deps: ProcessDeps): Required<ProcessDeps> {
  return { processes: deps.processes ?? procTable, clock: deps.clock ?? systemClock, log: deps.log ?? (() => {}) };
}

export interface ServiceLocksOptions extends ProcessDeps {
  /** The data directory: locks live in its rollouts/locks/. */
  dataDir: string;
  files?: Pick<DurableFiles, 'ensureDir' | 'createExclusive' | 'readFrom' | 'exists' | 'remove'>;
}

export function locksDirectory(dataDir: string): string {
  return path.join(dataDir, 'rollouts', 'locks');
}

export class ServiceLocks {
  readonly dir: string;
  private readonly files: NonNullable<ServiceLocksOptions['files']>;
  private readonly processes: ProcessTable;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly log: (message: string) => void;

  constructor(options: ServiceLocksOptions) {
    this.dir = locksDirectory(options.dataDir);
    this.files = options.files ?? nodeFiles;
    ({ processes: this.processes, clock: this.clock, log: this.log } = withProcessDefaults(options));
  }

  /** Takes the lock of `service` for `rolloutId`, or throws RolloutLockedError naming the running rollout. */
  acquire(service: string, rolloutId: string, actor: Actor): ServiceLock {
    this.files.ensureDir(this.dir, DIR_MODE);
    const file = this.lockFile(service);
    const owner: LockOwner = { ...currentProcess(this.processes), rolloutId, user: actor.user, source: actor.source, since: new Date(this.clock.now()).toISOString() };
    const text = `${JSON.stringify(owner)}\n`;
    for (let attempt = 1; !this.files.createExclusive(file, text, FILE_MODE); attempt++) {
      if (attempt > SETTLE_TRIES) throw new Error(`service ${service}: its lock keeps changing hands; try again`);
      const held = this.readOwner(file);
      if (held && isAlive(held, this.processes)) throw new RolloutLockedError(service, held);
      // Released since the create failed: simply create it again.
      if (!held && !this.files.exists(file)) continue;
      if (this.takeOver(file, held, text)) {
        this.log(`rollout: took over the lock of service ${service}${held ? ` from rollout ${held.rolloutId} (${held.user}, ${held.source}, since ${held.since}): its process ${held.pid} is gone` : ': it was unreadable (its owner died while writing it)'}`);
        break;
      }
      const winner = this.readOwner(file);
      if (winner && isAlive(winner, this.processes)) throw new RolloutLockedError(service, winner);
      sleepSync(SETTLE_WAIT_MS);
    }
    let released = false;
    return {
      service,
      owner,
      release: () => {
        if (released) return;
        released = true;
        const held = this.readOwner(file);
        if (held && held.pid === owner.pid && held.startTime === owner.startTime && held.rolloutId === rolloutId) this.files.remove(file);
      },
    };
  }

  /** The live owner of `service`'s lock, or undefined where none runs a rollout on it. */
  holder(service: string): LockOwner | undefined {
    const held = this.readOwner(this.lockFile(service));
    return held && isAlive(held, this.processes) ? held : undefined;
  }

  /**
   * Replaces a stale lock, under a guard file so that two processes finding the same stale lock
   * cannot both remove it (the second would remove the first one's fresh lock). Under the guard
   * the lock is read again: it may have been taken over, or released and taken anew, meanwhile.
   * A guard left by a process that died inside this (microseconds) is removed for the next try.
   */
  private takeOver(file: string, stale: LockOwner | undefined, text: string): boolean {
    const guard = `${file}.takeover`;
    const me = `${JSON.stringify(currentProcess(this.processes))}\n`;
    if (!this.files.createExclusive(guard, me, FILE_MODE)) {
      const guardOwner = this.readIdentity(guard);
      if (!guardOwner || !isAlive(guardOwner, this.processes)) this.files.remove(guard);
      return false;
    }
    try {
      const now = this.readOwner(file);
      if (now && isAlive(now, this.processes)) return false;
      if (JSON.stringify(now) !== JSON.stringify(stale)) return false;
      this.files.remove(file);
      return this.files.createExclusive(file, text, FILE_MODE);
    } finally {
      this.files.remove(guard);
    }
  }

  private lockFile(service: string): string {
    if (!service) throw new Error('rollout lock: a service name is needed');
    // Service names are [a-zA-Z0-9._-] in Compose; anything else is escaped so it stays one file name.
    return path.join(this.dir, `${encodeURIComponent(service)}.lock`);
  }

  private readOwner(file: string): LockOwner | undefined {
    return readSettled(this.files, file, (value) => {
      const parsed = LockOwner.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    });
  }

  private readIdentity(file: string): ProcessIdentity | undefined {
    return readSettled(this.files, file, (value) => {
      const v = value as Partial<ProcessIdentity> | undefined;
      return typeof v?.pid === 'number' && typeof v.startTime === 'string' ? { pid: v.pid, startTime: v.startTime } : undefined;
    });
  }
}

/** The file's value, waiting out a writer that has created it and not written it yet; undefined where gone or torn. */
function readSettled<T>(files: Pick<DurableFiles, 'readFrom' | 'exists'>, file: string, accept: (value: unknown) => T | undefined): T | undefined {
  for (let i = 0; ; i++) {
    if (!files.exists(file)) return undefined;
    try {
      const value = accept(JSON.parse(files.readFrom(file, 0).toString('utf8')));
      if (value !== undefined) return value;
    } catch {
      // Empty or half-written: its writer may be writing it right now.
    }
    if (i + 1 >= SETTLE_TRIES) return undefined;
    sleepSync(SETTLE_WAIT_MS);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
