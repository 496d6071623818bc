// The console's live view of the rollout journal: the rolloutEvents stream. Every rollout on record
// (this console's and those another process runs, e.g. the CLI, since they share the journal's
// directory), first as the whole list, then each container's step and each change of a rollout's
// state. Steps of this process's rollouts come straight from the service as they are reported;
// everything else from polling rollouts/: a file whose size changed is read again, and so is a
// rollout still running or paused (its process may die without writing: it reads as interrupted).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RolloutContainer, RolloutEvent, RolloutSummary } from '../../shared/rollout';
import type { Clock, Timer } from '../clock/clock';
import type { JournalStep, RolloutJournal, RolloutSummary as JournalSummary } from './journal';
import type { RolloutOutcome } from './executor';
import type { RolloutStepEvent } from './rolloutService';

/**
 * How often the journal's directory is looked at. A CLI rollout's state shows in the console within
 * this; its steps are seconds apart (pull, stop, start, a 5 s monitor), and a look costs a readdir,
 * a stat per rollout on record and a read of each one that changed or runs.
 */
export const JOURNAL_POLL_MS = 1_000;

const SUFFIX = '.jsonl';

/** What the feed needs of the journal. */
export type FeedJournal = Pick<RolloutJournal, 'dir' | 'read'>;

/** What the feed needs of the rollout service: its own rollouts' steps and states, as they happen. */
export interface FeedService {
  onStep(listener: (event: RolloutStepEvent) => void): () => void;
  onState(listener: (event: { rolloutId: string; outcome: RolloutOutcome }) => void): () => void;
}

export interface JournalFeedDeps {
  journal: FeedJournal;
  service: FeedService;
  clock: Clock;
  /** Each file name in `dir` with its size (none where the directory does not exist). */
  sizes?: (dir: string) => Map<string, number>;
  pollMs?: number;
  log?: (message: string) => void;
}

function fileSizes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names) {
    try {
      out.set(name, statSync(path.join(dir, name)).size);
    } catch {
      // Gone between the listing and the stat: it is not on record any more.
    }
  }
  return out;
}

/** A container's last journaled step as the contract carries it (host/name split, its error). */
export function toContainer(step: JournalStep): RolloutContainer {
  const slash = step.container.indexOf('/');
  const error = step.detail?.error;
  return {
    host: step.container.slice(0, slash),
    name: step.container.slice(slash + 1),
    step: step.step,
    time: step.time,
    ...(typeof error === 'string' ? { error } : {}),
  };
}

/** A journal summary as the contract carries it: without the process, with the reason it ended or paused. */
export function toSummary(s: JournalSummary, pausedReason?: string): RolloutSummary {
  const reason = s.error ?? (s.state === 'paused' ? pausedReason : undefined);
  return {
    id: s.id,
    action: s.action,
    ...(s.service ? { service: s.service } : {}),
    startedBy: { user: s.startedBy.user, source: s.startedBy.source },
    startedAt: s.startedAt,
    ...(s.endedAt ? { endedAt: s.endedAt } : {}),
    state: s.state,
    ...(reason ? { reason } : {}),
    containers: s.containers.map(toContainer),
  };
}

const newestFirst = (a: RolloutSummary, b: RolloutSummary): number => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.id.localeCompare(a.id);
const key = (c: { host: string; name: string }) => `${c.host}/${c.name}`;
const LIVE = new Set(['running', 'paused']);

interface Known {
  size: number;
  summary: RolloutSummary;
}

export class RolloutJournalFeed {
  private readonly listeners = new Set<(event: RolloutEvent) => void>();
  private readonly known = new Map<string, Known>();
  /** Why this process's rollouts paused (the journal's pause line has no reason). */
  private readonly pauseReasons = new Map<string, string>();
  private readonly sizes: (dir: string) => Map<string, number>;
  private timer: Timer | undefined;
  private unhook: (() => void)[] = [];

  constructor(private readonly deps: JournalFeedDeps) {
    this.sizes = deps.sizes ?? fileSizes;
  }

  /** Sends the whole list at once, then every change until the returned unsubscribe. */
  subscribe(listener: (event: RolloutEvent) => void): () => void {
    if (this.listeners.size === 0) this.start();
    else this.poll();
    this.listeners.add(listener);
    listener({ kind: 'list', rollouts: this.list() });
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  /** Every rollout on record as last read, newest first. */
  list(): RolloutSummary[] {
    return [...this.known.values()].map((k) => k.summary).sort(newestFirst);
  }

  /** Reads the journal's directory: emits what changed since the last look. */
  poll(): void {
    let sizes: Map<string, number>;
    try {
      sizes = this.sizes(this.deps.journal.dir);
    } catch (err) {
      this.deps.log?.(`rollout journal: cannot list ${this.deps.journal.dir}: ${(err as Error).message}`);
      return;
    }
    const seen = new Set<string>();
    for (const [file, size] of sizes) {
      if (!file.endsWith(SUFFIX)) continue;
      const id = file.slice(0, -SUFFIX.length);
      seen.add(id);
      const was = this.known.get(id);
      if (!was || was.size !== size || LIVE.has(was.summary.state)) this.check(id, size);
    }
    for (const id of this.known.keys()) if (!seen.has(id)) this.known.delete(id);
  }

  private start(): void {
    this.unhook = [this.deps.service.onStep((e) => this.onStep(e)), this.deps.service.onState((e) => this.onState(e))];
    this.poll();
    this.timer = this.deps.clock.setInterval(() => this.poll(), this.deps.pollMs ?? JOURNAL_POLL_MS).unref();
  }

  private stop(): void {
    this.deps.clock.clearInterval(this.timer);
    this.timer = undefined;
    for (const unhook of this.unhook) unhook();
    this.unhook = [];
    this.known.clear();
  }

  /** Reads one rollout again; a new one, or a change of its state, goes out whole, and otherwise each step that moved. */
  private check(id: string, size: number): void {
    let record: JournalSummary | undefined;
    try {
      record = this.deps.journal.read(id);
    } catch (err) {
      this.deps.log?.(`rollout journal: cannot read rollout ${id}: ${(err as Error).message}`);
      return;
    }
    if (!record) return;
    const summary = toSummary(record, this.pauseReasons.get(id));
    const was = this.known.get(id)?.summary;
    this.known.set(id, { size, summary });
    if (!was || was.state !== summary.state || was.reason !== summary.reason) {
      this.emit({ kind: 'state', rolloutId: id, state: summary.state, ...(summary.reason ? { reason: summary.reason } : {}), rollout: summary });
      return;
    }
    const before = new Map(was.containers.map((c) => [key(c), c]));
    for (const c of summary.containers) {
      const old = before.get(key(c));
      if (old?.step !== c.step) this.emit({ kind: 'step', rolloutId: id, ...c });
    }
  }

  private onStep(event: RolloutStepEvent): void {
    const error = event.detail?.error;
    const container: RolloutContainer = {
      host: event.host,
      name: event.name,
      step: event.step,
      time: new Date(event.time).toISOString(),
      ...(typeof error === 'string' ? { error } : {}),
    };
    // Started a moment ago: its header is on record, so it goes out whole first.
    if (!this.known.has(event.rolloutId)) this.check(event.rolloutId, -1);
    const known = this.known.get(event.rolloutId);
    if (!known) return;
    // Kept in the summary as well, so that the next look at its file does not send the step again.
    known.summary = { ...known.summary, containers: known.summary.containers.map((c) => (key(c) === key(container) ? container : c)) };
    this.emit({ kind: 'step', rolloutId: event.rolloutId, ...container });
  }

  private onState({ rolloutId, outcome }: { rolloutId: string; outcome: RolloutOutcome }): void {
    if (outcome.state === 'paused' && outcome.reason) this.pauseReasons.set(rolloutId, outcome.reason);
    else this.pauseReasons.delete(rolloutId);
    // A pause is on record before its listeners hear of it; an end line follows the final state, and the next look finds it.
    this.check(rolloutId, this.known.get(rolloutId)?.size ?? -1);
  }

  private emit(event: RolloutEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.deps.log?.(`rollout events: a listener failed: ${(err as Error).message}`);
      }
    }
  }
}
