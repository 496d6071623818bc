// The rollout service: composes the engine's pieces into a deploy, a rolling restart or a rollback
// to a recorded revision (revisions.ts). It checks a request before anything is touched (scope,
// image reference, the registry's digest, the revision, sequence/batches), builds the plan, takes
// the services' locks, journals every step before it runs, runs the executor over the action's
// updater (HostSteps: deploy, rollback; RestartSteps: restart), and returns a per-container summary.
// Rollouts can be paused, resumed, aborted and rolled back wherever they run (control()); launch
// and step events go to listeners (the CLI's live lines, the rolloutEvents stream).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Actor } from '../../shared/audit';
import { ImageRefError, parseImageRef } from '../../shared/imageRef';
import type { Container } from '../../shared/model';
import type { ActionPath } from '../actions/actionPath';
import type { Clock } from '../clock/clock';
import { hasStaticAddress, type InspectedContainer } from './createConfig';
import { RolloutExecutor, type RolloutOutcome, type StepEvent } from './executor';
import { hostDownCheck } from './hostDown';
import { digestIn, HostSteps, type HostStepsDeps, type StepsDocker } from './hostSteps';
import { applyControl, followControls } from './control';
import { isOrphaned, type ControlOp, type JournalWriter, type RolloutJournal, type RolloutRecord, type RolloutSummary as JournalSummary } from './journal';
import { RolloutLockedError, type ServiceLock, type ServiceLocks } from './lock';
import { buildPlan, targetKey } from './plan';
import { RestartSteps } from './restartSteps';
import { historyWithRevisions, journalRevisions, revisionPairs, type ServiceRevision } from './revisions';
import type { ContainerStep, ContainerUpdater, PlanTarget, RecordedRevision, RolloutParams, RolloutPlan, RolloutState } from './types';

/** A request the service refuses before touching anything, with a message for the operator. */
export class RolloutError extends Error {
  override name = 'RolloutError';
}

export interface DeployRequest {
  /** Every container of this service (the fleet's service label)… */
  service?: string;
  /** …or these, as HOST/NAME. */
  containers?: string[];
  image: string;
  params?: Partial<RolloutParams>;
  sequence?: string[];
  lanes?: string[][];
  dryRun?: boolean;
  /** Run in each new container once healthy; a non-zero exit fails it. */
  probe?: string[];
}

/** What every rollout takes beside its action: a scope (a service or HOST/NAMEs), parameters, an order. */
type ScopedRequest = Pick<DeployRequest, 'service' | 'containers' | 'params' | 'sequence' | 'lanes' | 'dryRun'>;

/** A rolling restart: each container stopped and started again, with a deploy's parameters and failure handling. */
export type RestartRequest = ScopedRequest & { action: 'restart'; probe?: string[] };

/** Back to a recorded revision of the service (default: the one before the current). */
export type RollbackRequest = ScopedRequest & { action: 'rollback'; toRevision?: number };

/** Any rollout the service runs: a deploy (action absent or 'deploy'), a rolling restart or a rollback. */
export type RolloutRequest = (DeployRequest & { action?: 'deploy' }) | RestartRequest | RollbackRequest;

export interface ContainerSummary {
  host: string;
  name: string;
  from: { image: string; digest?: string };
  to: { image: string; digest?: string };
  /** Its last step (done: on the new revision). */
  state: string;
  error?: string;
}

export interface RolloutRunSummary {
  id: string;
  service?: string;
  action: RolloutPlan['action'];
  state: RolloutState;
  reason?: string;
  containers: ContainerSummary[];
}

/** A rollout on record and running in this process: its summary comes once it ends. */
export interface StartedRollout {
  id: string;
  done: Promise<RolloutRunSummary>;
}

export type DeployResult = ({ dryRun: true } & { plan: RolloutPlan }) | ({ dryRun: false } & RolloutRunSummary);

/** One step of one container of a rollout, for listeners. */
export interface RolloutStepEvent extends StepEvent {
  rolloutId: string;
}

/** A rollout this process starts or carries on: its plan, and each container's step so far, by HOST/NAME (none for a new one). */
export interface RolloutLaunchEvent {
  rolloutId: string;
  plan: RolloutPlan;
  steps: Record<string, ContainerStep>;
}

/** What the service needs of the fleet: its containers, and each host's client for inspects and steps. */
export interface RolloutFleet {
  hostNames(): string[];
  containers(host: string): Container[];
  host(name: string): { readonly docker: StepsDocker } | undefined;
}

export interface RolloutServiceDeps {
  fleet: RolloutFleet;
  actions: Pick<ActionPath, 'run'>;
  journal: Pick<RolloutJournal, 'begin' | 'list' | 'records' | 'read' | 'resume' | 'request' | 'controlsSince'>;
  locks: Pick<ServiceLocks, 'acquire' | 'holder'>;
  /** The registry's digest for a reference (RegistryService.resolve); rejects for a tag it lacks. */
  resolve(image: string): Promise<{ digest: string }>;
  pullAuth: HostStepsDeps['pullAuth'];
  clock: Clock;
  actor: Actor;
  /**
   * Default true, for the one-shot CLI: a paused rollout's deploy() resolves 'paused' (its locks
   * released) and `resume ID` carries it on from the journal once this process is gone. A
   * long-running console passes false: the rollout waits, paused, for resume(id).
   */
  endOnPause?: boolean;
}

/** Leftovers of a rollout (hostSteps.ts oldName/newName) carry the service label but are no members. */
const ROLLOUT_LEFTOVER = /-fd-(old|new)-[0-9a-f]{12}$/;

interface Running {
  executor: RolloutExecutor;
}

/** A rollout no process ran any more, carried on here: resumed, or with an order to apply before it runs. */
interface TakenOver {
  record: RolloutRecord;
  op?: 'abort' | 'rollback';
}

/** What pause, resume, abort and rollback are asked as: control(id, op). */
export type RolloutControlOp = ControlOp;

function notRunning(record: JournalSummary): RolloutError {
  return new RolloutError(`rollout ${record.id} is ${record.state} and not running in this process or another: resume it, abort it or roll it back`);
}

export class RolloutService {
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: RolloutServiceDeps) {}

  /** Listens to every step of every rollout of this process; returns the unsubscribe. */
  onStep(listener: (event: RolloutStepEvent) => void): () => void {
    this.events.on('step', listener);
    return () => this.events.off('step', listener);
  }

  onState(listener: (event: { rolloutId: string; outcome: RolloutOutcome }) => void): () => void {
    this.events.on('state', listener);
    return () => this.events.off('state', listener);
  }

  /** Each rollout this process starts or carries on, once it is on record: its plan, and each container's step so far (HOST/NAME). */
  onLaunch(listener: (event: RolloutLaunchEvent) => void): () => void {
    this.events.on('launch', listener);
    return () => this.events.off('launch', listener);
  }

  deploy(request: DeployRequest): Promise<DeployResult> {
    return this.execute(request);
  }

  /** Runs any rollout to its end (a dry run: its plan, nothing touched). */
  async execute(request: RolloutRequest): Promise<DeployResult> {
    const unfinished = this.unfinished(request);
    if (unfinished) return { dryRun: false, ...(await this.revertUnfinished(unfinished, request).done) };
    const plan = await this.plan(request);
    if (request.dryRun) return { dryRun: true, plan };
    return { dryRun: false, ...(await this.launch(plan, probeOf(request)).done) };
  }

  /** The plan a request would run, checked; touches nothing (a dry run). */
  async preview(request: RolloutRequest): Promise<RolloutPlan> {
    const unfinished = this.unfinished(request);
    if (unfinished) throw new RolloutError(`${describe(unfinished)}: a rollback of ${unfinished.service} reverts it (every container it touched back to its previous revision), so there is no new plan to show; nothing was changed`);
    return this.plan(request);
  }

  /**
   * Checks a request, takes its locks and journals its header, then runs it in the background: it
   * resolves once the rollout is on record (listed, followable), with the summary to come.
   */
  async start(request: RolloutRequest): Promise<StartedRollout> {
    const unfinished = this.unfinished(request);
    if (unfinished) return this.revertUnfinished(unfinished, request);
    return this.launch(await this.plan(request), probeOf(request));
  }

  /** A rollback of a service whose last rollout did not finish (interrupted, or paused on record): that rollout is what it reverts. */
  private unfinished(request: RolloutRequest): JournalSummary | undefined {
    if (request.action !== 'rollback' || request.service === undefined) return undefined;
    const last = this.list().find((r) => r.service === request.service);
    return last && (last.state === 'interrupted' || last.state === 'paused') ? last : undefined;
  }

  /** Rolls the unfinished rollout back: every container it touched returns to its previous revision. */
  private revertUnfinished(unfinished: JournalSummary, request: RolloutRequest): StartedRollout {
    const what = describe(unfinished);
    if (request.action === 'rollback' && request.toRevision !== undefined) throw new RolloutError(`${what}: roll it back first (rollback --service ${unfinished.service} without --to-revision) or resume it, then go to revision ${request.toRevision}; nothing was changed`);
    if (request.dryRun) throw new RolloutError(`${what}: a rollback reverts every container it touched to its previous revision; nothing was changed`);
    const done = this.control(unfinished.id, 'rollback').then((summary) => summary ?? this.delivered(unfinished.id));
    return { id: unfinished.id, done };
  }

  /** A rollout another live process runs, once it was asked to roll back: its summary from the journal as it stands. */
  private delivered(id: string): RolloutRunSummary {
    const record = this.deps.journal.read(id);
    if (!record) throw new RolloutError(`rollout ${id} is not on record`);
    const last = new Map(record.containers.map((c) => [c.container, c]));
    return {
      id,
      ...(record.service ? { service: record.service } : {}),
      action: record.action,
      state: record.state === 'paused' ? 'paused' : 'running',
      reason: `asked the process that runs it (pid ${record.process.pid}) to roll it back: fleetdeck rollouts shows when it ends`,
      containers: record.plan.targets.map((t) => {
        const step = last.get(targetKey(t));
        return { host: t.host, name: t.name, from: t.from, to: t.to, state: step?.step ?? 'queued', ...(step?.detail?.error ? { error: String(step.detail.error) } : {}) };
      }),
    };
  }

  /** Every rollout on record, newest first. */
  list(): JournalSummary[] {
    return this.deps.journal.list();
  }

  /** Rollouts on record that no process runs: interrupted, or paused by a process that is gone. */
  interrupted(): JournalSummary[] {
    return this.list().filter(isOrphaned);
  }

  /** A service's recorded revisions, oldest first (revisions.ts); none for a service never deployed. */
  revisions(service: string): ServiceRevision[] {
    return journalRevisions(this.deps.journal).get(service) ?? [];
  }

  /** Every rollout on record, newest first, each with the revision it made where it made one. */
  history(): (JournalSummary & { revision?: number })[] {
    return historyWithRevisions(this.deps.journal);
  }

  /** Pauses a rollout running in this process or another (control()); throws for one no process runs. */
  pause(id: string): void {
    const orphan = this.deliver(id, 'pause');
    if (orphan) throw notRunning(orphan);
  }

  /**
   * Resumes a paused rollout, or carries on one no process runs from its journal (control()):
   * containers done stay done, one caught mid-update is picked up from its recorded revisions.
   */
  resume(id: string, probe?: string[]): Promise<RolloutRunSummary | undefined> {
    return this.control(id, 'resume', probe);
  }

  /** Aborts a rollout wherever it runs, or takes over one no process runs and ends it aborted (control()). */
  abort(id: string): Promise<RolloutRunSummary | undefined> {
    return this.control(id, 'abort');
  }

  /**
   * Pauses, resumes, aborts or rolls back rollout `id` wherever it is. Running in this process: the
   * executor, at once. Running in another live process: a control request in the journal that it
   * follows (resolves once written). On record with no process running it (interrupted, or paused
   * by a process that is gone), this process takes it over: 'resume' carries it on; 'abort'
   * finishes the container caught mid-update, then ends it aborted (each container on its old
   * revision or its new one); 'rollback' reverts every container it touched; each resolves with
   * the summary once it ends. Ended, not on record, or pausing one that no process runs: RolloutError.
   */
  async control(id: string, op: RolloutControlOp, probe?: string[]): Promise<RolloutRunSummary | undefined> {
    const orphan = this.deliver(id, op);
    if (!orphan) return undefined;
    if (op === 'pause') throw notRunning(orphan);
    return this.launch(orphan.plan, probe, { record: orphan, ...(op === 'resume' ? {} : { op }) }).done;
  }

  /** Gives the order to this process's executor, or by the journal to the live process that runs it; else the record no process runs. */
  private deliver(id: string, op: RolloutControlOp): RolloutRecord | undefined {
    const live = this.running.get(id);
    if (live) {
      applyControl(live.executor, op, this.deps.actor);
      return undefined;
    }
    const record = this.deps.journal.read(id);
    if (!record) throw new RolloutError(`rollout ${id} is not on record`);
    if (record.state !== 'running' && record.state !== 'paused' && record.state !== 'interrupted') throw new RolloutError(`rollout ${id} already ended (${record.state})`);
    // This process runs only what it holds in `running`: one it ended paused is no one's now.
    if (record.processAlive && record.process.pid !== process.pid) {
      this.deps.journal.request(id, op, this.deps.actor);
      return undefined;
    }
    return record;
  }

  /** Checks the request and builds its plan; touches nothing. */
  private async plan(request: RolloutRequest): Promise<RolloutPlan> {
    if ((request.service === undefined) === (request.containers === undefined)) throw new RolloutError('give either a service or a list of containers');
    const action = request.action ?? 'deploy';
    if (request.action === undefined || request.action === 'deploy') checkImage(request.image);
    // Refused at once, before asking the registry; acquiring the lock in run() is what settles a race.
    const held = request.service !== undefined ? this.deps.locks.holder(request.service) : undefined;
    if (held) throw new RolloutLockedError(request.service!, held);
    const scope = request.service !== undefined ? this.serviceScope(request.service) : this.listedScope(request.containers!);
    let to: PlanTarget['to'] | undefined;
    if (request.action === undefined || request.action === 'deploy') {
      try {
        to = { image: request.image, digest: (await this.deps.resolve(request.image)).digest };
      } catch (e) {
        throw new RolloutError(`image ${request.image}: the registry does not give it (${(e as Error).message}); nothing was changed`);
      }
    }
    const back = request.action === 'rollback' ? this.rollbackRevision(request, scope) : undefined;
    // A restart keeps each container's image: to is its from. A rollback goes to its revision's.
    const targets = await Promise.all(scope.map((c) => this.target(c, back ? back.to(c) : to)));
    const plan = buildPlan({
      id: this.newId(),
      action,
      ...(request.service !== undefined ? { service: request.service } : {}),
      targets,
      ...(request.params ? { params: request.params } : {}),
      ...(request.sequence ? { sequence: request.sequence } : {}),
      ...(request.lanes ? { lanes: request.lanes } : {}),
    });
    if (!back) return plan;
    const rollback: RollbackPlan = { ...plan, rollbackTo: back.rollbackTo };
    return rollback;
  }

  /** The revision a rollback returns to, checked: of one service, on record, holding every container of the scope. */
  private rollbackRevision(request: RollbackRequest, scope: Container[]): { rollbackTo: RollbackPlan['rollbackTo']; to(c: Container): PlanTarget['to'] } {
    const services = [...new Set(scope.map((c) => c.service))];
    const service = request.service ?? (services.length === 1 ? services[0] : undefined);
    if (service === undefined) throw new RolloutError(`a rollback returns one service to a recorded revision: the containers given are of ${services.map((s) => s ?? 'no service').join(', ')}`);
    const revisions = this.revisions(service);
    const current = revisions.at(-1);
    if (!current || (revisions.length < 2 && request.toRevision === undefined)) {
      throw new RolloutError(`service ${service} has no recorded revision to go back to (${current ? 'revision 1 is the current one' : 'no deploy of it is on record'}); nothing was changed`);
    }
    const number = request.toRevision ?? current.number - 1;
    const revision = revisions[number - 1];
    if (!revision) throw new RolloutError(`service ${service} has no revision ${number}: its revisions are ${revisions.map((r) => r.number).join(', ')} (${current.number} is the current one); nothing was changed`);
    const byKey = new Map(revision.containers.map((c) => [targetKey(c), c]));
    const missing = scope.filter((c) => !byKey.has(targetKey(c))).map(targetKey);
    if (missing.length > 0) throw new RolloutError(`revision ${number} of service ${service} has no ${missing.join(', ')} (it holds ${[...byKey.keys()].join(', ')}); roll the others back with --containers; nothing was changed`);
    return {
      rollbackTo: { service, revision: number },
      to: (c) => {
        const r = byKey.get(targetKey(c))!;
        return { image: r.image, ...(r.digest ? { digest: r.digest } : {}) };
      },
    };
  }

  /** A rollback's recorded target per container (its revision's create config), for HostSteps. */
  private rollbackTargets(plan: RolloutPlan): ((t: PlanTarget) => RecordedRevision | undefined) | undefined {
    const to = (plan as RollbackPlan).rollbackTo;
    if (plan.action !== 'rollback' || !to) return undefined;
    const revision = this.revisions(to.service)[to.revision - 1];
    if (!revision) throw new RolloutError(`rollout ${plan.id}: revision ${to.revision} of service ${to.service} is no longer on record`);
    const byKey = new Map(revision.containers.map((c) => [targetKey(c), c]));
    return (t) => {
      const c = byKey.get(targetKey(t));
      return c && { container: targetKey(c), image: c.image, ...(c.digest ? { digest: c.digest } : {}), createConfig: c.createConfig };
    };
  }

  private allContainers(): Container[] {
    return this.deps.fleet.hostNames().flatMap((host) => this.deps.fleet.containers(host).map((c) => ({ ...c, host })));
  }

  private serviceScope(service: string): Container[] {
    const all = this.allContainers().filter((c) => !ROLLOUT_LEFTOVER.test(c.name));
    const members = all.filter((c) => c.service === service);
    if (members.length === 0) {
      const known = [...new Set(all.map((c) => c.service).filter((s): s is string => Boolean(s)))].sort();
      throw new RolloutError(`no containers of service ${service} on the hosts that answer (services: ${known.join(', ') || 'none'})`);
    }
    return members;
  }

  private listedScope(names: string[]): Container[] {
    const all = this.allContainers();
    return names.map((name) => {
      const found = all.find((c) => targetKey(c) === name);
      if (!found) throw new RolloutError(`no container ${name} (give HOST/NAME of a container on a host that answers)`);
      return found;
    });
  }

  /** A container of the scope as it runs now (its image's digest from the host's RepoDigests), going `to` (default: where it is). */
  private async target(c: Container, to?: PlanTarget['to']): Promise<Omit<PlanTarget, 'order'>> {
    const docker = this.deps.fleet.host(c.host)?.docker;
    if (!docker) throw new RolloutError(`host ${c.host} is not in the fleet`);
    const inspected = (await docker.getContainer(c.id).inspect()) as unknown as InspectedContainer & { Image: string; Config: { Image?: string } };
    const image = inspected.Config.Image ?? c.image;
    const digest = digestIn((await docker.getImage(inspected.Image).inspect()).RepoDigests, image);
    const from = { image, ...(digest ? { digest } : {}) };
    return {
      host: c.host,
      name: c.name,
      id: inspected.Id,
      ...(c.service ? { service: c.service } : {}),
      from,
      to: to ?? from,
      forcedStopFirst: hasStaticAddress(inspected),
    };
  }

  private newId(): string {
    const stamp = new Date(this.deps.clock.now()).toISOString().replace(/[-:.]/g, '');
    return `${stamp}-${randomBytes(3).toString('hex')}`;
  }

  /** Locks and journals a plan at once (throwing if either is refused), then runs it; the locks are released whatever happens. */
  private launch(plan: RolloutPlan, probe: string[] | undefined, resumed?: TakenOver): StartedRollout {
    const locks = this.lockAll(plan);
    let writer: JournalWriter;
    try {
      writer = resumed ? this.deps.journal.resume(plan.id, this.deps.actor).writer : this.deps.journal.begin(plan, this.deps.actor);
    } catch (e) {
      for (const lock of locks) lock.release();
      throw e;
    }
    const steps = Object.fromEntries((resumed?.record.containers ?? []).map((c) => [c.container, c.step]));
    this.events.emit('launch', { rolloutId: plan.id, plan, steps } satisfies RolloutLaunchEvent);
    const done = this.run(plan, writer, probe, resumed).finally(() => {
      for (const lock of locks) lock.release();
    });
    return { id: plan.id, done };
  }

  private async run(plan: RolloutPlan, writer: JournalWriter, probe: string[] | undefined, resumed?: TakenOver): Promise<RolloutRunSummary> {
    const recorded = resumed ? recordedRevisions(resumed.record) : undefined;
    const steps = this.updater(plan, probe, recorded);
    // finish() forgets what it planned, so the digests the steps carried are kept here for the summary.
    const revisions = new Map<string, { from?: RecordedRevision; to?: RecordedRevision }>(recorded);
    let wasPaused = false;
    const executor = new RolloutExecutor(
      plan,
      {
        clock: this.deps.clock,
        updater: steps,
        hostDown: hostDownCheck({ hosts: this.deps.fleet, clock: this.deps.clock }),
        onStep: async (event) => {
          const { from, to } = (event.detail ?? {}) as { from?: RecordedRevision; to?: RecordedRevision };
          if (from || to) revisions.set(targetKey(event), { ...(from ? { from } : {}), ...(to ? { to } : {}) });
          this.journalStep(writer, event);
          this.events.emit('step', { rolloutId: plan.id, ...event } satisfies RolloutStepEvent);
        },
        onState: (outcome) => {
          if (outcome.state === 'paused' && !wasPaused) writer.paused(outcome.reason);
          if (outcome.state === 'running' && wasPaused) writer.resumed();
          wasPaused = outcome.state === 'paused';
          this.events.emit('state', { rolloutId: plan.id, outcome });
        },
      },
      {
        endOnPause: this.deps.endOnPause ?? true,
        ...(resumed ? { resumeFrom: Object.fromEntries(resumed.record.containers.map((c) => [c.container, c.step])) } : {}),
      },
    );
    this.running.set(plan.id, { executor });
    if (resumed?.op) applyControl(executor, resumed.op, this.deps.actor);
    const unfollow = followControls({ journal: this.deps.journal, clock: this.deps.clock }, plan.id, writer.since, (r) => applyControl(executor, r.op, r.by));
    let outcome: RolloutOutcome;
    try {
      // It throws only when the journal could not record a step: no end line then, so that the
      // rollout reads as interrupted (resumable) once this process is gone.
      outcome = await executor.run();
    } finally {
      unfollow();
      this.running.delete(plan.id);
    }
    if (outcome.state !== 'running' && outcome.state !== 'paused') writer.end(outcome.state, outcome.reason);
    return summarize(plan, outcome, revisions);
  }

  /** The per-container steps of the plan's action: a restart stops and starts, a deploy or rollback recreates. */
  private updater(plan: RolloutPlan, probe: string[] | undefined, recorded: Map<string, { from: RecordedRevision; to: RecordedRevision }> | undefined): ContainerUpdater {
    const common = { actions: this.deps.actions, hosts: this.deps.fleet, clock: this.deps.clock, ...(probe ? { probe } : {}) };
    if (plan.action === 'restart') return new RestartSteps(common);
    const target = this.rollbackTargets(plan);
    return new HostSteps({
      ...common,
      pullAuth: this.deps.pullAuth,
      order: plan.params.order,
      ...(recorded ? { recorded: (t: PlanTarget) => recorded.get(targetKey(t)) } : {}),
      ...(target ? { target } : {}),
    });
  }

  /** Each service in the plan (or the container, where it has none), all or none. */
  private lockAll(plan: RolloutPlan): ServiceLock[] {
    const names = [...new Set(plan.targets.map((t) => t.service ?? targetKey(t)))].sort();
    const taken: ServiceLock[] = [];
    try {
      for (const name of names) taken.push(this.deps.locks.acquire(name, plan.id, this.deps.actor));
    } catch (e) {
      for (const lock of taken) lock.release();
      throw e;
    }
    return taken;
  }

  /** The revisions a step carries (full create configs) go on their own journal lines, before the step. */
  private journalStep(writer: JournalWriter, event: StepEvent): void {
    const target = { host: event.host, name: event.name };
    const { from, to, ...rest } = (event.detail ?? {}) as { from?: unknown; to?: unknown } & Record<string, unknown>;
    for (const revision of [from, to]) if (revision) writer.revision(revision as RecordedRevision);
    writer.step(target, event.step, Object.keys(rest).length ? rest : undefined);
  }
}

/** A rollback's plan also names the revision it returns to (the journal keeps the plan as it is). */
export type RollbackPlan = RolloutPlan & { rollbackTo: { service: string; revision: number } };

/** A rollout on record as the operator knows it: "rollout ID (deploy of S) is paused". */
function describe(r: JournalSummary): string {
  return `rollout ${r.id} (${r.action}${r.service ? ` of ${r.service}` : ''}) is ${r.state}`;
}

function checkImage(image: string): void {
  try {
    parseImageRef(image);
  } catch (e) {
    if (e instanceof ImageRefError) throw new RolloutError(`image ${JSON.stringify(image)}: ${e.message}`);
    throw e;
  }
}

function probeOf(request: RolloutRequest): string[] | undefined {
  return request.action === 'rollback' ? undefined : request.probe;
}

function summarize(plan: RolloutPlan, outcome: RolloutOutcome, revisions: Map<string, { from?: RecordedRevision; to?: RecordedRevision }>): RolloutRunSummary {
  const withDigest = (side: { image: string; digest?: string }, known: RecordedRevision | undefined) => {
    const digest = known?.digest ?? side.digest;
    return { image: side.image, ...(digest ? { digest } : {}) };
  };
  const containers = plan.targets.map((t, i): ContainerSummary => {
    const o = outcome.containers[i]!;
    const known = revisions.get(targetKey(t));
    const from = withDigest(t.from, known?.from);
    const to = withDigest(t.to, known?.to);
    return { host: t.host, name: t.name, from, to, state: o.step, ...(o.error !== undefined ? { error: o.error } : {}) };
  });
  return { id: plan.id, ...(plan.service ? { service: plan.service } : {}), action: plan.action, state: outcome.state, ...(outcome.reason ? { reason: outcome.reason } : {}), containers };
}

/** Per container, its revisions as first recorded, where both the from and the to line are. */
function recordedRevisions(record: RolloutRecord): Map<string, { from: RecordedRevision; to: RecordedRevision }> {
  const out = new Map<string, { from: RecordedRevision; to: RecordedRevision }>();
  for (const [container, { from, to }] of revisionPairs(record.revisions)) if (to) out.set(container, { from, to });
  return out;
}
