// Whether a rollout step's error means the container's HOST is down rather than the container
// failing: then the executor pauses the rollout instead of counting a failure (issue 11: "a host
// that goes offline mid-rollout pauses the rollout"). A 'host-offline' from the action path or a
// read says so at once; a 'timeout' only when the host then does not answer a version call either.
import type Dockerode from 'dockerode';
import { ActionError } from '../actions/actionPath';
import type { Clock } from '../clock/clock';
import { dockerErrorCode, dockerMessage } from '../engine/dockerErrors';
import type { PlanTarget } from './types';

/**
 * How long a host that timed out gets to answer /version before it counts as down: a daemon
 * answers in milliseconds, and the engine's heartbeat already takes a host offline after a 2 s
 * ping timeout; 5 s leaves a loaded host room.
 */
export const HOST_ANSWER_MS = 5_000;

/** What the check needs: each host's client (for the version call) and a clock for its deadline. */
export interface HostDownDeps {
  hosts: { host(name: string): { readonly docker: Pick<Dockerode, 'version'> } | undefined };
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

/** The executor's hostDown: why the target's host is down, or undefined where the error is the container's own. */
export function hostDownCheck(deps: HostDownDeps): (error: unknown, target: Pick<PlanTarget, 'host'>) => Promise<string | undefined> {
  return async (error, target) => {
    const code = error instanceof ActionError ? error.code : dockerErrorCode(error);
    const why = error instanceof ActionError ? error.message : dockerMessage(error);
    if (code === 'host-offline') return why;
    if (code === 'timeout' && !(await answers(deps, target.host))) return `${why}; it does not answer`;
    return undefined;
  };
}

async function answers(deps: HostDownDeps, host: string): Promise<boolean> {
  const docker = deps.hosts.host(host)?.docker;
  if (!docker) return false;
  let timer: ReturnType<HostDownDeps['clock']['setTimeout']> | undefined;
  const deadline = new Promise<boolean>((resolve) => (timer = deps.clock.setTimeout(() => resolve(false), HOST_ANSWER_MS)));
  try {
    return await Promise.race([docker.version().then(() => true, () => false), deadline]);
  } finally {
    deps.clock.clearTimeout(timer);
  }
}
