// The calls both per-container updaters (hostSteps.ts: deploy, restartSteps.ts: restart) make on a
// container's host: every change is one audited action through the action path, on the container
// as the audit log names it; reads (inspect) go to the host's client directly, a 404 meaning none,
// any other failure mapped as the action path maps it (a host gone offline reads 'host-offline').
import type Dockerode from 'dockerode';
import type { ActionPath } from '../actions/actionPath';
import { ActionError, CONTAINER_ACTION_DEADLINE_MS, STOP_TIMEOUT_S } from '../actions/actionPath';
import { dockerErrorCode, dockerMessage, dockerStatus } from '../engine/dockerErrors';
import type { InspectedContainer } from './createConfig';
import type { PlanTarget } from './types';

export interface InspectState {
  Running: boolean;
  Restarting?: boolean;
  Status: string;
  ExitCode: number;
  StartedAt: string;
  /** Log: the last few health probes, newest last (moby keeps 5). */
  Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] };
}
export type Inspected = InspectedContainer & { Image: string; State: InspectState; RestartCount: number };

/** What the calls need from their host: the action path for changes, each host's client for reads. */
export interface ContainerCallsDeps<D extends Pick<Dockerode, 'getContainer'>> {
  actions: Pick<ActionPath, 'run'>;
  hosts: { host(name: string): { readonly docker: D } | undefined };
}

export class ContainerCalls<D extends Pick<Dockerode, 'getContainer'>> {
  constructor(private readonly deps: ContainerCallsDeps<D>) {}

  /** One audited action on the target container; `call` gets the host's client and the deadline's signal. */
  act<T>(target: PlanTarget, action: string, params: Record<string, unknown>, deadlineMs: number, call: (docker: Dockerode, signal: AbortSignal) => Promise<T>): Promise<T> {
    const auditTarget = { host: target.host, container: target.name, ...(target.service ? { service: target.service } : {}) };
    return this.deps.actions.run({ action, target: auditTarget, params, deadlineMs }, (host, signal) => call(host.docker, signal));
  }

  /** Stops a container with `docker stop`'s grace; one already stopped is done. */
  stop(target: PlanTarget, id: string): Promise<void> {
    return this.act(target, 'stop', { id: id.slice(0, 12) }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => notModified(d.getContainer(id).stop({ t: STOP_TIMEOUT_S, abortSignal })));
  }

  /** Starts a container; one already running is done. */
  start(target: PlanTarget, id: string): Promise<void> {
    return this.act(target, 'start', { id: id.slice(0, 12) }, CONTAINER_ACTION_DEADLINE_MS, (d, abortSignal) => notModified(d.getContainer(id).start({ abortSignal })));
  }

  /** The host's client for reads. */
  docker(host: string): D {
    const found = this.deps.hosts.host(host);
    if (!found) throw new ActionError(`no host named "${host}" in the fleet`, 'not-found');
    return found.docker;
  }

  /** A container by id or name, or undefined when the daemon has none. */
  async find(docker: Pick<Dockerode, 'getContainer'>, ref: string): Promise<Inspected | undefined> {
    try {
      return (await docker.getContainer(ref).inspect()) as unknown as Inspected;
    } catch (err) {
      if (dockerStatus(err) === 404) return undefined;
      throw err instanceof ActionError ? err : new ActionError(dockerMessage(err), dockerErrorCode(err));
    }
  }
}

/** 304: already in the asked state (started, stopped): done, as the docker CLI says. */
async function notModified(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (dockerStatus(err) !== 304) throw err;
  }
}
