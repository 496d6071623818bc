// The one action path: every call that changes a daemon comes through here. It writes the audit
// start line (fsynced) before anything else, checks the target (the host exists and is online,
// the container exists), runs the action under a deadline, maps Docker's answer to one error
// shape (main/engine/dockerErrors), and writes the end line, refused actions included. Callers say
// who is acting (the Actor given at creation).
import type { Actor, AuditTarget } from '../../shared/audit';
import type { ActionErrorCode, ActionResult, Container, ContainerAction } from '../../shared/model';
import type Dockerode from 'dockerode';
import { systemClock, type Clock } from '../clock/clock';
import type { HostStatus } from '../engine/hostConnection';
import { dockerErrorCode, dockerMessage, dockerStatus, hostNotOnline } from '../engine/dockerErrors';

/** `docker stop`'s default grace period. */
export const STOP_TIMEOUT_S = 10;
/**
 * How long a start, stop or restart may take before we stop waiting: the stop's 10 s grace, then
 * dockerd's kill and, for a restart, the start. On the lab a restart of a container that ignores
 * SIGTERM answers in ~11 s; 60 s leaves room for a loaded host and still ends a hung call.
 */
export const CONTAINER_ACTION_DEADLINE_MS = 60_000;

const PAST: Record<ContainerAction, string> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };

/** The parts of a host connection the action path uses. */
export interface ActionHost {
  readonly docker: Dockerode;
  readonly status: HostStatus;
}

/** The parts of the inventory it uses: targets to check, and a refresh after acting. */
export interface ActionTargets {
  host(name: string): ActionHost | undefined;
  containers(host: string): Container[];
  refresh(host: string): Promise<void>;
}

/** Where actions are recorded (main/audit's AuditLog). `begin` resolves once the line is durable. */
export interface ActionRecorder {
  begin(entry: { actor: Actor; action: string; target: AuditTarget; params?: Record<string, unknown> }): Promise<string>;
  end(id: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void>;
}

/**
 * An action that failed, with the kind of failure; thrown by `run` and caught into results.
 * Without a code, fleetdeck itself failed (the audit log could not be written), not the daemon.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code?: ActionErrorCode,
  ) {
    super(message);
  }
}

export interface ActionPathDeps {
  targets: ActionTargets;
  audit: ActionRecorder;
  actor: Actor;
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  log?: (message: string) => void;
}

/** What one action is: its name, its target as the audit log records it, and its limits. */
export interface ActionRequest {
  action: string;
  target: AuditTarget;
  /** No secret here: it is written to the audit log (main/audit redacts what looks like one). */
  params?: Record<string, unknown>;
  deadlineMs: number;
}

/** A container named as a caller names it: by full id, id prefix (12 or more) or name. */
export interface ContainerTarget {
  host: string;
  container: string;
}

export class ActionPath {
  private readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  private readonly log: (message: string) => void;

  constructor(private readonly deps: ActionPathDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? (() => {});
  }

  /**
   * Runs `act` as one audited action: records its start, refuses it (on record too) where the
   * host is unknown or not online, else acts within the deadline (`signal` aborts the call when
   * it passes), and records the outcome. Throws an ActionError on failure.
   */
  async run<T>(request: ActionRequest, act: (host: ActionHost, signal: AbortSignal) => Promise<T>): Promise<T> {
    const { audit, actor } = this.deps;
    let id: string;
    try {
      id = await audit.begin({ actor, action: request.action, target: request.target, ...(request.params ? { params: request.params } : {}) });
    } catch (err) {
      throw new ActionError(`not done: the audit log cannot be written (${(err as Error).message})`);
    }
    let value: T;
    try {
      value = await this.withDeadline(request, (signal) => act(this.onlineHost(request.target.host), signal));
    } catch (err) {
      const failure = err instanceof ActionError ? err : new ActionError(dockerMessage(err), dockerErrorCode(err));
      await audit.end(id, { ok: false, error: failure.message }).catch((e: unknown) => this.log(`audit: ${(e as Error).message}`));
      throw failure;
    }
    // Done on the daemon whatever happens now: a failed end line leaves the action "unknown" on record.
    await audit.end(id, { ok: true }).catch((e: unknown) => this.log(`audit: ${(e as Error).message}`));
    return value;
  }

  /** start, stop or restart one container; the result says what happened in words and, on failure, its code. */
  async containerAction(ref: ContainerTarget, action: ContainerAction): Promise<ActionResult> {
    const { targets } = this.deps;
    let container = this.findContainer(ref);
    const name = () => container?.name ?? ref.container;
    const target: AuditTarget = { host: ref.host, container: name(), ...(container?.service ? { service: container.service } : {}) };
    const result = (ok: boolean, message: string, code?: ActionErrorCode): ActionResult => ({ ok, action, host: ref.host, id: container?.id ?? ref.container, message, ...(code ? { code } : {}) });
    let already = false;
    try {
      await this.run({ action, target, deadlineMs: CONTAINER_ACTION_DEADLINE_MS }, async (host, abortSignal) => {
        if (!container) {
          // Perhaps created a moment ago and not listed yet: list the host again before refusing.
          await targets.refresh(ref.host);
          container = this.findContainer(ref);
          if (!container) throw new ActionError(`no such container "${ref.container}" on ${ref.host}`, 'not-found');
        }
        const handle = host.docker.getContainer(container.id);
        try {
          if (action === 'start') await handle.start({ abortSignal });
          else if (action === 'stop') await handle.stop({ t: STOP_TIMEOUT_S, abortSignal });
          else await handle.restart({ t: STOP_TIMEOUT_S, abortSignal });
        } catch (err) {
          // 304: already in the requested state; done, as the docker CLI says.
          if (dockerStatus(err) !== 304) throw err;
          already = true;
        }
      });
    } catch (err) {
      const failure = err as ActionError;
      const refused = failure.code === 'host-offline' || (failure.code === 'not-found' && !container) || failure.code === undefined;
      return result(false, refused ? failure.message : `${action} ${name()} on ${ref.host} failed: ${failure.message}`, failure.code);
    }
    await targets.refresh(ref.host).catch((e: unknown) => this.log(`${ref.host}: cannot list containers after ${action}: ${(e as Error).message}`));
    if (already) return result(true, `${name()} on ${ref.host} was already ${action === 'start' ? 'running' : 'stopped'}`);
    return result(true, `${PAST[action]} ${name()} on ${ref.host}`);
  }

  private onlineHost(name: string): ActionHost {
    const host = this.deps.targets.host(name);
    if (!host) throw new ActionError(`no host named "${name}" in the fleet`, 'not-found');
    if (host.status.state !== 'online') throw new ActionError(hostNotOnline(name, host.status), 'host-offline');
    return host;
  }

  /** By full id, then name, then a unique id prefix (12 or more characters, as the contract allows). */
  private findContainer({ host, container: key }: ContainerTarget): Container | undefined {
    const all = this.deps.targets.containers(host);
    const exact = all.find((c) => c.id === key) ?? all.find((c) => c.name === key);
    if (exact || key.length < 12) return exact;
    const prefixed = all.filter((c) => c.id.startsWith(key));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }

  /** Stops waiting at the deadline (and aborts the call); the daemon may still finish the action. */
  private async withDeadline<T>(request: ActionRequest, act: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const seconds = Math.round(request.deadlineMs / 1000);
    const timer = this.clock.setTimeout(() => abort.abort(new ActionError(`${request.target.host} did not answer within ${seconds} s; the action may still finish there`, 'timeout')), request.deadlineMs);
    const expired = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason as Error), { once: true }));
    try {
      return await Promise.race([act(abort.signal), expired]);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}
