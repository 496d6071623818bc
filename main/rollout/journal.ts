// The rollout journal: <dataDir>/rollouts/<id>.jsonl (dir 0700, files 0600), one JSON Lines file
// per rollout. A header line (the whole plan, who started it, when, and which process runs it),
// then one line per step, each appended and fsynced before the step is carried out, the recorded
// revisions (image, digest and full create config, for a rollback), pause/resume, control requests
// other processes append for the one that runs it (control.ts follows them), and an end line with
// the final state. A rollout without an end line whose process is gone was interrupted, or stays
// paused where its last state line says so; a later process may carry it on (a resume line names
// it, and its liveness counts from there).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Actor } from '../../shared/audit';
import type { Clock } from '../clock/clock';
import { nodeFiles, type DurableFiles } from '../files/durableFiles';
import { parseJsonLines, type LineFormat } from '../files/jsonLines';
import { currentProcess, DIR_MODE, FILE_MODE, isAlive, withProcessDefaults, type ProcessDeps, type ProcessIdentity, type ProcessTable } from './lock';
import { CONTAINER_STEPS, ROLLOUT_STATES, type ContainerStep, type PlanTarget, type RecordedRevision, type RecordedRolloutState, type RolloutPlan, type RolloutState, type StepDetail } from './types';

const Identity = z.object({ pid: z.number().int(), startTime: z.string() });

const HeaderLine = z.object({
  kind: z.literal('start'),
  time: z.string(),
  // The plan is ours, written by this code: only its id is checked, the rest is carried as it is.
  plan: z.looseObject({ id: z.string(), targets: z.array(z.looseObject({ host: z.string(), name: z.string() })) }),
  startedBy: Actor,
  process: Identity,
});
const StepLine = z.object({
  kind: z.literal('step'),
  time: z.string(),
  /** host/name. */
  container: z.string(),
  step: z.enum(CONTAINER_STEPS),
  detail: z.record(z.string(), z.unknown()).optional(),
});
const RevisionLine = z.object({
  kind: z.literal('revision'),
  time: z.string(),
  revision: z.object({ container: z.string(), image: z.string(), digest: z.string().optional(), configDigest: z.string().optional(), createConfig: z.record(z.string(), z.unknown()) }),
});
/** A later process carrying on an interrupted rollout: it is the one whose liveness counts from here. */
const ResumeLine = z.object({ kind: z.literal('resume'), time: z.string(), by: Actor, process: Identity });
const StateLine = z.object({ kind: z.literal('state'), time: z.string(), state: z.enum(['running', 'paused']), reason: z.string().optional() });
export const CONTROL_OPS = ['pause', 'resume', 'abort', 'rollback'] as const;
export type ControlOp = (typeof CONTROL_OPS)[number];
/** Another process asks the one that runs the rollout to pause, resume, abort or roll it back. */
const ControlLine = z.object({ kind: z.literal('control'), time: z.string(), op: z.enum(CONTROL_OPS), by: Actor });
export type ControlRequest = z.infer<typeof ControlLine>;
const EndLine = z.object({ kind: z.literal('end'), time: z.string(), state: z.enum(ROLLOUT_STATES), error: z.string().optional() });
const JournalLine = z.discriminatedUnion('kind', [HeaderLine, StepLine, RevisionLine, ResumeLine, StateLine, ControlLine, EndLine]);
type JournalLine = z.infer<typeof JournalLine>;

export interface JournalStep {
  time: string;
  container: string;
  step: ContainerStep;
  detail?: StepDetail;
}

/** One rollout as the list shows it. */
export interface RolloutSummary {
  id: string;
  action: RolloutPlan['action'];
  service?: string;
  startedBy: Actor;
  startedAt: string;
  endedAt?: string;
  state: RecordedRolloutState;
  error?: string;
  /** Why it is paused (its last pause), while it is. */
  reason?: string;
  /** The process that runs (or ran) it: the one that started it, or the last to resume it. */
  process: ProcessIdentity;
  /** Whether that process still runs (a paused rollout of a gone process is carried on by another). */
  processAlive: boolean;
  /** Every target in plan order with its last step ('queued' where none was journaled yet). */
  containers: JournalStep[];
}

/** One rollout in full. */
export interface RolloutRecord extends RolloutSummary {
  plan: RolloutPlan;
  steps: JournalStep[];
  revisions: RecordedRevision[];
}

/** What the journal needs of the file seam, plus listing its directory. */
export type JournalFiles = Pick<DurableFiles, 'ensureDir' | 'append' | 'readFrom' | 'size' | 'exists' | 'createExclusive'> & {
  /** File names in `dir` (none where it does not exist). */
  list(dir: string): string[];
};

export const nodeJournalFiles: JournalFiles = {
  ...nodeFiles,
  list(dir) {
    try {
      return readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
};

export interface RolloutJournalOptions extends ProcessDeps {
  /** The data directory: the journal lives in its rollouts/. */
  dataDir: string;
  files?: JournalFiles;
}

const SUFFIX = '.jsonl';
const NEWLINE = 0x0a;
/** Rollout ids become file names: nothing that could leave the directory or hide the file. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const FORMAT: LineFormat<JournalLine> = {
  label: 'rollout journal',
  accept(value) {
    const parsed = JournalLine.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  },
};

export function containerKey(target: Pick<PlanTarget, 'host' | 'name'>): string {
  return `${target.host}/${target.name}`;
}

/** A record as the list shows it: without its plan, steps and revisions. */
export function summaryOf({ plan: _plan, steps: _steps, revisions: _revisions, ...summary }: RolloutRecord): RolloutSummary {
  return summary;
}

export function rolloutsDirectory(dataDir: string): string {
  return path.join(dataDir, 'rollouts');
}

export class RolloutJournal {
  readonly dir: string;
  private readonly files: JournalFiles;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly processes: ProcessTable;
  private readonly log: (message: string) => void;

  constructor(options: RolloutJournalOptions) {
    this.dir = rolloutsDirectory(options.dataDir);
    this.files = options.files ?? nodeJournalFiles;
    ({ processes: this.processes, clock: this.clock, log: this.log } = withProcessDefaults(options));
  }

  /** Writes the header of a new rollout (on disk when this returns); refuses an id already on record. */
  begin(plan: RolloutPlan, startedBy: Actor): JournalWriter {
    const file = this.file(plan.id);
    this.files.ensureDir(this.dir, DIR_MODE);
    const header = { kind: 'start', time: this.time(), plan, startedBy: { user: startedBy.user, source: startedBy.source }, process: currentProcess(this.processes) };
    if (!this.files.createExclusive(file, `${JSON.stringify(header)}\n`, FILE_MODE)) throw new Error(`rollout ${plan.id} is already on record`);
    return this.writer(plan.id, file);
  }

  /**
   * Carries on an interrupted rollout, or a paused one whose process is gone (or is this one, which
   * ended it paused), in this process: records who resumes it, starting on a fresh line where the
   * dead one's last line was torn. Refuses one that ended or whose process still runs.
   */
  resume(id: string, by: Actor): { writer: JournalWriter; record: RolloutRecord } {
    const record = this.read(id);
    if (!record) throw new Error(`rollout ${id} is not on record`);
    const mine = sameProcess(record.process, currentProcess(this.processes));
    if (!isOrphaned(record) && !(record.state === 'paused' && mine)) throw new Error(`rollout ${id} is ${record.state}${record.state === 'paused' ? ' in a process that still runs' : ''}, not interrupted`);
    const file = this.file(id);
    const size = this.files.size(file) ?? 0;
    const torn = size > 0 && this.files.readFrom(file, size - 1)[0] !== NEWLINE;
    const line: JournalLine = { kind: 'resume', time: this.time(), by: { user: by.user, source: by.source }, process: currentProcess(this.processes) };
    this.files.append(file, `${torn ? '\n' : ''}${JSON.stringify(line)}\n`, FILE_MODE);
    const { reason: _reason, ...rest } = record;
    return { writer: this.writer(id, file, size), record: { ...rest, state: 'running', process: line.process, processAlive: true } };
  }

  /**
   * Asks the process that runs rollout `id` to pause, resume, abort or roll it back: a control line
   * it follows (control.ts). On disk when this returns; whether it is applied is up to that process.
   */
  request(id: string, op: ControlOp, by: Actor): void {
    const file = this.file(id);
    if (!this.files.exists(file)) throw new Error(`rollout ${id} is not on record`);
    const line: ControlRequest = { kind: 'control', time: this.time(), op, by: { user: by.user, source: by.source } };
    this.files.append(file, `${JSON.stringify(line)}\n`, FILE_MODE);
  }

  /**
   * The control requests appended to rollout `id` from byte `offset` on, and where the next read
   * starts (a line still being written is left for it). For the process that runs it.
   */
  controlsSince(id: string, offset: number): { requests: ControlRequest[]; offset: number } {
    const file = this.file(id);
    if ((this.files.size(file) ?? 0) <= offset) return { requests: [], offset };
    const chunk = parseJsonLines(this.files.readFrom(file, offset), { file: path.basename(file), offset, final: false }, FORMAT, this.log);
    return { requests: chunk.lines.filter((l): l is ControlRequest => l.kind === 'control'), offset: offset + chunk.consumed };
  }

  /** Every rollout on record, newest first. */
  list(): RolloutSummary[] {
    return this.records().map(summaryOf);
  }

  /** Every rollout on record in full, newest first: each file read once. */
  records(): RolloutRecord[] {
    const records = this.files
      .list(this.dir)
      .filter((name) => name.endsWith(SUFFIX) && SAFE_ID.test(name.slice(0, -SUFFIX.length)))
      .map((name) => this.read(name.slice(0, -SUFFIX.length)))
      .filter((r): r is RolloutRecord => r !== undefined);
    return records.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.id.localeCompare(a.id));
  }

  /** One rollout in full, or undefined where it is not on record (or its header is unreadable). */
  read(id: string): RolloutRecord | undefined {
    const file = this.file(id);
    if (!this.files.exists(file)) return undefined;
    const bytes = this.files.readFrom(file, 0);
    const source = { file: path.basename(file), offset: 0 };
    const chunk = parseJsonLines(bytes, { ...source, final: false }, FORMAT, this.log);
    const header = chunk.lines[0];
    if (header?.kind !== 'start') {
      this.log(`rollout journal: ${source.file} has no readable header line; skipped`);
      return undefined;
    }
    const alive = (lines: JournalLine[]) => isAlive(runnerOf(header, lines), this.processes);
    // An unfinished last line of a running rollout is being written right now; of a dead one, torn.
    if (chunk.unterminated > 0 && !alive(chunk.lines)) chunk.lines.push(...parseJsonLines(bytes.subarray(chunk.consumed), { ...source, offset: chunk.consumed, final: true }, FORMAT, this.log).lines);
    return summarize(header, chunk.lines.slice(1), alive(chunk.lines));
  }

  private writer(id: string, file: string, since = 0): JournalWriter {
    return new JournalWriter(id, since, (line) => this.files.append(file, `${JSON.stringify(line)}\n`, FILE_MODE), () => this.time());
  }

  private file(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`rollout journal: ${JSON.stringify(id)} is not a rollout id`);
    return path.join(this.dir, `${id}${SUFFIX}`);
  }

  private time(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** Appends one rollout's lines; each is on disk when its call returns, so call it before the step. */
export class JournalWriter {
  private ended = false;

  constructor(
    readonly id: string,
    /** Where this process's part of the file starts: the control requests to follow are from here on. */
    readonly since: number,
    private readonly write: (line: JournalLine) => void,
    private readonly time: () => string,
  ) {}

  step(target: Pick<PlanTarget, 'host' | 'name'>, step: ContainerStep, detail?: StepDetail): void {
    this.append({ kind: 'step', time: this.time(), container: containerKey(target), step, ...(detail ? { detail } : {}) });
  }

  /** Records a revision of a container (before it is replaced: what a rollback recreates). */
  revision(revision: RecordedRevision): void {
    this.append({ kind: 'revision', time: this.time(), revision });
  }

  paused(reason?: string): void {
    this.append({ kind: 'state', time: this.time(), state: 'paused', ...(reason ? { reason } : {}) });
  }

  resumed(): void {
    this.append({ kind: 'state', time: this.time(), state: 'running' });
  }

  end(state: Exclude<RolloutState, 'running' | 'paused'>, error?: string): void {
    this.append({ kind: 'end', time: this.time(), state, ...(error ? { error } : {}) });
    this.ended = true;
  }

  private append(line: JournalLine): void {
    if (this.ended) throw new Error(`rollout journal: rollout ${this.id} has ended`);
    this.write(line);
  }
}

/** Not ended, and no process runs it: interrupted, or paused by a process that is gone. Another may carry it on. */
export function isOrphaned(r: Pick<RolloutSummary, 'state' | 'processAlive'>): boolean {
  return r.state === 'interrupted' || (r.state === 'paused' && !r.processAlive);
}

function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.startTime === b.startTime;
}

/** The process that runs the rollout now: the one that started it, or the last to resume it. */
function runnerOf(header: z.infer<typeof HeaderLine>, lines: JournalLine[]): ProcessIdentity {
  let runner = header.process;
  for (const line of lines) if (line.kind === 'resume') runner = line.process;
  return runner;
}

function summarize(header: z.infer<typeof HeaderLine>, lines: JournalLine[], alive: boolean): RolloutRecord {
  const plan = header.plan as unknown as RolloutPlan;
  const steps: JournalStep[] = [];
  const revisions: RecordedRevision[] = [];
  const last = new Map<string, JournalStep>();
  let end: z.infer<typeof EndLine> | undefined;
  let live: 'running' | 'paused' = 'running';
  let reason: string | undefined;
  for (const line of lines) {
    if (line.kind === 'step') {
      const step: JournalStep = { time: line.time, container: line.container, step: line.step, ...(line.detail ? { detail: line.detail as StepDetail } : {}) };
      steps.push(step);
      last.set(step.container, step);
    } else if (line.kind === 'revision') revisions.push(line.revision);
    else if (line.kind === 'state') [live, reason] = [line.state, line.reason];
    else if (line.kind === 'resume') live = 'running';
    else if (line.kind === 'end') end = line;
  }
  // A paused rollout had nothing in flight: with its process gone it is still paused, as it was left.
  const state: RecordedRolloutState = end ? end.state : alive || live === 'paused' ? live : 'interrupted';
  const containers = plan.targets.map((t) => last.get(containerKey(t)) ?? { time: header.time, container: containerKey(t), step: 'queued' as const });
  return {
    id: plan.id,
    action: plan.action,
    ...(plan.service ? { service: plan.service } : {}),
    startedBy: header.startedBy,
    startedAt: header.time,
    ...(end ? { endedAt: end.time } : {}),
    state,
    ...(end?.error ? { error: end.error } : {}),
    ...(state === 'paused' && reason ? { reason } : {}),
    process: runnerOf(header, lines),
    processAlive: alive,
    containers,
    plan,
    steps,
    revisions,
  };
}
