// Maps whatever Node, OpenSSL, ssh2 or the daemon threw onto a HostProblem the user can act on.
import type { HostProblem, HostProblemReason, HostState } from '../../shared/model';

/** Our own deadline passed (connect, ping, first byte of a response). */
export class EngineTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'EngineTimeoutError';
  }
}

/** The daemon's /events stream ended: the daemon stopped or the connection dropped. */
export class EventsClosedError extends Error {
  readonly code = 'ERR_EVENTS_CLOSED';
  constructor(detail = 'the daemon closed the events stream') {
    super(detail);
    this.name = 'EventsClosedError';
  }
}

const OFFLINE_REASONS: readonly HostProblemReason[] = ['refused', 'timeout', 'unreachable', 'closed'];

export function stateForProblem(reason: HostProblemReason): Extract<HostState, 'offline' | 'error'> {
  return OFFLINE_REASONS.includes(reason) ? 'offline' : 'error';
}

const REASON_BY_CODE: Record<string, HostProblemReason> = {
  ECONNREFUSED: 'refused',
  ENOENT: 'refused', // unix socket missing: the daemon is not running
  ETIMEDOUT: 'timeout',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
  ECONNABORTED: 'closed',
  ERR_STREAM_PREMATURE_CLOSE: 'closed',
  ERR_EVENTS_CLOSED: 'closed',
  ABORT_ERR: 'closed',
  EACCES: 'auth', // unix socket not ours
  ERR_SSH_HOST_KEY: 'hostkey',
};

// OpenSSL certificate verification results as Node reports them in err.code.
const CERT_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
]);

function isTlsCode(code: string): boolean {
  return (
    CERT_VERIFY_CODES.has(code) ||
    /^(CERT_|CRL_|ERROR_IN_|UNABLE_TO_|ERR_SSL_|ERR_TLS_)/.test(code)
  );
}

interface ErrorShape {
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  /** ssh2: where in the protocol it failed. */
  level?: unknown;
  /** ssh2: channel open failure reason (SSH_OPEN_* number). */
  reason?: unknown;
}

/** ssh2 channel open failure: the server could not connect to the target (e.g. the docker socket). */
const SSH_OPEN_CONNECT_FAILED = 2;

export function classifyError(err: unknown): HostProblem {
  const shape: ErrorShape = typeof err === 'object' && err !== null ? (err as ErrorShape) : {};
  const message = typeof shape.message === 'string' && shape.message ? shape.message : String(err);
  return { reason: reasonFor(shape, message), message: message.trim() };
}

function reasonFor(err: ErrorShape, message: string): HostProblemReason {
  if (typeof err.statusCode === 'number') {
    return err.statusCode === 401 || err.statusCode === 403 ? 'auth' : 'protocol';
  }
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'timeout';
  if (code && isTlsCode(code)) return 'tls';
  // Older OpenSSL reports TLS alerts as EPROTO with the alert in the message.
  if (code === 'EPROTO') return /SSL|TLS|alert/i.test(message) ? 'tls' : 'protocol';
  if (code && REASON_BY_CODE[code]) return REASON_BY_CODE[code];

  switch (err.level) {
    case 'client-authentication':
    case 'agent':
      return 'auth';
    case 'client-timeout':
      return 'timeout';
    case 'client-dns':
      return 'unreachable';
  }
  if (/All configured authentication methods failed/i.test(message)) return 'auth';
  if (typeof err.reason === 'number' && /Channel open failure/i.test(message)) {
    return err.reason === SSH_OPEN_CONNECT_FAILED ? 'refused' : 'protocol';
  }
  if (/socket hang up|No response from server|connection closed/i.test(message)) return 'closed';
  if (/certificate|\bssl\b|\btls\b/i.test(message)) return 'tls';
  return 'protocol';
}
