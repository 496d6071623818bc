import { describe, expect, it } from 'vitest';
import { classifyError, EngineTimeoutError, EventsClosedError, stateForProblem } from './problems';

// Shapes captured from real failures (Node 20 / OpenSSL 3 / ssh2 1.17 against the lab).
function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

const realErrors = {
  refused: nodeError('connect ECONNREFUSED 198.18.0.12:2376', { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '198.18.0.12', port: 2376 }),
  unixRefused: nodeError('connect ECONNREFUSED /var/tmp/fleetdeck-lab/h2/docker.sock', { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }),
  unixMissing: nodeError('connect ENOENT /var/run/docker.sock', { code: 'ENOENT', errno: -2, syscall: 'connect' }),
  timedOut: nodeError('connect ETIMEDOUT 198.18.0.99:2376', { code: 'ETIMEDOUT', errno: -110, syscall: 'connect' }),
  hostUnreachable: nodeError('connect EHOSTUNREACH 198.18.0.99:2376', { code: 'EHOSTUNREACH', errno: -113, syscall: 'connect' }),
  netUnreachable: nodeError('connect ENETUNREACH 10.255.0.1:2376', { code: 'ENETUNREACH', errno: -101, syscall: 'connect' }),
  dnsFailure: nodeError('getaddrinfo ENOTFOUND nohost.invalid', { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo' }),
  reset: nodeError('read ECONNRESET', { code: 'ECONNRESET', errno: -104, syscall: 'read' }),
  hangUp: nodeError('socket hang up', { code: 'ECONNRESET' }),
  wrongCa: nodeError('self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
  leaf: nodeError('unable to verify the first certificate', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
  depthZero: nodeError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
  expired: nodeError('certificate has expired', { code: 'CERT_HAS_EXPIRED' }),
  purpose: nodeError('unsuitable certificate purpose', { code: 'INVALID_PURPOSE' }),
  altName: nodeError("Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: 198.18.0.11", {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    reason: "IP: 127.0.0.1 is not in the cert's list: 198.18.0.11",
    host: '127.0.0.1',
  }),
  alertCertRequired: nodeError(
    '805CD170927F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n',
    { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', library: 'SSL routines', reason: 'tlsv13 alert certificate required' },
  ),
  tlsToPlainPort: nodeError(
    'write EPROTO 805CD170927F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
    { code: 'EPROTO', errno: -71, syscall: 'write' },
  ),
  sshAuth: nodeError('All configured authentication methods failed', { level: 'client-authentication' }),
  sshRefused: nodeError('connect ECONNREFUSED 198.18.0.13:2', { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', level: 'client-socket' }),
  sshHandshakeTimeout: nodeError('Timed out while waiting for handshake', { level: 'client-timeout' }),
  sshKeepaliveTimeout: nodeError('Keepalive timeout', { level: 'client-timeout' }),
  sshDaemonSocketMissing: nodeError('(SSH) Channel open failure: open failed', { reason: 2 }),
  sshForwardingProhibited: nodeError('(SSH) Channel open failure: administratively prohibited', { reason: 1 }),
  sshNoResponse: nodeError('No response from server', {}),
  sshHostKey: nodeError('unknown host key SHA256:FVhg0rQJysbfM3Hg5J4vF/m6x6ZePyd/FvGi1KcBcvw for 198.18.0.13', { code: 'ERR_SSH_HOST_KEY' }),
  http401: nodeError('(HTTP code 401) unexpected - unauthorized ', { statusCode: 401, reason: undefined, json: { message: 'unauthorized' } }),
  http403: nodeError('(HTTP code 403) unexpected - forbidden by authorization plugin ', { statusCode: 403 }),
  http400TlsPort: nodeError('(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server. ', { statusCode: 400 }),
  http500: nodeError('(HTTP code 500) server error - boom ', { statusCode: 500, reason: 'server error' }),
};

describe('classifyError', () => {
  it.each([
    ['refused', 'refused'],
    ['unixRefused', 'refused'],
    ['unixMissing', 'refused'],
    ['timedOut', 'timeout'],
    ['hostUnreachable', 'unreachable'],
    ['netUnreachable', 'unreachable'],
    ['dnsFailure', 'unreachable'],
    ['reset', 'closed'],
    ['hangUp', 'closed'],
    ['wrongCa', 'tls'],
    ['leaf', 'tls'],
    ['depthZero', 'tls'],
    ['expired', 'tls'],
    ['purpose', 'tls'],
    ['altName', 'tls'],
    ['alertCertRequired', 'tls'],
    ['tlsToPlainPort', 'tls'],
    ['sshAuth', 'auth'],
    ['sshRefused', 'refused'],
    ['sshHandshakeTimeout', 'timeout'],
    ['sshKeepaliveTimeout', 'timeout'],
    ['sshDaemonSocketMissing', 'refused'],
    ['sshForwardingProhibited', 'protocol'],
    ['sshNoResponse', 'closed'],
    ['sshHostKey', 'hostkey'],
    ['http401', 'auth'],
    ['http403', 'auth'],
    ['http400TlsPort', 'protocol'],
    ['http500', 'protocol'],
  ] as const)('%s → %s', (name, reason) => {
    const problem = classifyError(realErrors[name]);
    expect(problem.reason).toBe(reason);
    expect(problem.message).toBe(realErrors[name].message.trim());
  });

  it('classifies our own timeouts and a closed events stream', () => {
    expect(classifyError(new EngineTimeoutError('heartbeat ping', 2000))).toEqual({
      reason: 'timeout',
      message: 'heartbeat ping timed out after 2000 ms',
    });
    expect(classifyError(new EventsClosedError()).reason).toBe('closed');
  });

  it('copes with things that are not errors', () => {
    expect(classifyError('weird')).toEqual({ reason: 'protocol', message: 'weird' });
    expect(classifyError(undefined).reason).toBe('protocol');
  });
});

describe('stateForProblem', () => {
  it('puts network trouble offline and wrong answers in error', () => {
    expect(['refused', 'timeout', 'unreachable', 'closed'].map((r) => stateForProblem(r as never))).toEqual(Array(4).fill('offline'));
    expect(['tls', 'auth', 'hostkey', 'protocol'].map((r) => stateForProblem(r as never))).toEqual(Array(4).fill('error'));
  });
});
