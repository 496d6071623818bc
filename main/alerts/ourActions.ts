// The evidence that a container's exit or start was ours: the action path's audit entries (this
// process's, and through the audit log's poll another's on the same data directory), kept for the
// last few minutes. An event is ours when an action on that container was running when the event
// arrived, or had ended just before.
import type { AuditChange, AuditEntry } from '../../shared/audit';
import { CONTAINER_ACTION_DEADLINE_MS } from '../actions/actionPath';
import type { Clock } from '../clock/clock';

/** What the evidence needs of the audit log (main/audit's AuditLog). */
export interface AuditEntries {
  subscribe(onChange: (change: AuditChange) => void): () => void;
}

/**
 * The die of a `docker stop` arrives while the stop runs, but the events stream and the end line
 * race: an event read up to 2 s after the action ended is still its own. 500 ms before the start
 * line covers the other race (the line is written first, but another process's clock may be a
 * little ahead of ours). Times compared are this machine's: when the event arrived, and when the
 * action's lines were written, never the daemon's clock.
 */
export const AFTER_END_MS = 2_000;
export const BEFORE_START_MS = 500;
/** Entries older than this are forgotten: far longer than the grace any decision waits. */
const KEEP_MS = 10 * 60_000;
/** Actions that cannot stop or start a container. */
const HARMLESS = new Set(['pull', 'exec-probe']);
/** A rollout's renamed revisions (main/rollout/hostSteps.ts oldName/newName) are the container's own. */
const ROLLOUT_SUFFIX = /-fd-(?:old|new)-[0-9a-f]{12}$/;

interface Kept {
  host: string;
  container: string;
  /** The container id prefix the action named in its params (a rollout's steps do). */
  id?: string;
  start: number;
  /** When it ended; one that never ended (its process died) is ended by its deadline. */
  end: number;
}

export class OurActions {
  private readonly kept = new Map<string, Kept>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly audit: AuditEntries,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Follows the audit log (its recent past first). */
  start(): void {
    this.unsubscribe ??= this.audit.subscribe((change) => this.take(change.entries));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.kept.clear();
  }

  /** Whether one of our actions on this container (by name, a rollout's renamed revision included, or id) covers `at`. */
  caused(host: string, container: { name: string; id: string }, at: number): boolean {
    const name = container.name.replace(ROLLOUT_SUFFIX, '');
    for (const k of this.kept.values()) {
      if (k.host !== host || (k.container !== name && !(k.id && container.id.startsWith(k.id)))) continue;
      if (at >= k.start - BEFORE_START_MS && at <= k.end + AFTER_END_MS) return true;
    }
    return false;
  }

  private take(entries: readonly AuditEntry[]): void {
    const oldest = this.clock.now() - KEEP_MS;
    for (const e of entries) {
      if (!e.target.container || HARMLESS.has(e.action)) continue;
      const start = Date.parse(e.time);
      const end = e.endTime ? Date.parse(e.endTime) : start + CONTAINER_ACTION_DEADLINE_MS;
      if (end < oldest) continue;
      const id = typeof e.params?.id === 'string' ? e.params.id : undefined;
      this.kept.set(e.id, { host: e.target.host, container: e.target.container, start, end, ...(id ? { id } : {}) });
    }
    for (const [id, k] of this.kept) if (k.end < oldest) this.kept.delete(id);
  }
}
