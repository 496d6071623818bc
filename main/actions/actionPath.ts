// The one action path: every call that changes a daemon comes through here. It checks the target,
// writes the audit start line (fsynced) before acting, runs the action, maps Docker's answer to one
// error shape, and writes the end line. Callers say who is acting (the Actor given at creation).
import type { Actor, AuditTarget } from '../../shared/audit';
import type { ActionErrorCode, ActionResult, Container, ContainerAction, ContainerRef } from '../../shared/model';
import type Dockerode from 'dockerode';
import type { HostStatus } from '../engine/hostConnection';
import { dockerErrorCode, dockerMessage, dockerStatus, hostNotOnline } from '../engine/dockerErrors';

/** `docker stop`'s default grace period. */
export const STOP_TIMEOUT_S = 10;

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

/** An action that failed, with the kind of failure; thrown by `run` and caught into results. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly code: ActionErrorCode,
  ) {
    super(message);
  }
}

export interface ActionPathDeps {
  targets: ActionTargets;
  audit: ActionRecorder;
  actor: Actor;
  log?: (message: string) => void;
}

export class ActionPath {
  constructor(private readonly deps: ActionPathDeps) {}

  /**
   * Runs `act` as one audited action on `host`: refuses at once if the host is not online (audited
   * too, so a refused action is on record), else records, acts, and records the outcome.
   */
  async run<T>(action: string, target: AuditTarget, params: Record<string, unknown> | undefined, act: (host: ActionHost) => Promise<T>): Promise<T> {
    const { audit, actor, targets } = this.deps;
    const id = await audit.begin({ actor, action, target, ...(params ? { params } : {}) });
    try {
      const host = targets.host(target.host);
      if (!host) throw new ActionError(`no host named "${target.host}" in the fleet`, 'not-found');
      if (host.status.state !== 'online') throw new ActionError(hostNotOnline(target.host, host.status), 'host-offline');
      const value = await act(host);
      await audit.end(id, { ok: true });
      return value;
    } catch (err) {
      const failure = err instanceof ActionError ? err : new ActionError(dockerMessage(err), dockerErrorCode(err));
      await audit.end(id, { ok: false, error: failure.message }).catch((e: unknown) => this.deps.log?.(`audit: ${(e as Error).message}`));
      throw failure;
    }
  }

  /** start, stop or restart one container; the result says what happened in words and, on failure, its code. */
  async containerAction(ref: ContainerRef, action: ContainerAction): Promise<ActionResult> {
    const { targets } = this.deps;
    const container = targets.containers(ref.host).find((c) => c.id === ref.id);
    const name = container?.name ?? ref.id.slice(0, 12);
    const target: AuditTarget = { host: ref.host, container: name, ...(container?.service ? { service: container.service } : {}) };
    const result = (ok: boolean, message: string, code?: ActionErrorCode): ActionResult => ({ ok, action, host: ref.host, id: ref.id, message, ...(code ? { code } : {}) });
    let already = false;
    try {
      await this.run(action, target, undefined, async (host) => {
        const handle = host.docker.getContainer(ref.id);
        try {
          if (action === 'start') await handle.start();
          else if (action === 'stop') await handle.stop({ t: STOP_TIMEOUT_S });
          else await handle.restart({ t: STOP_TIMEOUT_S });
        } catch (err) {
          // 304: already in the requested state; done, as the docker CLI says.
          if (dockerStatus(err) !== 304) throw err;
          already = true;
        }
      });
    } catch (err) {
      const failure = err as ActionError;
      const message = failure.code === 'host-offline' || failure.code === 'not-found' && !container ? failure.message : `${action} ${name} on ${ref.host} failed: ${failure.message}`;
      return result(false, message, failure.code);
    }
    await targets.refresh(ref.host);
    if (already) return result(true, `${name} on ${ref.host} was already ${action === 'start' ? 'running' : 'stopped'}`);
    return result(true, `${PAST[action]} ${name} on ${ref.host}`);
  }
}
