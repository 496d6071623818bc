// Docker's answers to a failed call, in one shape: the daemon's own message where it gave one,
// and what kind of failure it was. The action path, the terminals and the CLI all word errors
// from here, so "host is offline" and "no such container" read the same everywhere.
import type { ActionErrorCode } from '../../shared/model';
import { classifyError, stateForProblem } from './problems';

interface DockerErrorLike {
  statusCode?: number;
  json?: { message?: string } | string | null;
  reason?: string;
  message?: string;
  code?: string;
}

/** The HTTP status dockerode attached to a failed call, if any. */
export function dockerStatus(err: unknown): number | undefined {
  return (err as DockerErrorLike | null)?.statusCode;
}

/** The daemon's own words ({"message": …}) where it answered, else the error's message. */
export function dockerMessage(err: unknown): string {
  const e = err as DockerErrorLike | null;
  if (e && typeof e.json === 'object' && e.json?.message) return e.json.message;
  if (e && typeof e.json === 'string' && e.json.trim()) return e.json.trim();
  return e?.message ?? String(err);
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ABORT_ERR']);

/** What kind of failure a Docker call's error is. */
export function dockerErrorCode(err: unknown): ActionErrorCode {
  const e = err as DockerErrorLike | null;
  const status = e?.statusCode;
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if ((e?.code && TIMEOUT_CODES.has(e.code)) || /timed? ?out/i.test(e?.message ?? '')) return 'timeout';
  // The daemon is not there, as the connection classifies it: refused (its TLS port, its unix socket
  // gone, or sshd's channel to that socket), reset or closed mid-call (a killed dockerd), unreachable.
  if (status === undefined && stateForProblem(classifyError(err).reason) === 'offline') return 'host-offline';
  return 'daemon';
}

/** "h2 is offline (connect ECONNREFUSED …)": why a host that is not online cannot act. */
export function hostNotOnline(name: string, status: { state: string; problem?: { message: string } | undefined }): string {
  return `${name} is ${status.state}${status.problem ? ` (${status.problem.message})` : ''}`;
}
